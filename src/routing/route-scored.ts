// Phase 4's decision applied: each scored claim goes to `ready` (auto-submit), `prompted` (a smart
// prompt asks for exactly what is missing) or `held` (the reasons stay in its score). Moves are
// compare-and-set, so a claim someone else moved meanwhile (filed, dismissed) is left alone; the
// outbox rows are written in the same transaction, so the seller's WebSocket sees what committed.
import { and, eq, sql } from 'drizzle-orm';
import type { ClaimStatus } from '../domain/claim-status.js';
import { measurementHold, needsSellerMeasurements, type Hold } from '../domain/filing-holds.js';
import type { MeasurementsJson } from '../domain/measurements.js';
import { route, type RoutingDecision, type RoutingThresholds } from '../domain/routing.js';
import { moveClaim } from '../store/claim-rows.js';
import type { Db } from '../store/db.js';
import { openPrompt, openPromptOf, type PromptAsk } from '../store/prompt-rows.js';
import { claims } from '../store/schema/claims-tables.js';
import { prompts } from '../store/schema/evidence-tables.js';
import { publish } from '../workflow/publish.js';
import { asksFor, measureAsk } from './asks.js';
import { measuredKey, measurementsOf } from './sku-measurements.js';
import type { ScoredClaim } from '../evidence/match-claims.js';

export const TARGET = { auto_submit: 'ready', smart_prompt: 'prompted', hold: 'held' } as const satisfies Record<RoutingDecision, ClaimStatus>;

export interface RoutedClaim {
  readonly id: string;
  readonly from: ClaimStatus;
  readonly to: ClaimStatus;
  readonly decision: RoutingDecision;
  readonly promptId: string | null;
}

export interface RouteContext {
  readonly thresholds: RoutingThresholds;
  /** The phase event writing this (null for a seller's upload or answer). */
  readonly eventId: string | null;
  readonly syncId: string | null;
}

const sameAsks = (a: ReadonlyArray<Record<string, unknown>>, b: readonly PromptAsk[]) =>
  JSON.stringify(a.map((x) => [x.need, x.message])) === JSON.stringify(b.map((x) => [x.need, x.message]));

export async function routeScored(tx: Db, scored: readonly ScoredClaim[], context: RouteContext): Promise<RoutedClaim[]> {
  const routed: RoutedClaim[] = [];
  const at = () => new Date().toISOString();
  const measured = await measurementsOf(
    tx,
    scored.flatMap((s) => (needsSellerMeasurements(s.claim.type) && s.claim.sku ? [{ userId: s.userId, sku: s.claim.sku }] : [])),
  );
  for (const s of scored) {
    // Amazon reimburses many losses by itself within its grace period; filing before it ends is a
    // case Amazon penalises and a fee Clario must not earn. The claim stays `detected`, and the next
    // sync's detection (which refreshes detected claims) says when it is eligible.
    if (s.claim.awaitingAmazon && s.status === 'detected') continue;
    // A claim held for its type's approval rate is the filer's to release (or a person's).
    if (s.status === 'held' && s.claim.hold === 'low_approval') continue;
    let decision = route(s.score.confidence, context.thresholds);
    const measurements = s.claim.sku ? measured.get(measuredKey(s.userId, s.claim.sku)) : undefined;
    const hold = measurementHold(s.claim, measurements !== undefined);
    // A fee claim is never ready without the seller's measurement: it asks for it instead.
    const confident = decision === 'auto_submit';
    if (hold && confident) decision = 'smart_prompt';
    const to = TARGET[decision];
    if (!(await moveClaim(tx, s.id, s.status, to))) continue;
    await noteHold(tx, s, to === 'prompted' ? hold : null, measurements);
    let promptId: string | null = null;
    const open = await openPromptOf(tx, s.id);
    if (to === 'prompted') {
      const asks = hold ? [measureAsk(s.claim), ...asksFor(s.claim, confident ? [] : s.score.missing)] : asksFor(s.claim, s.score.missing);
      // The same question stays open: re-running phase 4 must not pester the seller anew.
      if (open && sameAsks(open.asks, asks)) {
        promptId = open.id;
      } else {
        promptId = await openPrompt(tx, { userId: s.userId, claimId: s.id, asks });
        await publish(
          tx,
          { type: 'prompt.opened', prompt_id: promptId, claim_id: s.id, user_id: s.userId, sync_id: context.syncId, asks: asks.map((a) => ({ ...a })), confidence: s.score.confidence, at: at() },
          { eventId: context.eventId },
        );
      }
    } else if (open) {
      await tx.update(prompts).set({ status: 'superseded', answeredAt: sql`now()` }).where(and(eq(prompts.id, open.id), eq(prompts.status, 'open')));
    }
    if (s.status !== to || (promptId && promptId !== open?.id)) {
      await publish(
        tx,
        {
          type: 'claim.routed',
          claim_id: s.id,
          user_id: s.userId,
          sync_id: context.syncId,
          from: s.status,
          status: to,
          decision,
          confidence: s.score.confidence,
          reasons: hold && to === 'prompted' ? [...s.score.reasons, hold.reason] : [...s.score.reasons],
          missing: [...s.score.missing],
          prompt_id: promptId,
          at: at(),
        },
        { eventId: context.eventId },
      );
    }
    routed.push({ id: s.id, from: s.status, to, decision, promptId });
  }
  return routed;
}

/**
 * Keeps the claim's details in step with its route: `details.hold` says why a fee claim waits for
 * its measurement (and goes once it has it), `details.measurements` carries the SKU's measurement
 * for the case kit. Another hold (low approval) is not routing's to touch.
 */
async function noteHold(tx: Db, s: ScoredClaim, hold: Hold | null, measurements: MeasurementsJson | undefined): Promise<void> {
  const clears = !hold && s.claim.hold === 'needs_measurements';
  if (!hold && !clears && !measurements) return;
  const add = { ...(hold ? { hold } : {}), ...(measurements ? { measurements } : {}) };
  const base = clears ? sql`(coalesce(${claims.details}, '{}'::jsonb) - 'hold')` : sql`coalesce(${claims.details}, '{}'::jsonb)`;
  await tx.update(claims).set({ details: sql`${base} || ${JSON.stringify(add)}::jsonb` }).where(eq(claims.id, s.id));
}
