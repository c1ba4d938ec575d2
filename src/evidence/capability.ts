// Phases 3 and 4 as capabilities, and the HTTP routes that come with them. Phase 3 matches the
// seller's evidence to their open claims and scores them; phase 4 routes them (auto-submit,
// smart prompt, hold). Both compute outside the transaction and write in the phase's commit.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { route, validateThresholds, type RoutingThresholds } from '../domain/routing.js';
import type { Principal } from '../http/auth.js';
import type { Database } from '../store/db.js';
import type { Capabilities } from '../workflow/capabilities.js';
import { computeScores, NO_LEARNING, writeScores, type LearnedSource } from './match-claims.js';
import { routeScored, TARGET } from './route-scored.js';
import { offThreadReader } from './read/read-off-thread.js';
import { evidenceRoutes } from './routes.js';

export interface EvidenceSetup {
  readonly evidence: Capabilities['evidence'];
  readonly routing: Capabilities['routing'];
  /** The evidence and prompt endpoints; `afterCommit` pokes the outbox relay (the engine's drain). */
  routes(afterCommit: () => void): (app: FastifyInstance, principal: (r: unknown) => Principal) => Promise<void>;
}

/** Claim ids named by a phase 4 trigger's `matches` ([{claim_id}] or ids), if it names any. */
function namedClaims(matches: readonly unknown[] | undefined): string[] | undefined {
  if (!matches?.length) return undefined;
  const ids = matches
    .map((m) => (typeof m === 'string' ? m : m && typeof m === 'object' && typeof (m as { claim_id?: unknown }).claim_id === 'string' ? (m as { claim_id: string }).claim_id : undefined))
    .filter((x): x is string => x !== undefined);
  return ids.length ? ids : undefined;
}

export function evidenceCapabilities(deps: { database: Database; config: Config; learned?: LearnedSource }): EvidenceSetup {
  const learned = deps.learned ?? NO_LEARNING;
  const thresholds: RoutingThresholds = { autoSubmit: deps.config.routing.autoSubmit, smartPrompt: deps.config.routing.smartPrompt };
  const problem = validateThresholds(thresholds);
  if (problem) throw new RangeError(`routing thresholds: ${problem}`);
  return {
    evidence: {
      async match(ctx, run) {
        const scored = await computeScores(ctx.db, {
          userId: run.userId,
          learned,
          now: new Date(),
          onProgress: (done, total) => ctx.reportProgress({ claims_scored: done, claims_total: total }),
        });
        const byProfile: Record<string, number> = {};
        for (const s of scored) byProfile[s.score.profile] = (byProfile[s.score.profile] ?? 0) + 1;
        return {
          data: { claims_scored: scored.length, with_evidence: scored.filter((s) => s.links.length > 0).length, by_profile: byProfile },
          apply: (tx) => writeScores(tx, scored),
        };
      },
    },
    routing: {
      async route(ctx, run) {
        // Scores are computed afresh: evidence may have arrived since phase 3, and a trigger from
        // outside may start phase 4 without it.
        const claimIds = namedClaims(run.matches);
        const scored = await computeScores(ctx.db, { userId: run.userId, ...(claimIds ? { claimIds } : {}), learned, now: new Date() });
        // The decisions, for the phase's result (written before `apply` runs); a claim moved
        // meanwhile by someone else is then left alone by the compare-and-set in routeScored.
        const counts: Record<string, number> = { claims: scored.length, ready: 0, prompted: 0, held: 0 };
        for (const s of scored) {
          const to = TARGET[route(s.score.confidence, thresholds)];
          counts[to] = (counts[to] ?? 0) + 1;
        }
        return {
          data: counts,
          apply: async (tx) => {
            await writeScores(tx, scored);
            await routeScored(tx, scored, { thresholds, eventId: ctx.event.id, syncId: run.syncId });
          },
        };
      },
    },
    routes: (afterCommit) =>
      evidenceRoutes({
        db: deps.database.db,
        learned,
        thresholds,
        maxFileBytes: deps.config.evidence.maxFileBytes,
        maxRequestBytes: deps.config.evidence.maxRequestBytes,
        reader: offThreadReader(deps.config.evidence.read),
        defaultCurrency: deps.config.evidence.defaultCurrency,
        afterCommit,
      }),
  };
}
