import { DEFAULT_PAYOUT_LIMITS, type PayoutLimits } from '../../domain/payout-check.js';
import type { Capabilities } from '../capabilities.js';
import type { PhaseHandlers } from '../types.js';
import { discoverMoney } from './discover-money.js';
import { learnFromRejection } from './learn-from-rejection.js';
import { matchEvidence } from './match-evidence.js';
import { monitorPayout } from './monitor-payout.js';
import { onboardSeller } from './onboard-seller.js';
import { routeClaims } from './route-claims.js';
import { settlePayout } from './settle-payout.js';

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
