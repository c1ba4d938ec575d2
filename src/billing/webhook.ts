// Stripe's webhooks, once each: the event id is recorded in billing_events in the same transaction
// as its effect, so a redelivery finds it and does nothing, and a crash halfway leaves no record.
import type Stripe from 'stripe';
import { money } from '../domain/money.js';
import { chargeJournal } from '../domain/ledger.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Db } from '../store/db.js';
import { eq } from 'drizzle-orm';
import { billingEvents, feeBatches } from '../store/schema/billing-tables.js';
import { recordBatch } from './collect-owed.js';
import { findFeeCharge, moveFee, stripeRefContext } from './fee-charges.js';
import { postJournal } from './ledger-store.js';

export type WebhookOutcome = 'handled' | 'duplicate' | 'ignored';

/** Binds a billing event's sealed object id to its event, so it cannot be copied to another row. */
export const billingEventContext = (eventId: string) => `billing-event:${eventId}`;

const HANDLED = new Set(['payment_intent.succeeded', 'payment_intent.payment_failed', 'charge.refunded']);

export async function handleStripeEvent(db: Db, box: SecretBox, event: Stripe.Event): Promise<WebhookOutcome> {
  if (!HANDLED.has(event.type)) return 'ignored';
  return db.transaction(async (tx) => {
    const object = event.data.object as { id: string; metadata?: Record<string, string> | null; amount?: number; amount_refunded?: number };
    const payoutId = object.metadata?.payout_id;
    // Only what deduplication and an audit need: the event as Stripe sent it holds the customer,
    // the payment method and more, none of which Clario may keep.
    const fresh = await tx
      .insert(billingEvents)
      .values({
        id: event.id,
        type: event.type,
        createdAt: new Date(event.created * 1000),
        objectRef: box.seal(object.id, billingEventContext(event.id)),
        payoutId: payoutId ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: billingEvents.id });
    if (fresh.length === 0) return 'duplicate';
    const fee = payoutId ? await findFeeCharge(tx, payoutId) : undefined;
    if (!fee && payoutId && event.type !== 'charge.refunded') {
      // A batch of owed fees: its PaymentIntent carries the batch id where a fee's has its payout id.
      const [batch] = await tx.select().from(feeBatches).where(eq(feeBatches.id, payoutId));
      if (batch) {
        const status = event.type === 'payment_intent.succeeded' ? 'succeeded' : 'failed';
        await recordBatch(tx, box, batch, { paymentIntentId: object.id, status });
      }
      return 'handled';
    }
    // Not one of ours (another product on the same account), or a charge we never recorded.
    if (!fee || fee.kind !== 'charge') return 'handled';
    if (event.type === 'payment_intent.succeeded') {
      // The charge may succeed after the phase saw it fail or in flight: collect it now.
      await moveFee(tx, fee.payoutId, ['pending', 'failed'], 'charged', box.seal(object.id, stripeRefContext(fee.payoutId)));
      await postJournal(tx, chargeJournal(fee.payoutId, fee.userId, money(fee.feeMinor, fee.currency)), {
        userId: fee.userId,
        claimId: fee.claimId,
        payoutId: fee.payoutId,
        memo: 'collected by Stripe (webhook)',
      });
    } else if (event.type === 'payment_intent.payment_failed') {
      await moveFee(tx, fee.payoutId, ['pending'], 'failed', box.seal(object.id, stripeRefContext(fee.payoutId)));
    } else if (event.type === 'charge.refunded' && object.amount !== undefined && object.amount_refunded === object.amount) {
      // The whole fee went back (the reversals' own rows carry each refund and its journal).
      await moveFee(tx, fee.payoutId, ['charged'], 'refunded');
    }
    return 'handled';
  });
}
