// Owed fees, collected. A fee below Stripe's minimum charge is posted as owed ('deferred'); once a
// seller's owed fees in one currency reach the minimum together, one batch charge collects them.
//
// Hazards, in order: two phase 7 runs of one seller may both see the same owed fees, so the rows
// are reserved for the batch (batch_id, compare and set) before Stripe is called, and a run that
// loses the race charges nothing. The batch id is derived from the fee rows it covers and is the
// charge's idempotency key, so a retry sends the same key; a retry first asks Stripe whether the
// batch was already charged (the effects ledger's reconcile), as every fee charge does. A batch
// reserved but never charged (a crash) is resumed by the next run for that seller and currency.
import { and, asc, eq, inArray, isNull, sql, TransactionRollbackError } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { chargeJournal } from '../domain/ledger.js';
import { money } from '../domain/money.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Db } from '../store/db.js';
import { feeBatches, feeCharges } from '../store/schema/billing-tables.js';
import type { Effects } from '../workflow/effects.js';
import { customerFor } from './customers.js';
import { postJournal } from './ledger-store.js';
import { minimumCharge } from './minimum-charge.js';
import type { ChargeResult, FeeGateway } from './stripe-gateway.js';

export type FeeBatchRow = typeof feeBatches.$inferSelect;

/** Where a batch's sealed PaymentIntent id belongs (the secret box's associated data). */
export const batchRefContext = (batchId: string) => `fee_batch:${batchId}`;

/** The batch's id (and idempotency key) from what it covers: the same fees give the same id. */
export function batchId(userId: string, currency: string, payoutIds: readonly string[]): string {
  const ids = [...payoutIds].sort().join('\n');
  return `fb_${createHash('sha256').update(`${userId}\n${currency}\n${ids}`).digest('hex').slice(0, 24)}`;
}

export interface CollectOptions {
  readonly db: Db;
  readonly effects: Effects;
  readonly box: SecretBox;
  readonly gateway: FeeGateway;
  readonly userId: string;
  readonly currency: string;
  /** The phase attempt's: it cancels the Stripe call in flight. */
  readonly signal?: AbortSignal;
}

export interface Collected {
  readonly batchId: string;
  readonly amountMinor: number;
  readonly status: FeeBatchRow['status'];
  readonly payoutIds: readonly string[];
}

/** What each owed fee still comes to: its fee less what reversals already gave back on it. */
async function owedFees(q: Db, userId: string, currency: string): Promise<Array<{ payoutId: string; owed: number }>> {
  const found = await q
    .select({
      payoutId: feeCharges.payoutId,
      // Qualified by hand: inside the subquery an unqualified payout_id would be the reversal's own.
      owed: sql<string>`(fee_charges.fee_minor + coalesce((SELECT SUM(r.fee_minor) FROM fee_charges r WHERE r.kind = 'refund' AND r.reverses_payout_id = fee_charges.payout_id), 0))::text`,
    })
    .from(feeCharges)
    .where(and(eq(feeCharges.userId, userId), eq(feeCharges.currency, currency), eq(feeCharges.kind, 'charge'), eq(feeCharges.status, 'deferred'), isNull(feeCharges.batchId)))
    .orderBy(asc(feeCharges.createdAt), asc(feeCharges.payoutId));
  return found.map((r) => ({ payoutId: r.payoutId, owed: Number(r.owed) })).filter((r) => r.owed > 0);
}

/** Reserves the owed fees for a new batch once they reach the minimum; undefined when they do not (or another run took them). */
async function reserve(options: CollectOptions): Promise<FeeBatchRow | undefined> {
  return options.db.transaction(async (tx) => {
    const owed = await owedFees(tx, options.userId, options.currency);
    const total = owed.reduce((s, r) => s + BigInt(r.owed), 0n);
    if (owed.length === 0 || total < BigInt(minimumCharge(options.currency))) return undefined;
    const payoutIds = owed.map((r) => r.payoutId);
    const id = batchId(options.userId, options.currency, payoutIds);
    const amount = money(Number(total), options.currency);
    const made = await tx
      .insert(feeBatches)
      .values({ id, userId: options.userId, currency: options.currency, amountMinor: amount.minor, payoutIds, status: 'pending' })
      .onConflictDoNothing()
      .returning();
    const taken = await tx
      .update(feeCharges)
      .set({ batchId: id, updatedAt: sql`now()` })
      .where(and(inArray(feeCharges.payoutId, payoutIds), eq(feeCharges.status, 'deferred'), isNull(feeCharges.batchId)))
      .returning({ payoutId: feeCharges.payoutId });
    // Someone else reserved some of them first: leave it all to them.
    if (made.length === 0 || taken.length !== payoutIds.length) {
      tx.rollback();
    }
    return made[0];
  }).catch((err: unknown) => {
    if (err instanceof TransactionRollbackError) return undefined;
    throw err;
  });
}

/** Records Stripe's answer on the batch, and on success the collection: the ledger and the fees. */
export async function recordBatch(q: Db, box: SecretBox, batch: Pick<FeeBatchRow, 'id' | 'userId' | 'currency' | 'amountMinor'>, result: ChargeResult): Promise<FeeBatchRow['status']> {
  const ref = result.paymentIntentId ? box.seal(result.paymentIntentId, batchRefContext(batch.id)) : null;
  if (result.status === 'processing') {
    if (ref) await q.update(feeBatches).set({ stripeRef: ref, updatedAt: sql`now()` }).where(and(eq(feeBatches.id, batch.id), eq(feeBatches.status, 'pending')));
    return 'pending';
  }
  const to = result.status === 'succeeded' ? 'charged' : 'failed';
  // A decline may later succeed (the seller fixes the card; Stripe's webhook says so).
  const from: Array<FeeBatchRow['status']> = to === 'charged' ? ['pending', 'failed'] : ['pending'];
  const moved = await q
    .update(feeBatches)
    .set({ status: to, updatedAt: sql`now()`, ...(ref ? { stripeRef: ref } : {}) })
    .where(and(eq(feeBatches.id, batch.id), inArray(feeBatches.status, from)))
    .returning({ id: feeBatches.id });
  if (to === 'charged' && moved.length > 0) {
    await postJournal(q, chargeJournal(batch.id, batch.userId, money(batch.amountMinor, batch.currency)), { userId: batch.userId, memo: `owed fees collected by Stripe in batch ${batch.id}` });
    await q
      .update(feeCharges)
      .set({ status: 'collected', updatedAt: sql`now()` })
      .where(and(eq(feeCharges.batchId, batch.id), eq(feeCharges.status, 'deferred')));
  }
  const [now] = await q.select({ status: feeBatches.status }).from(feeBatches).where(eq(feeBatches.id, batch.id));
  return now?.status ?? to;
}

/** Charges one reserved batch through the effects ledger and records the answer. */
async function charge(options: CollectOptions, batch: FeeBatchRow): Promise<Collected> {
  const customerId = await customerFor({ db: options.db, box: options.box, gateway: options.gateway, effects: options.effects, userId: options.userId, ...(options.signal ? { signal: options.signal } : {}) });
  const ctxKey = `effect:fee-batch:${batch.id}`;
  const seal = (r: ChargeResult | undefined) => (r ? { ...r, paymentIntentId: r.paymentIntentId ? options.box.seal(r.paymentIntentId, ctxKey) : '' } : undefined);
  const sinceSeconds = Math.floor(batch.createdAt.getTime() / 1000) - 600;
  const stored = await options.effects.once<ChargeResult>(`fee-batch:${batch.id}`, 'stripe_fee_batch_charge', {
    perform: async (key) =>
      seal(await options.gateway.chargeFee({ customerId, userId: options.userId, claimId: '', payoutId: batch.id, fee: money(batch.amountMinor, batch.currency), idempotencyKey: key, ...(options.signal ? { signal: options.signal } : {}) })) as ChargeResult,
    reconcile: async () => seal(await options.gateway.findFeeCharge({ customerId, payoutId: batch.id, sinceSeconds, ...(options.signal ? { signal: options.signal } : {}) })),
  });
  const result = { ...stored, paymentIntentId: stored.paymentIntentId ? options.box.open(stored.paymentIntentId, ctxKey) : '' };
  const status = await options.db.transaction((tx) => recordBatch(tx, options.box, batch, result));
  return { batchId: batch.id, amountMinor: batch.amountMinor, status, payoutIds: batch.payoutIds };
}

/**
 * Collects a seller's owed fees in one currency if they reach Stripe's minimum: resumes a batch
 * left pending first, else reserves and charges a new one. Undefined when there is nothing to do.
 */
export async function collectOwedFees(options: CollectOptions): Promise<Collected | undefined> {
  const [unfinished] = await options.db
    .select()
    .from(feeBatches)
    .where(and(eq(feeBatches.userId, options.userId), eq(feeBatches.currency, options.currency), eq(feeBatches.status, 'pending'), isNull(feeBatches.stripeRef)))
    .orderBy(asc(feeBatches.createdAt))
    .limit(1);
  const batch = unfinished ?? (await reserve(options));
  return batch ? charge(options, batch) : undefined;
}
