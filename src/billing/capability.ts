// Phase 7's money: the settlement capability. A reimbursement earns the fee (posted in the
// phase's commit) and is charged through Stripe once, through the effects ledger; a fee below
// Stripe's minimum is owed ('deferred') and collected with the seller's other owed fees in one
// batch once they reach the minimum (collect-owed.ts). A reversal credits the fee back and, if it
// had been collected, refunds it; a fee never collected is just owed less ('cancelled', not
// 'refunded'). Stripe is called before the commit; the fee_charges row is written before Stripe,
// so a webhook that arrives first finds it.
import { eq } from 'drizzle-orm';
import type { Money } from '../domain/money.js';
import { money } from '../domain/money.js';
import { RetryAfterError, NonRetryableError } from '../domain/errors.js';
import { creditOn, feeOn } from '../domain/fee.js';
import { reversalConflict, reversalOverreach } from '../domain/payout-check.js';
import { chargeJournal, feeJournal, refundJournal, reversalJournal } from '../domain/ledger.js';
import type { SecretBox } from '../security/secret-box.js';
import type { ClaimRow } from '../store/claim-rows.js';
import { feeBatches } from '../store/schema/billing-tables.js';
import type { Capabilities, CapabilityContext, CapabilityResult } from '../workflow/capabilities.js';
import { batchRefContext, collectOwedFees } from './collect-owed.js';
import { customerFor } from './customers.js';
import { chargeable } from './minimum-charge.js';
import { findFeeCharge, moveFee, recordIntent, recordReversal, stripeRefContext } from './fee-charges.js';
import { postJournal } from './ledger-store.js';
import type { ChargeResult, FeeGateway, RefundResult } from './stripe-gateway.js';

export type PayoutKind = 'reimbursement' | 'reversal';

export interface SettleInput {
  readonly claim: ClaimRow;
  readonly caseId: string;
  readonly payoutId: string;
  readonly amount: Money;
  readonly kind?: PayoutKind | undefined;
  readonly reverses?: string | undefined;
}

export interface BillingOptions {
  readonly gateway: FeeGateway;
  readonly box: SecretBox;
  readonly feeRateBp: number;
  /** How long to wait for the original payout to settle before a reversal of it. */
  readonly waitForOriginalMs?: number;
}

/** Reconciling a charge lists the customer's PaymentIntents made since a little before the intent. */
const RECONCILE_MARGIN_S = 600;

export function billingCapability(options: BillingOptions): Capabilities['settlement'] {
  return {
    settle: (ctx, input) => (input.kind === 'reversal' ? reverse(ctx, input, options) : charge(ctx, input, options)),
  };
}

async function charge(ctx: CapabilityContext, input: SettleInput, options: BillingOptions): Promise<CapabilityResult> {
  const { claim, caseId, payoutId, amount } = input;
  const userId = claim.userId;
  if (amount.minor < 0) throw new NonRetryableError(`payout ${payoutId} is negative: send it as kind 'reversal'`, 'invalid_trigger');
  const fee = feeOn(amount, options.feeRateBp);
  // Below Stripe's minimum the fee is earned and owed but not charged on its own ('deferred').
  const initial = fee.minor === 0 ? 'charged' : chargeable(fee) ? 'pending' : 'deferred';
  const row = await recordIntent(ctx.db, {
    payoutId, userId, claimId: claim.id, caseId, kind: 'charge', reimbursedMinor: amount.minor, feeMinor: fee.minor,
    currency: amount.currency, rateBp: options.feeRateBp, status: initial,
  });
  // The fee as recorded (a repeat of this payout keeps the first row's figures).
  const earned = money(row.feeMinor, row.currency);
  let result: ChargeResult | undefined;
  // Only a fee charged on its own goes to Stripe under its payout's key; an owed one (deferred, or
  // already collected in a batch) never does.
  if (row.feeMinor > 0 && row.status !== 'deferred' && row.status !== 'collected') {
    const customerId = await customerFor({ db: ctx.db, box: options.box, gateway: options.gateway, effects: ctx.effects, userId, signal: ctx.signal });
    const sinceSeconds = Math.floor(row.createdAt.getTime() / 1000) - RECONCILE_MARGIN_S;
    // The effects table keeps the answer: with Stripe's id sealed, like everywhere else at rest.
    const ctxKey = `effect:fee:${payoutId}`;
    const seal = (r: ChargeResult | undefined) => (r ? { ...r, paymentIntentId: r.paymentIntentId ? options.box.seal(r.paymentIntentId, ctxKey) : '' } : undefined);
    const stored = await ctx.effects.once<ChargeResult>(`fee:${payoutId}`, 'stripe_fee_charge', {
      perform: async (key) => seal(await options.gateway.chargeFee({ customerId, userId, claimId: claim.id, payoutId, fee: earned, idempotencyKey: key, signal: ctx.signal })) as ChargeResult,
      reconcile: async () => seal(await options.gateway.findFeeCharge({ customerId, payoutId, sinceSeconds, signal: ctx.signal })),
    });
    result = { ...stored, paymentIntentId: stored.paymentIntentId ? options.box.open(stored.paymentIntentId, ctxKey) : '' };
  }
  const status = result ? (result.status === 'succeeded' ? 'charged' : result.status === 'failed' ? 'failed' : 'pending') : row.status === 'deferred' || row.status === 'collected' ? row.status : 'charged';
  // Right after a fee is posted: the seller's owed fees in this currency may now reach the minimum.
  const batch = await collectOwedFees({ db: ctx.db, effects: ctx.effects, box: options.box, gateway: options.gateway, userId, currency: amount.currency, signal: ctx.signal });
  return {
    data: {
      fee: { minor: earned.minor, currency: earned.currency, rate_bp: row.rateBp },
      fee_status: batch?.status === 'charged' && batch.payoutIds.includes(payoutId) ? 'collected' : status,
      ...(result?.failureCode ? { fee_failure: result.failureCode } : {}),
      ...(batch ? { owed_fees_batch: { batch_id: batch.batchId, amount_minor: batch.amountMinor, status: batch.status, fees: batch.payoutIds.length } } : {}),
    },
    apply: async (tx) => {
      const posting = { userId, claimId: claim.id, payoutId };
      await postJournal(tx, feeJournal(payoutId, userId, earned), { ...posting, memo: `fee ${row.rateBp} bp on payout ${payoutId}` });
      if (result?.status === 'succeeded') await postJournal(tx, chargeJournal(payoutId, userId, earned), { ...posting, memo: 'collected by Stripe' });
      if (result && status !== 'pending') {
        const ref = result.paymentIntentId ? options.box.seal(result.paymentIntentId, stripeRefContext(payoutId)) : undefined;
        // A webhook may have moved it already; then there is nothing to do.
        await moveFee(tx, payoutId, ['pending'], status, ref);
      } else if (result?.paymentIntentId) {
        await moveFee(tx, payoutId, ['pending'], 'pending', options.box.seal(result.paymentIntentId, stripeRefContext(payoutId)));
      }
    },
  };
}

async function reverse(ctx: CapabilityContext, input: SettleInput, options: BillingOptions): Promise<CapabilityResult> {
  const { claim, caseId, payoutId, amount, reverses } = input;
  const userId = claim.userId;
  if (!reverses) throw new NonRetryableError(`reversal ${payoutId} does not say which payout it reverses`, 'invalid_trigger');
  if (amount.minor > 0) throw new NonRetryableError(`reversal ${payoutId} must be negative`, 'invalid_trigger');
  const original = await findFeeCharge(ctx.db, reverses);
  const wait = options.waitForOriginalMs ?? 60_000;
  if (!original || original.status === 'pending') {
    // Amazon's reversal can reach us before its payout has been settled: wait for it.
    throw new RetryAfterError(`payout ${reverses} has not been settled yet`, wait, 'original_not_settled');
  }
  // A reversal gives back the fee of its own claim's payout, never another claim's.
  const conflict = reversalConflict(amount, { userId, claimId: claim.id, caseId }, original);
  if (conflict) throw new NonRetryableError(`reversal ${payoutId} does not fit payout ${reverses}: ${conflict}`, 'payout_conflict');
  const row = await recordReversal(ctx.db, reverses, payoutId, (before) => {
    // Decided under the payout's lock, with what its other reversals took back and gave back.
    const over = reversalOverreach(amount, original, before.reversedMinor);
    if (over) throw new NonRetryableError(`reversal ${payoutId} does not fit payout ${reverses}: ${over}`, 'payout_mismatch');
    const credit = creditOn(amount, original.rateBp, {
      fee: money(original.feeMinor, original.currency),
      credited: money(before.creditedMinor, original.currency),
    });
    return {
      payoutId, userId, claimId: claim.id, caseId, kind: 'refund', reversesPayoutId: reverses, reimbursedMinor: amount.minor,
      feeMinor: -credit.minor, currency: amount.currency, rateBp: original.rateBp, status: 'pending',
    };
  });
  const given = money(-row.feeMinor, row.currency);
  // Only a fee Stripe collected is paid back; an uncollected one is just owed less. A fee collected
  // in a batch is refunded from the batch's PaymentIntent.
  const collected = original.status === 'charged' || original.status === 'refunded' || original.status === 'collected';
  const paymentIntentOf = async (): Promise<string | undefined> => {
    if (original.status !== 'collected') return original.stripeRef ? options.box.open(original.stripeRef, stripeRefContext(reverses)) : undefined;
    if (!original.batchId) return undefined;
    const [batch] = await ctx.db.select().from(feeBatches).where(eq(feeBatches.id, original.batchId));
    return batch?.stripeRef ? options.box.open(batch.stripeRef, batchRefContext(batch.id)) : undefined;
  };
  let refund: RefundResult | undefined;
  const paymentIntentId = collected && given.minor > 0 ? await paymentIntentOf() : undefined;
  if (paymentIntentId) {
    const ctxKey = `effect:refund:${payoutId}`;
    const seal = (r: RefundResult | undefined) => (r ? { ...r, refundId: options.box.seal(r.refundId, ctxKey) } : undefined);
    const stored = await ctx.effects.once<RefundResult>(`refund:${payoutId}`, 'stripe_fee_refund', {
      perform: async (key) => seal(await options.gateway.refundFee({ paymentIntentId, payoutId, amount: given, idempotencyKey: key, signal: ctx.signal })) as RefundResult,
      reconcile: async () => seal(await options.gateway.findRefund({ paymentIntentId, payoutId, signal: ctx.signal })),
    });
    refund = { ...stored, refundId: options.box.open(stored.refundId, ctxKey) };
    if (refund.status === 'failed') throw new NonRetryableError(`Stripe could not refund the fee of ${reverses}`, 'refund_failed');
  }
  return {
    data: { fee_credit: { minor: given.minor, currency: given.currency }, reverses, refunded: Boolean(refund) },
    apply: async (tx) => {
      const posting = { userId, claimId: claim.id, payoutId };
      await postJournal(tx, reversalJournal(payoutId, userId, given), { ...posting, memo: `reverses ${reverses}` });
      if (refund) await postJournal(tx, refundJournal(payoutId, userId, given), { ...posting, memo: `refunded by Stripe (${reverses})` });
      const ref = refund ? options.box.seal(refund.refundId, stripeRefContext(payoutId)) : undefined;
      // Nothing was collected (or nothing is given back): no money moves, so it is not a refund.
      await moveFee(tx, payoutId, ['pending'], refund ? 'refunded' : 'cancelled', ref);
    },
  };
}
