// A claim's life, as one table: the seven phases and the two loops between them, each with its
// file. A phase runs from the inbox (a trigger, or the phase before it); a loop has no trigger of
// its own: it polls, and a phase hands it work (`handOff`) once the phase has committed.
//
//   step                      handler (capability)                                  then
//   1 onboard the seller      phases/onboard-seller.ts (sync/capability.ts)         2 (a background sync: when it ends)
//   2 discover money          phases/discover-money.ts (detection/detect-claims.ts) 3, and the payouts loop (the sync's reimbursements)
//   3 match evidence          phases/match-evidence.ts (evidence/capability.ts)     4
//   4 route claims            phases/route-claims.ts (routing/capability.ts)        the filing loop (claims routed to auto-submit)
//   · filing (loop)           filing/file-claims.ts                                 5 for each claim of a case filed
//   5 monitor the payout      phases/monitor-payout.ts (payouts/capability.ts)      the payouts loop watches the case
//   · payouts (loop)          payouts/monitor.ts                                    6 (rejected) or 7 (paid)
//   6 learn from a rejection  phases/learn-from-rejection.ts (learning/capability.ts)
//   · reminders (loop)        reminders/remind.ts                                   none: it tells a person what to do (file by
//                             the deadline, follow up on a case Amazon has not answered, reopen a rejected one)
//   7 settle the payout       phases/settle-payout.ts: settle (billing/capability.ts), record the
//                             outcome (learning/capability.ts), build the proof packet
//                             (proof/capability.ts), in one commit
import { DEFAULT_PAYOUT_LIMITS, type PayoutLimits } from '../domain/payout-check.js';
import type { MessageBus } from '../realtime/bus.js';
import type { Capabilities } from './capabilities.js';
import { discoverMoney } from './phases/discover-money.js';
import { learnFromRejection } from './phases/learn-from-rejection.js';
import { matchEvidence } from './phases/match-evidence.js';
import { monitorPayout } from './phases/monitor-payout.js';
import { onboardSeller } from './phases/onboard-seller.js';
import { routeClaims } from './phases/route-claims.js';
import { settlePayout } from './phases/settle-payout.js';
import type { LoopStep, PhaseHandlers } from './types.js';

/** The phase table: one handler per phase, each calling its capability. */
export function createPhaseHandlers(caps: Capabilities, options: { waitForFilingMs: number; payoutLimits?: PayoutLimits }): PhaseHandlers {
  return {
    1: onboardSeller(caps),
    2: discoverMoney(caps),
    3: matchEvidence(caps),
    4: routeClaims(caps),
    5: monitorPayout(caps),
    6: learnFromRejection(caps, options.waitForFilingMs),
    7: settlePayout(caps, options.waitForFilingMs, options.payoutLimits ?? DEFAULT_PAYOUT_LIMITS),
  };
}

/** A loop of the table: it only starts steps (cases filed, phases triggered); a nudge runs a round now. */
export interface Loop {
  start(): void;
  nudge(): void;
  stop(): Promise<void>;
}

export interface Loops extends Readonly<Record<LoopStep, Loop>> {
  /** Reminders to the seller: no phase hands it work; it reads where claims and cases stand. */
  readonly reminders: Loop;
}

export interface StartedLoops {
  /** A phase's hand-off: the loop runs a round now rather than at its next poll. */
  handOff(step: LoopStep): void;
  stop(): Promise<void>;
}

/**
 * Starts the loops (worker processes), and the two nudges that come from outside the phases:
 * a seller's prompt answer or upload makes claims ready in an API process, which reaches this
 * worker's filer only through the message bus (it also carries phase 4's own `claim.routed`
 * messages, a second nudge that costs one idle round); and the bundled Amazon says when it decides
 * a case, so its payout is found in seconds.
 */
export async function startLoops(loops: Loops, sources: { bus: MessageBus; onCaseDecided?: (listener: () => void) => () => void }): Promise<StartedLoops> {
  loops.filing.start();
  loops.payouts.start();
  loops.reminders.start();
  const unsubscribeBus = await sources.bus.subscribe((messages) => {
    if (messages.some((m) => m.type === 'claim.routed' && m.payload.status === 'ready')) loops.filing.nudge();
  });
  const unsubscribeDecided = sources.onCaseDecided?.(() => loops.payouts.nudge());
  return {
    handOff: (step) => loops[step].nudge(),
    async stop() {
      unsubscribeDecided?.();
      unsubscribeBus();
      await loops.filing.stop();
      await loops.payouts.stop();
      await loops.reminders.stop();
    },
  };
}
