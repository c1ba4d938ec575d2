// An operator credits a parked line (GET /api/v1/ops/payouts/unmatched) by triggering phase 7 with
// the claim named. The line goes onto that claim before phase 7 runs, as creditLine writes a line
// it matched: the proof packet then shows it, the unmatched list no longer offers it, and a report
// line of the same reimbursement later is this payout (its key), never a second one.
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { claims } from './schema/claims-tables.js';
import { reimbursements } from './schema/payouts-tables.js';

export interface OperatorCredit {
  readonly userId: string;
  readonly claimId: string;
  readonly payoutId: string;
  readonly amountMinor: number;
  readonly currency: string;
}

/** Why a credit of a parked line cannot be what the operator meant: nothing is moved. */
export class ParkedLineMismatchError extends Error {
  override readonly name = 'ParkedLineMismatchError';
}

const samePayout = (payoutId: string) => sql`${reimbursements.reimbursementId} || ':' || ${reimbursements.lineKey} = ${payoutId}`;

/**
 * Moves the parked line `payoutId` names onto the claim, if there is one. Returns how to park it
 * again (when the trigger could not be stored), or undefined when no parked line was moved. A
 * credit of another amount or currency than the line's, or on a claim of another case, would pay
 * what Amazon did not: refused (ParkedLineMismatchError).
 */
export async function creditParkedLine(db: Db, c: OperatorCredit): Promise<(() => Promise<void>) | undefined> {
  const [line] = await db
    .select()
    .from(reimbursements)
    .where(and(eq(reimbursements.userId, c.userId), samePayout(c.payoutId), isNotNull(reimbursements.unmatchedReason)));
  if (!line?.unmatchedReason) return undefined;
  const [claim] = await db.select({ caseId: claims.caseId, userId: claims.userId }).from(claims).where(eq(claims.id, c.claimId));
  const amount = `${line.amountMinor} ${line.currency}`;
  if (line.amountMinor !== c.amountMinor || line.currency !== c.currency) {
    throw new ParkedLineMismatchError(`payout ${c.payoutId} is Amazon's line of ${amount}, parked: credit it with that amount, not ${c.amountMinor} ${c.currency}`);
  }
  if (!claim || claim.userId !== c.userId || claim.caseId !== line.caseId) {
    throw new ParkedLineMismatchError(`payout ${c.payoutId} is on case ${line.caseId ?? '(none)'}; claim ${c.claimId} is not a claim of that case`);
  }
  const reason = line.unmatchedReason;
  // Compare and set: a line another request credited meanwhile stays where it went.
  const moved = await db
    .update(reimbursements)
    .set({ claimId: c.claimId, unmatchedReason: null })
    .where(and(eq(reimbursements.userId, c.userId), samePayout(c.payoutId), eq(reimbursements.unmatchedReason, reason)))
    .returning({ id: reimbursements.reimbursementId });
  if (moved.length === 0) return undefined;
  return async () => {
    await db
      .update(reimbursements)
      .set({ claimId: line.claimId, unmatchedReason: reason })
      .where(and(eq(reimbursements.userId, c.userId), samePayout(c.payoutId), eq(reimbursements.claimId, c.claimId)));
  };
}
