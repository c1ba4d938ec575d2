// Clario's side of Stripe, through the official package. The API base is configuration, so the
// bundled simulator and Stripe are the same code path. The API key never leaves this module.
//
// Why a PaymentIntent per payout rather than invoice items: a fee is owed the moment Amazon pays,
// and one PaymentIntent per payout id gives one object to charge, find again (metadata payout_id)
// and refund on a reversal. Invoice items would batch fees into a monthly invoice, delaying
// collection and turning a reversal's refund into a credit note on an invoice already paid.
import Stripe from 'stripe';
import type { Money } from '../domain/money.js';

export interface ChargeResult {
  readonly paymentIntentId: string;
  readonly status: 'succeeded' | 'failed' | 'processing';
  readonly failureCode?: string;
}

export interface RefundResult {
  readonly refundId: string;
  readonly status: 'succeeded' | 'pending' | 'failed';
}

export interface FeeGateway {
  createCustomer(userId: string, idempotencyKey: string): Promise<string>;
  /** The customer made for this user by an earlier attempt, if any (search may lag by a minute). */
  findCustomer(userId: string): Promise<string | undefined>;
  chargeFee(charge: { customerId: string; userId: string; claimId: string; payoutId: string; fee: Money; idempotencyKey: string }): Promise<ChargeResult>;
  /** The PaymentIntent an earlier attempt made for this payout (a consistent list, not search). */
  findFeeCharge(search: { customerId: string; payoutId: string; sinceSeconds: number }): Promise<ChargeResult | undefined>;
  refundFee(refund: { paymentIntentId: string; payoutId: string; amount: Money; idempotencyKey: string }): Promise<RefundResult>;
  findRefund(search: { paymentIntentId: string; payoutId: string }): Promise<RefundResult | undefined>;
  /** Verifies a webhook with Stripe's own function; throws on a bad or stale signature. */
  verifyWebhook(rawBody: Buffer, signature: string, toleranceSeconds?: number): Stripe.Event;
}

export interface StripeGatewayOptions {
  readonly apiKey: string;
  /** e.g. http://127.0.0.1:4242 for the simulator; Stripe's own by default. */
  readonly apiBase?: string | undefined;
  readonly webhookSecret?: string | undefined;
  readonly maxNetworkRetries?: number;
  /** The bound on one request (default 30 s; the SDK's own is 80 s). A timeout is a network error, retried by the SDK with the same idempotency key. */
  readonly timeoutMs?: number;
}

export class WebhookNotConfiguredError extends Error {
  override readonly name = 'WebhookNotConfiguredError';
}

function piStatus(pi: Stripe.PaymentIntent): ChargeResult['status'] {
  if (pi.status === 'succeeded') return 'succeeded';
  if (pi.status === 'requires_payment_method' || pi.status === 'canceled') return 'failed';
  return 'processing';
}

const refundStatus = (r: Stripe.Refund): RefundResult['status'] =>
  r.status === 'succeeded' ? 'succeeded' : r.status === 'failed' || r.status === 'canceled' ? 'failed' : 'pending';

export function createStripeGateway(options: StripeGatewayOptions): FeeGateway {
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  const stripe = new Stripe(options.apiKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 30_000,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'http:' ? 80 : 443)),
          protocol: base.protocol === 'http:' ? 'http' : 'https',
        }
      : {}),
  });
  return {
    async createCustomer(userId, idempotencyKey) {
      const c = await stripe.customers.create({ metadata: { user_id: userId }, description: `Clario seller ${userId}` }, { idempotencyKey });
      return c.id;
    },
    async findCustomer(userId) {
      const found = await stripe.customers.search({ query: `metadata['user_id']:'${userId.replace(/'/g, "\\'")}'` });
      return found.data[0]?.id;
    },
    async chargeFee({ customerId, userId, claimId, payoutId, fee, idempotencyKey }) {
      const customer = await stripe.customers.retrieve(customerId);
      if (customer.deleted) return { paymentIntentId: '', status: 'failed', failureCode: 'customer_deleted' };
      const pm = customer.invoice_settings.default_payment_method;
      const paymentMethod = typeof pm === 'string' ? pm : pm?.id;
      if (!paymentMethod) return { paymentIntentId: '', status: 'failed', failureCode: 'no_payment_method' };
      try {
        const pi = await stripe.paymentIntents.create(
          {
            amount: fee.minor,
            currency: fee.currency.toLowerCase(),
            customer: customerId,
            payment_method: paymentMethod,
            confirm: true,
            off_session: true,
            description: `Clario fee on Amazon payout ${payoutId}`,
            metadata: { payout_id: payoutId, user_id: userId, claim_id: claimId },
          },
          { idempotencyKey },
        );
        return { paymentIntentId: pi.id, status: piStatus(pi) };
      } catch (err) {
        // A decline is an answer, not a failure to ask: retrying the same key replays it.
        if (err instanceof Stripe.errors.StripeCardError) {
          return { paymentIntentId: err.payment_intent?.id ?? '', status: 'failed', failureCode: err.code ?? 'card_error' };
        }
        throw err;
      }
    },
    async findFeeCharge({ customerId, payoutId, sinceSeconds }) {
      for await (const pi of stripe.paymentIntents.list({ customer: customerId, created: { gte: sinceSeconds }, limit: 100 })) {
        if (pi.metadata.payout_id === payoutId) return { paymentIntentId: pi.id, status: piStatus(pi) };
      }
      return undefined;
    },
    async refundFee({ paymentIntentId, payoutId, amount, idempotencyKey }) {
      const r = await stripe.refunds.create(
        { payment_intent: paymentIntentId, amount: amount.minor, metadata: { payout_id: payoutId }, reason: 'requested_by_customer' },
        { idempotencyKey },
      );
      return { refundId: r.id, status: refundStatus(r) };
    },
    async findRefund({ paymentIntentId, payoutId }) {
      for await (const r of stripe.refunds.list({ payment_intent: paymentIntentId, limit: 100 })) {
        if (r.metadata?.payout_id === payoutId) return { refundId: r.id, status: refundStatus(r) };
      }
      return undefined;
    },
    verifyWebhook(rawBody, signature, toleranceSeconds) {
      if (!options.webhookSecret) throw new WebhookNotConfiguredError('STRIPE_WEBHOOK_SECRET is not set');
      return stripe.webhooks.constructEvent(rawBody, signature, options.webhookSecret, toleranceSeconds);
    },
  };
}
