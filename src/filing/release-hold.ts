// A person releases a claim Clario held for its type's low approval rate, so the rate can be
// tested against Amazon again: the hold leaves the claim's details for `hold_released` (who, when,
// the reason it was held: the audit), and the claim is routed as any other, in one transaction.
// A released claim is never held again for that reason. A fee claim waiting for its measurement
// cannot be released: only the measurement releases it.
import { and, eq, sql } from 'drizzle-orm';
import { holdOf } from '../domain/filing-holds.js';
import type { RoutingThresholds } from '../domain/routing.js';
import { computeScores, writeScores, type LearnedSource } from '../evidence/match-claims.js';
import { routeScored } from '../routing/route-scored.js';
import { findClaim, type ClaimRow } from '../store/claim-rows.js';
import type { Db } from '../store/db.js';
import { claims } from '../store/schema/claims-tables.js';

export type ReleaseOutcome = { readonly ok: true; readonly claim: ClaimRow } | { readonly ok: false; readonly code: 'not_found' | 'conflict'; readonly message: string };

export async function releaseHold(
  db: Db,
  o: { claimId: string; /** null: the service, which may act for any seller. */ subject: string | null; by: string; note: string | undefined; learned: LearnedSource; thresholds: RoutingThresholds; now: Date },
): Promise<ReleaseOutcome> {
  return db.transaction(async (tx): Promise<ReleaseOutcome> => {
    const [claim] = await tx.select().from(claims).where(eq(claims.id, o.claimId)).for('update');
    if (!claim || (o.subject !== null && claim.userId !== o.subject)) return { ok: false, code: 'not_found', message: 'no such claim' };
    const hold = holdOf(claim.details);
    if (claim.status !== 'held' || hold?.code !== 'low_approval') {
      const why = hold?.code === 'needs_measurements' ? ': it waits for the SKU\'s measurement (answer its prompt)' : `: it is ${claim.status}, not held for a low approval rate`;
      return { ok: false, code: 'conflict', message: `claim ${claim.id} cannot be released${why}` };
    }
    const released = { code: hold.code, reason: hold.reason, at: o.now.toISOString(), by: o.by, ...(o.note ? { note: o.note } : {}) };
    await tx
      .update(claims)
      .set({
        updatedAt: sql`now()`,
        details: sql`(coalesce(${claims.details}, '{}'::jsonb) - 'hold') || jsonb_build_object('hold_released',
          coalesce(${claims.details}->'hold_released', '[]'::jsonb) || ${JSON.stringify([released])}::jsonb)`,
      })
      .where(and(eq(claims.id, claim.id), eq(claims.status, 'held')));
    // Routed like any claim: ready when its evidence is enough, else it stays held for its evidence.
    const scored = await computeScores(tx, { userId: claim.userId, claimIds: [claim.id], learned: o.learned, now: o.now });
    await writeScores(tx, scored);
    await routeScored(tx, scored, { thresholds: o.thresholds, eventId: null, syncId: claim.syncId });
    return { ok: true, claim: (await findClaim(tx, claim.id))! };
  });
}
