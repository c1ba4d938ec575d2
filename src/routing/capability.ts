// Phase 4's capability: route each scored claim by confidence (auto-submit, smart prompt, hold).
// Scores are computed outside the transaction and written, with the moves, in the phase's commit.
import type { Config } from '../config/config.js';
import { countRoutes } from '../domain/route-claim.js';
import { validateThresholds, type RoutingThresholds } from '../domain/routing.js';
import { computeScores, writeScores, type LearnedSource } from '../evidence/match-claims.js';
import type { Capabilities } from '../workflow/capabilities.js';
import { planRoutes, routeScored } from './route-scored.js';

/** The configured thresholds, checked once at start-up. */
export function routingThresholds(config: Config['routing']): RoutingThresholds {
  const thresholds: RoutingThresholds = { autoSubmit: config.autoSubmit, smartPrompt: config.smartPrompt };
  const problem = validateThresholds(thresholds);
  if (problem) throw new RangeError(`routing thresholds: ${problem}`);
  return thresholds;
}

/** Claim ids named by a phase 4 trigger's `matches` ([{claim_id}] or ids), if it names any. */
function namedClaims(matches: readonly unknown[] | undefined): string[] | undefined {
  if (!matches?.length) return undefined;
  const ids = matches
    .map((m) => (typeof m === 'string' ? m : m && typeof m === 'object' && typeof (m as { claim_id?: unknown }).claim_id === 'string' ? (m as { claim_id: string }).claim_id : undefined))
    .filter((x): x is string => x !== undefined);
  return ids.length ? ids : undefined;
}

export function routingCapability(deps: { thresholds: RoutingThresholds; learned: LearnedSource }): Capabilities['routing'] {
  const { thresholds, learned } = deps;
  return {
    async route(ctx, run) {
      // Scores are computed afresh: evidence may have arrived since phase 3, and a trigger from
      // outside may start phase 4 without it.
      const claimIds = namedClaims(run.matches);
      const scored = await computeScores(ctx.db, { userId: run.userId, ...(claimIds ? { claimIds } : {}), learned, now: new Date() });
      // The decisions, for the phase's result (written before `apply` runs), judged as the moves
      // will be: a fee claim the seller has not measured counts as prompted, not ready. A claim
      // moved meanwhile by someone else is then left alone by the compare-and-set in routeScored.
      const counts = countRoutes((await planRoutes(ctx.db, scored, thresholds)).plans);
      return {
        data: { ...counts },
        apply: async (tx) => {
          await writeScores(tx, scored);
          await routeScored(tx, scored, { thresholds, eventId: ctx.event.id, syncId: run.syncId });
        },
      };
    },
  };
}
