// "What would routing have done with today's model?" Every past scored claim's confidence is
// recomputed with the current learning model and routed with the configured thresholds, beside
// what was stored, as routing judges it (a fee claim whose SKU the seller has not measured is
// prompted, however confident). Read-only: it runs in a READ ONLY transaction, so it cannot change anything.
import { and, gte, isNotNull } from 'drizzle-orm';
import { needsSellerMeasurements } from '../domain/filing-holds.js';
import { decide } from '../domain/route-claim.js';
import type { RoutingDecision, RoutingThresholds } from '../domain/routing.js';
import { betaEstimate, blendConfidence, type ApprovalEstimate } from '../domain/scoring.js';
import type { Db } from '../store/db.js';
import { claims } from '../store/schema/claims-tables.js';
import { learningStats } from '../store/schema/learning-tables.js';
import { scorableOf } from '../evidence/match-claims.js';
import { measuredKey, measurementsOf } from '../routing/sku-measurements.js';
import { evidenceOf, profileOf } from './profile.js';

export interface ReplayedClaim {
  readonly claim_id: string;
  readonly user_id: string;
  readonly claim_type: string;
  readonly profile: string;
  readonly status: string;
  readonly evidence: number;
  readonly stored_confidence: number;
  readonly replayed_confidence: number;
  readonly stored_route: RoutingDecision;
  readonly replayed_route: RoutingDecision;
}

export interface ReplayReport {
  readonly since: string | null;
  readonly thresholds: RoutingThresholds;
  /** Scored claims replayed. */
  readonly claims: number;
  /** Scored claims whose stored score lacks an evidence part (cannot be replayed). */
  readonly skipped: number;
  readonly changed: readonly ReplayedClaim[];
  /** "stored → replayed" route: how many claims. */
  readonly moves: Readonly<Record<string, number>>;
}

export async function replayRouting(db: Db, options: { since?: Date | undefined; thresholds: RoutingThresholds }): Promise<ReplayReport> {
  return db.transaction(
    async (tx) => {
      const stats = await tx.select().from(learningStats);
      const model = new Map<string, ApprovalEstimate>();
      for (const s of stats) if (s.approved + s.rejected > 0) model.set(`${s.claimType}\u0000${s.profile}`, betaEstimate(s.approved, s.rejected));
      const rows = await tx
        .select()
        .from(claims)
        .where(and(isNotNull(claims.score), options.since ? gte(claims.createdAt, options.since) : undefined))
        .orderBy(claims.createdAt, claims.id);
      // The SKU as scoring reads it (from the claim's details), for the fee claims' measurements.
      const skus = new Map(rows.map((c) => [c.id, scorableOf(c).sku]));
      const measured = await measurementsOf(tx, rows.flatMap((c) => {
        const sku = skus.get(c.id);
        return needsSellerMeasurements(c.type) && sku ? [{ userId: c.userId, sku }] : [];
      }));
      const routeOf = (c: (typeof rows)[number], confidence: number) => {
        const sku = skus.get(c.id) ?? null;
        return decide(confidence, { type: c.type, sku, measured: sku !== null && measured.has(measuredKey(c.userId, sku)) }, options.thresholds).decision;
      };
      let replayed = 0;
      let skipped = 0;
      const changed: ReplayedClaim[] = [];
      const moves: Record<string, number> = {};
      for (const c of rows) {
        const evidence = evidenceOf(c.score);
        const storedRaw = typeof c.score?.confidence === 'number' ? c.score.confidence : c.confidence;
        if (evidence === undefined || storedRaw === null || !(storedRaw >= 0 && storedRaw <= 1)) {
          skipped++;
          continue;
        }
        replayed++;
        const profile = profileOf(c.score);
        const confidence = blendConfidence(evidence, model.get(`${c.type}\u0000${profile}`));
        const before = routeOf(c, storedRaw);
        const after = routeOf(c, confidence);
        if (before === after) continue;
        const move = `${before} → ${after}`;
        moves[move] = (moves[move] ?? 0) + 1;
        changed.push({
          claim_id: c.id,
          user_id: c.userId,
          claim_type: c.type,
          profile,
          status: c.status,
          evidence,
          stored_confidence: storedRaw,
          replayed_confidence: confidence,
          stored_route: before,
          replayed_route: after,
        });
      }
      return { since: options.since ? options.since.toISOString() : null, thresholds: options.thresholds, claims: replayed, skipped, changed, moves };
    },
    { accessMode: 'read only', isolationLevel: 'repeatable read' },
  );
}

export function formatReplay(r: ReplayReport): string {
  const t = r.thresholds;
  const lines = [
    `Replayed ${r.claims} scored claim${r.claims === 1 ? '' : 's'}${r.since ? ` created since ${r.since}` : ''} with the current learning model (auto-submit ≥ ${t.autoSubmit}, smart prompt ≥ ${t.smartPrompt}).`,
  ];
  if (r.skipped > 0) lines.push(`${r.skipped} scored claim${r.skipped === 1 ? '' : 's'} had no evidence score and could not be replayed.`);
  if (r.changed.length === 0) {
    lines.push('None would route differently.');
    return lines.join('\n');
  }
  lines.push(`${r.changed.length} would route differently:`);
  for (const [move, n] of Object.entries(r.moves)) lines.push(`  ${n} × ${move}`);
  lines.push('');
  for (const c of r.changed) {
    lines.push(
      `  ${c.claim_id}  ${c.claim_type}/${c.profile}  ${c.stored_confidence.toFixed(4)} ${c.stored_route} → ${c.replayed_confidence.toFixed(4)} ${c.replayed_route}`,
    );
  }
  return lines.join('\n');
}
