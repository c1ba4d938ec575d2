import { and, eq, sql } from 'drizzle-orm';
import { canMoveClaim, type ClaimStatus } from '../domain/claim-status.js';
import { rows, type Db } from './db.js';
import { claims } from './schema/claims-tables.js';

export type ClaimRow = typeof claims.$inferSelect;

export async function findClaim(q: Db, id: string): Promise<ClaimRow | undefined> {
  const [row] = await q.select().from(claims).where(eq(claims.id, id));
  return row;
}

/**
 * The seller's claims filed in one case: several when a case holds several items. A case id is
 * Amazon's, so it is only unique within one seller's account: another seller's case of the same
 * id is none of this seller's business (and must not even be seen to exist).
 */
export async function claimsOfCase(q: Db, userId: string, caseId: string, limit = 100): Promise<ClaimRow[]> {
  return q.select().from(claims).where(and(eq(claims.userId, userId), eq(claims.caseId, caseId))).orderBy(claims.id).limit(limit);
}

/**
 * Compare-and-set of a claim's status: only from a status that may move to `to`, and only if it
 * still is what the caller saw. Returns false when someone else moved it first.
 */
export async function moveClaim(
  q: Db,
  id: string,
  from: ClaimStatus,
  to: ClaimStatus,
  fields: { caseId?: string } = {},
): Promise<boolean> {
  if (from !== to && !canMoveClaim(from, to)) throw new Error(`claim ${id} cannot move from ${from} to ${to}`);
  const r = await q
    .update(claims)
    .set({ status: to, updatedAt: sql`now()`, ...(fields.caseId ? { caseId: fields.caseId } : {}) })
    .where(and(eq(claims.id, id), eq(claims.status, from)))
    .returning({ id: claims.id });
  return r.length > 0;
}

/**
 * What a claim's settled payouts other than `excludingPayoutId` came to in `currency`, net of
 * reversals: summed in SQL as numeric and read as text, so no sum passes through a float.
 */
export async function claimPaidSoFar(q: Db, claimId: string, currency: string, excludingPayoutId: string): Promise<bigint> {
  const [r] = await rows<{ paid: string | null }>(
    q,
    sql`SELECT SUM(reimbursed_minor::numeric)::text AS paid FROM fee_charges
        WHERE claim_id = ${claimId} AND currency = ${currency} AND payout_id <> ${excludingPayoutId}`,
  );
  return BigInt(r?.paid ?? '0');
}
