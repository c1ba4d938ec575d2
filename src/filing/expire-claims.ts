// A claim whose deadline has passed leaves the filing queue as `expired`: Amazon refuses a late
// claim, and a refused claim counts against the seller. Compare-and-set on claims still where
// they were, so a claim a new filing took meanwhile is left to it; its open prompt, if any, is
// closed with it (an answer to it could no longer get the claim filed).
import { and, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { canMoveClaim, type ClaimStatus } from '../domain/claim-status.js';
import type { Db } from '../store/db.js';
import { claims } from '../store/schema/claims-tables.js';
import { prompts } from '../store/schema/evidence-tables.js';
import { filings } from '../store/schema/filing-tables.js';

// Waiting for the seller or a person, never filed: nothing at Amazon to reply on, so the claim's
// deadline is the last day it could be.
const WAITING: readonly ClaimStatus[] = ['prompted', 'held'];

async function expire(q: Db, where: SQL, today: string): Promise<string[]> {
  const expired = { on: today, reason: 'deadline_passed', note: "The claim's deadline passed before it was filed: Amazon no longer accepts it." };
  const moved = await q
    .update(claims)
    .set({ status: 'expired', updatedAt: sql`now()`, details: sql`coalesce(${claims.details}, '{}'::jsonb) || jsonb_build_object('expired', ${JSON.stringify(expired)}::jsonb)` })
    .where(and(where, sql`${claims.deadline} < ${today}::date`))
    .returning({ id: claims.id });
  const ids = moved.map((m) => m.id);
  if (ids.length > 0) await q.update(prompts).set({ status: 'superseded', answeredAt: sql`now()` }).where(and(inArray(prompts.claimId, ids), eq(prompts.status, 'open')));
  return ids;
}

/**
 * Moves these ready claims to `expired` as of `today` (YYYY-MM-DD): those in no case waiting to
 * be filed (none, or one Amazon answered and sent back). Returns the ids it moved.
 */
export async function expireReadyClaims(q: Db, claimIds: readonly string[], today: string): Promise<string[]> {
  if (claimIds.length === 0) return [];
  if (!canMoveClaim('ready', 'expired')) throw new Error('ready claims can no longer expire');
  return expire(
    q,
    and(
      inArray(claims.id, [...claimIds]),
      eq(claims.status, 'ready'),
      or(isNull(claims.filingId), sql`EXISTS (SELECT 1 FROM ${filings} WHERE ${filings.id} = ${claims.filingId} AND ${filings.caseId} IS NOT NULL)`),
    )!,
    today,
  );
}

/**
 * Moves every prompted or held claim that was never filed and whose deadline has passed to
 * `expired` as of `today`: a fee claim still waiting for the seller's measurement, say, is no
 * longer shown as something to do. Returns the ids it moved.
 */
export async function expireWaitingClaims(q: Db, today: string): Promise<string[]> {
  if (!WAITING.every((s) => canMoveClaim(s, 'expired'))) throw new Error('waiting claims can no longer expire');
  return expire(q, and(inArray(claims.status, [...WAITING]), isNull(claims.filingId))!, today);
}
