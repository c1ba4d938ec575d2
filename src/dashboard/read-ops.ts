// What the operator view reads beyond the existing status endpoints.
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { reimbursements } from '../store/schema/payouts-tables.js';
import { phaseEvents } from '../store/schema/workflow-tables.js';

/** Parked events (all users, or one), newest first: what an operator may replay. */
export async function parkedEvents(q: Db, userId: string | undefined, limit: number) {
  const failed = eq(phaseEvents.status, 'failed');
  return q
    .select()
    .from(phaseEvents)
    .where(userId ? and(failed, eq(phaseEvents.userId, userId)) : failed)
    .orderBy(desc(phaseEvents.updatedAt))
    .limit(limit);
}

/**
 * Reimbursement lines on Clario's cases that pay no single claim (or would pay a claim's units
 * twice): parked with the reason, nothing charged, for an operator to credit by hand (phase 7
 * with the claim named) or leave. A line phase 7 settled is credited, whatever its row says (one
 * credited before the trigger took it off this list): never offered for a second credit.
 */
export async function unmatchedPayouts(q: Db, userId: string | undefined, limit: number) {
  const parked = and(
    isNotNull(reimbursements.unmatchedReason),
    sql`NOT EXISTS (SELECT 1 FROM fee_charges f WHERE f.payout_id = ${reimbursements.reimbursementId} || ':' || ${reimbursements.lineKey})`,
  );
  return q
    .select()
    .from(reimbursements)
    .where(userId ? and(parked, eq(reimbursements.userId, userId)) : parked)
    .orderBy(desc(reimbursements.seenAt))
    .limit(limit);
}
