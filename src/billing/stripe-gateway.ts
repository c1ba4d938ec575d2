// Clario's side of Stripe, through the official package. The API base is configuration, so the
// bundled simulator and Stripe are the same code path. The API key never leaves this module.
//
// Why a PaymentIntent per payout rather than invoice items: a fee is owed the moment Amazon pays,
// and one PaymentIntent per payout id gives one object to charge, find again (metadata payout_id)
// and refund on a reversal. Invoice items would batch fees into a monthly invoice, delaying
// collection and turning a reversal's refund into a credit note on an invoice already paid.
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
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

/**
 * Every call takes the caller's signal (the phase attempt's): once it is aborted no request starts,
 * the one in flight is cancelled, and the call rejects at once with the signal's reason.
 */
export interface FeeGateway {
  createCustomer(userId: string, idempotencyKey: string, signal?: AbortSignal): Promise<string>;
  /** The customer made for this user by an earlier attempt, if any (search may lag by a minute). */
  findCustomer(userId: string, signal?: AbortSignal): Promise<string | undefined>;
  chargeFee(charge: { customerId: string; userId: string; claimId: string; payoutId: string; fee: Money; idempotencyKey: string; signal?: AbortSignal }): Promise<ChargeResult>;
  /** The PaymentIntent an earlier attempt made for this payout (a consistent list, not search). */
  findFeeCharge(search: { customerId: string; payoutId: string; sinceSeconds: number; signal?: AbortSignal }): Promise<ChargeResult | undefined>;
  refundFee(refund: { paymentIntentId: string; payoutId: string; amount: Money; idempotencyKey: string; signal?: AbortSignal }): Promise<RefundResult>;
  findRefund(search: { paymentIntentId: string; payoutId: string; signal?: AbortSignal }): Promise<RefundResult | undefined>;
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

// The Stripe package takes no per-request signal, and its HTTP requests are made deep inside it.
// So a call runs with its caller's signal in this store, and every HTTP request that starts in
// that call (Node announces each one on the diagnostics channel, synchronously, in the caller's
// async context) is destroyed when the signal aborts; a retry the package schedules afterwards
// is destroyed before it sends anything. Requests made outside a gateway call are left alone.
const callerSignal = new AsyncLocalStorage<AbortSignal>();

/** Why the signal was aborted, as an Error (an abort without a reason gives an AbortError already). */
const abortReason = (signal: AbortSignal): Error => (signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));

subscribe('http.client.request.start', (message) => {
  const signal = callerSignal.getStore();
  if (!signal) return;
  const request = (message as { request: ClientRequest }).request;
  if (signal.aborted) {
    request.destroy(abortReason(signal));
    return;
  }
  const cancel = () => request.destroy(abortReason(signal));
  signal.addEventListener('abort', cancel, { once: true });
  request.once('close', () => signal.removeEventListener('abort', cancel));
});

/** Runs one gateway call under the caller's signal (see above); rejects with its reason on abort. */
async function underSignal<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  if (!signal) return call();
  signal.throwIfAborted();
  const pending = callerSignal.run(signal, call);
  // The package may sit out a retry backoff before it gives up; the caller does not wait for it.
  pending.catch(() => undefined);
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([pending, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

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
    createCustomer: (userId, idempotencyKey, signal) =>
      underSignal(signal, async () => {
        const c = await stripe.customers.create({ metadata: { user_id: userId }, description: `Clario seller ${userId}` }, { idempotencyKey });
        return c.id;
      }),
    findCustomer: (userId, signal) =>
      underSignal(signal, async () => {
        const found = await stripe.customers.search({ query: `metadata['user_id']:'${userId.replace(/'/g, "\\'")}'` });
        return found.data[0]?.id;
      }),
    chargeFee: ({ customerId, userId, claimId, payoutId, fee, idempotencyKey, signal }) =>
      underSignal(signal, async (): Promise<ChargeResult> => {
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
      }),
    findFeeCharge: ({ customerId, payoutId, sinceSeconds, signal }) =>
      underSignal(signal, async (): Promise<ChargeResult | undefined> => {
        for await (const pi of stripe.paymentIntents.list({ customer: customerId, created: { gte: sinceSeconds }, limit: 100 })) {
          if (pi.metadata.payout_id === payoutId) return { paymentIntentId: pi.id, status: piStatus(pi) };
        }
        return undefined;
      }),
    refundFee: ({ paymentIntentId, payoutId, amount, idempotencyKey, signal }) =>
      underSignal(signal, async (): Promise<RefundResult> => {
        const r = await stripe.refunds.create(
          { payment_intent: paymentIntentId, amount: amount.minor, metadata: { payout_id: payoutId }, reason: 'requested_by_customer' },
          { idempotencyKey },
        );
        return { refundId: r.id, status: refundStatus(r) };
      }),
    findRefund: ({ paymentIntentId, payoutId, signal }) =>
      underSignal(signal, async (): Promise<RefundResult | undefined> => {
        for await (const r of stripe.refunds.list({ payment_intent: paymentIntentId, limit: 100 })) {
          if (r.metadata?.payout_id === payoutId) return { refundId: r.id, status: refundStatus(r) };
        }
        return undefined;
      }),
    verifyWebhook(rawBody, signature, toleranceSeconds) {
      if (!options.webhookSecret) throw new WebhookNotConfiguredError('STRIPE_WEBHOOK_SECRET is not set');
      return stripe.webhooks.constructEvent(rawBody, signature, options.webhookSecret, toleranceSeconds);
    },
  };
}
