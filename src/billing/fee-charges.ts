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

/** What a payout's reversals already took back and gave back of its fee (both positive). */
export interface ReversedSoFar {
  readonly reversedMinor: bigint;
  readonly creditedMinor: number;
}

/**
 * Records reversal `payoutId` of `reverses` with the row `decide` makes of what the payout's other
 * reversals already took back (recorded ones, pending too: their money may be on its way), or not
 * at all when `decide` throws. The reversed payout's row is locked meanwhile, so two reversals of
 * one payout settled at once are decided one after the other, each seeing the other's row: they
 * cannot together take back more than it paid. (Phase 7 runs one event of a claim at a time, but
 * a trigger named only by a case id the intake could not resolve yet runs on another lane.)
 */
export async function recordReversal(db: Db, reverses: string, payoutId: string, decide: (before: ReversedSoFar) => typeof feeCharges.$inferInsert): Promise<FeeChargeRow> {
  return db.transaction(async (tx) => {
    await tx.select({ payoutId: feeCharges.payoutId }).from(feeCharges).where(eq(feeCharges.payoutId, reverses)).for('update');
    const others = (await tx.select().from(feeCharges).where(eq(feeCharges.reversesPayoutId, reverses))).filter((r) => r.payoutId !== payoutId);
    const before = {
      reversedMinor: others.reduce((s, r) => s - BigInt(r.reimbursedMinor), 0n),
      creditedMinor: others.reduce((s, r) => s - r.feeMinor, 0),
    };
    return recordIntent(tx, decide(before));
  });
}
