// fee_charges: one row per payout Clario settled, a fee (kind 'charge') or, for a reversal, the fee
// given back (kind 'refund'), and where its Stripe side stands. The Stripe object id is sealed.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { NonRetryableError } from '../domain/errors.js';
import type { Db } from '../store/db.js';
import { feeCharges } from '../store/schema/billing-tables.js';

export type FeeChargeRow = typeof feeCharges.$inferSelect;
export type FeeStatus = FeeChargeRow['status'];

/** Where a sealed Stripe id belongs (the secret box's associated data). */
export const stripeRefContext = (payoutId: string) => `fee_charge:${payoutId}`;

export async function findFeeCharge(q: Db, payoutId: string): Promise<FeeChargeRow | undefined> {
  const [row] = await q.select().from(feeCharges).where(eq(feeCharges.payoutId, payoutId));
  return row;
}

/**
 * Records the fee before Stripe is called, so a webhook that outruns the phase finds its row. The
 * same payout settled again must say the same thing; a different amount under one payout id is
 * a conflict no retry can fix.
 */
export async function recordIntent(q: Db, row: typeof feeCharges.$inferInsert): Promise<FeeChargeRow> {
  await q.insert(feeCharges).values(row).onConflictDoNothing();
  const stored = await findFeeCharge(q, row.payoutId);
  if (!stored) throw new Error(`fee charge ${row.payoutId} vanished`);
  const same =
    stored.userId === row.userId &&
    stored.claimId === row.claimId &&
    stored.kind === row.kind &&
    stored.reimbursedMinor === row.reimbursedMinor &&
    stored.currency === row.currency;
  if (!same) {
    throw new NonRetryableError(`payout ${row.payoutId} was already settled with other details (claim ${stored.claimId}, ${stored.reimbursedMinor} ${stored.currency})`, 'payout_conflict');
  }
  return stored;
}

/** Compare-and-set of a fee's status; returns false when it was no longer in one of `from`. */
export async function moveFee(q: Db, payoutId: string, from: readonly FeeStatus[], to: FeeStatus, stripeRef?: string): Promise<boolean> {
  const r = await q
    .update(feeCharges)
    .set({ status: to, updatedAt: sql`now()`, ...(stripeRef ? { stripeRef } : {}) })
    .where(and(eq(feeCharges.payoutId, payoutId), inArray(feeCharges.status, [...from])))
    .returning({ payoutId: feeCharges.payoutId });
  return r.length > 0;
}

/** The fee already given back on `payoutId` by earlier reversals (a positive amount). */
export async function creditedSoFar(q: Db, payoutId: string, excludingPayoutId: string): Promise<number> {
  const all = await q.select().from(feeCharges).where(eq(feeCharges.reversesPayoutId, payoutId));
  return all.filter((r) => r.payoutId !== excludingPayoutId).reduce((s, r) => s - r.feeMinor, 0);
}
