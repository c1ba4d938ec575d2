// A ready claim whose deadline has passed leaves the filing queue as `expired`: Amazon refuses a
// late claim, and a refused claim counts against the seller. Compare-and-set on claims still
// ready and in no case waiting to be filed (none, or one Amazon answered and sent back), so a
// claim a new filing took meanwhile is left to it; its open prompt, if any, is closed with it.
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { canMoveClaim } from '../domain/claim-status.js';
import type { Db } from '../store/db.js';
import { claims } from '../store/schema/claims-tables.js';
import { prompts } from '../store/schema/evidence-tables.js';
import { filings } from '../store/schema/filing-tables.js';

/** Moves these ready claims to `expired` as of `today` (YYYY-MM-DD); returns the ids it moved. */
export async function expireReadyClaims(q: Db, claimIds: readonly string[], today: string): Promise<string[]> {
  if (claimIds.length === 0) return [];
  if (!canMoveClaim('ready', 'expired')) throw new Error('ready claims can no longer expire');
  const expired = { on: today, reason: 'deadline_passed', note: "The claim's deadline passed before it was filed: Amazon no longer accepts it." };
  const moved = await q
    .update(claims)
    .set({ status: 'expired', updatedAt: sql`now()`, details: sql`coalesce(${claims.details}, '{}'::jsonb) || jsonb_build_object('expired', ${JSON.stringify(expired)}::jsonb)` })
    .where(
      and(
        inArray(claims.id, [...claimIds]),
        eq(claims.status, 'ready'),
        or(isNull(claims.filingId), sql`EXISTS (SELECT 1 FROM ${filings} WHERE ${filings.id} = ${claims.filingId} AND ${filings.caseId} IS NOT NULL)`),
        sql`${claims.deadline} < ${today}::date`,
      ),
    )
    .returning({ id: claims.id });
  const ids = moved.map((m) => m.id);
  if (ids.length > 0) await q.update(prompts).set({ status: 'superseded', answeredAt: sql`now()` }).where(and(inArray(prompts.claimId, ids), eq(prompts.status, 'open')));
  return ids;
}
