// Phase 3's capability: match the seller's evidence to their open claims and score them. Scores
// are computed outside the transaction and written in the phase's commit; phase 4 routes them
// (src/routing/).
import type { Capabilities } from '../workflow/capabilities.js';
import { computeScores, writeScores, type LearnedSource } from './match-claims.js';

export function evidenceCapability(deps: { learned: LearnedSource }): Capabilities['evidence'] {
  return {
    async match(ctx, run) {
      const scored = await computeScores(ctx.db, {
        userId: run.userId,
        learned: deps.learned,
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
  };
}
