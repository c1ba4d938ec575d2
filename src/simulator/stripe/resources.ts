// The Stripe operations Clario calls: customers (create, retrieve, search), PaymentIntents
// (create-and-confirm off session, retrieve, list, search) and refunds (create, list).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseForm, str, strings, type FormObject } from './form.js';
import { stripeMinimumCharge } from './charge-minimums.js';
import { matchesSearch, stripeId, type StripeObject, type StripeState } from './state.js';
import { requestIdempotencyKey, sendError } from './wire.js';
import type { WebhookSender } from './webhooks.js';

interface Deps {
  readonly state: StripeState;
  readonly webhooks: WebhookSender;
}

const missing = (reply: FastifyReply, kind: string, id: string, param = 'id') =>
  sendError(reply, 404, { type: 'invalid_request_error', code: 'resource_missing', param, message: `No such ${kind}: '${id}'` });

const invalid = (reply: FastifyReply, param: string, message: string) =>
  sendError(reply, 400, { type: 'invalid_request_error', code: 'parameter_invalid', param, message });

function query(req: FastifyRequest): FormObject {
  return parseForm(req.url.split('?')[1] ?? '');
}

function list(url: string, items: StripeObject[], q: FormObject): Record<string, unknown> {
  const limit = Math.min(100, Math.max(1, Number(str(q, 'limit') ?? 10) || 10));
  const sorted = [...items].sort((a, b) => b.created - a.created);
  const after = str(q, 'starting_after');
  const start = after ? sorted.findIndex((item) => item.id === after) + 1 : 0;
  const page = sorted.slice(start, start + limit);
  return { object: 'list', data: page, has_more: start + limit < sorted.length, url };
}

function search(reply: FastifyReply, url: string, items: Iterable<StripeObject>, q: FormObject) {
  const text = str(q, 'query') ?? '';
  const found: StripeObject[] = [];
  for (const item of items) {
    const m = matchesSearch(text, item);
    if (m === undefined) return invalid(reply, 'query', `Invalid search query: ${text}`);
    if (m) found.push(item);
  }
  return reply.send({ object: 'search_result', data: found, has_more: false, next_page: null, url });
}

/** `created[gte]` and friends on a list call. */
function createdFilter(q: FormObject): (item: StripeObject) => boolean {
  const c = q.created;
  if (typeof c === 'string') return (item) => item.created === Number(c);
  if (!c || Array.isArray(c)) return () => true;
  const n = (k: string) => (typeof c[k] === 'string' ? Number(c[k]) : undefined);
  const [gte, gt, lte, lt] = [n('gte'), n('gt'), n('lte'), n('lt')];
  return (item) => (gte === undefined || item.created >= gte) && (gt === undefined || item.created > gt) && (lte === undefined || item.created <= lte) && (lt === undefined || item.created < lt);
}

export function registerResources(app: FastifyInstance, { state, webhooks }: Deps): void {
  const emit = (req: FastifyRequest, type: string, object: StripeObject) => webhooks.send(state.emit(type, object, requestIdempotencyKey(req)));
  const body = (req: FastifyRequest) => (req.body ?? {}) as FormObject;

  app.post('/v1/customers', async (req, reply) => {
    const f = body(req);
    const customer = state.createCustomer({ email: str(f, 'email'), name: str(f, 'name'), metadata: strings(f, 'metadata') });
    emit(req, 'customer.created', customer);
    return reply.send(customer);
  });
  app.get('/v1/customers/search', async (req, reply) => search(reply, '/v1/customers/search', state.customers.values(), query(req)));
  app.get<{ Params: { id: string } }>('/v1/customers/:id', async (req, reply) => {
    const c = state.customers.get(req.params.id);
    return c ? reply.send(c) : missing(reply, 'customer', req.params.id);
  });

  app.post('/v1/payment_intents', async (req, reply) => {
    const f = body(req);
    const amount = Number(str(f, 'amount'));
    const currency = str(f, 'currency')?.toLowerCase();
    if (!Number.isSafeInteger(amount) || amount < 1) return invalid(reply, 'amount', 'This value must be greater than or equal to 1.');
    if (!currency || !/^[a-z]{3}$/.test(currency)) return invalid(reply, 'currency', 'Invalid currency.');
    const minimum = stripeMinimumCharge(currency);
    if (amount < minimum) {
      return sendError(reply, 400, { type: 'invalid_request_error', code: 'amount_too_small', param: 'amount', message: `Amount must be at least ${minimum} ${currency} (in the currency's minor unit)` });
    }
    const customerId = str(f, 'customer');
    if (customerId && !state.customers.has(customerId)) return missing(reply, 'customer', customerId, 'customer');
    const pmId = str(f, 'payment_method');
    const pm = pmId ? state.paymentMethods.get(pmId) : undefined;
    if (pmId && !pm) return missing(reply, 'PaymentMethod', pmId, 'payment_method');
    if (pm && customerId && pm.customer !== customerId) {
      return invalid(reply, 'payment_method', `The provided PaymentMethod belongs to another customer.`);
    }
    const pi: StripeObject = {
      id: stripeId('pi'),
      object: 'payment_intent',
      created: state.seconds(),
      amount,
      amount_received: 0,
      currency,
      customer: customerId ?? null,
      payment_method: pmId ?? null,
      description: str(f, 'description') ?? null,
      metadata: strings(f, 'metadata'),
      status: pmId ? 'requires_confirmation' : 'requires_payment_method',
      capture_method: 'automatic',
      confirmation_method: 'automatic',
      latest_charge: null,
      last_payment_error: null,
      livemode: false,
    };
    state.paymentIntents.set(pi.id, pi);
    emit(req, 'payment_intent.created', pi);
    if (str(f, 'confirm') !== 'true') return reply.send(pi);
    if (!pmId) {
      return sendError(reply, 400, {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message: "You cannot confirm this PaymentIntent because it's missing a payment method.",
        payment_intent: pi,
      });
    }
    const declined = customerId !== undefined && state.declining.has(customerId);
    const charge: StripeObject = {
      id: stripeId('ch'),
      object: 'charge',
      created: state.seconds(),
      amount,
      amount_captured: declined ? 0 : amount,
      amount_refunded: 0,
      currency,
      customer: customerId ?? null,
      payment_intent: pi.id,
      payment_method: pmId,
      metadata: pi.metadata,
      paid: !declined,
      captured: !declined,
      refunded: false,
      status: declined ? 'failed' : 'succeeded',
      failure_code: declined ? 'card_declined' : null,
      livemode: false,
    };
    state.charges.set(charge.id, charge);
    pi.latest_charge = charge.id;
    if (declined) {
      const error = { type: 'card_error' as const, code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.', charge: charge.id };
      Object.assign(pi, { status: 'requires_payment_method', payment_method: null, last_payment_error: error });
      emit(req, 'charge.failed', charge);
      emit(req, 'payment_intent.payment_failed', pi);
      return sendError(reply, 402, { ...error, payment_intent: pi });
    }
    Object.assign(pi, { status: 'succeeded', amount_received: amount });
    emit(req, 'charge.succeeded', charge);
    emit(req, 'payment_intent.succeeded', pi);
    return reply.send(pi);
  });
  app.get('/v1/payment_intents', async (req, reply) => {
    const q = query(req);
    const customer = str(q, 'customer');
    const inRange = createdFilter(q);
    const items = [...state.paymentIntents.values()].filter((p) => (!customer || p.customer === customer) && inRange(p));
    return reply.send(list('/v1/payment_intents', items, q));
  });
  app.get('/v1/payment_intents/search', async (req, reply) => search(reply, '/v1/payment_intents/search', state.paymentIntents.values(), query(req)));
  app.get<{ Params: { id: string } }>('/v1/payment_intents/:id', async (req, reply) => {
    const pi = state.paymentIntents.get(req.params.id);
    return pi ? reply.send(pi) : missing(reply, 'payment_intent', req.params.id);
  });

  app.post('/v1/refunds', async (req, reply) => {
    const f = body(req);
    const piId = str(f, 'payment_intent');
    const pi = piId ? state.paymentIntents.get(piId) : undefined;
    const chargeId = str(f, 'charge') ?? (pi?.latest_charge as string | undefined);
    const charge = chargeId ? state.charges.get(chargeId) : undefined;
    if (piId && !pi) return missing(reply, 'payment_intent', piId, 'payment_intent');
    if (!charge || charge.status !== 'succeeded') {
      return invalid(reply, piId ? 'payment_intent' : 'charge', 'This PaymentIntent does not have a successful charge to refund.');
    }
    const left = (charge.amount as number) - (charge.amount_refunded as number);
    const amount = str(f, 'amount') === undefined ? left : Number(str(f, 'amount'));
    if (!Number.isSafeInteger(amount) || amount < 1) return invalid(reply, 'amount', 'This value must be greater than or equal to 1.');
    if (amount > left) {
      return sendError(reply, 400, {
        type: 'invalid_request_error',
        code: 'charge_already_refunded',
        message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
        param: 'amount',
      });
    }
    const refund: StripeObject = {
      id: stripeId('re'),
      object: 'refund',
      created: state.seconds(),
      amount,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      currency: charge.currency,
      metadata: strings(f, 'metadata'),
      reason: str(f, 'reason') ?? null,
      status: 'succeeded',
    };
    state.refunds.set(refund.id, refund);
    Object.assign(charge, { amount_refunded: (charge.amount_refunded as number) + amount, refunded: amount === left });
    emit(req, 'refund.created', refund);
    emit(req, 'charge.refunded', charge);
    return reply.send(refund);
  });
  app.get('/v1/refunds', async (req, reply) => {
    const q = query(req);
    const piId = str(q, 'payment_intent');
    const chargeId = str(q, 'charge');
    const items = [...state.refunds.values()].filter((r) => (!piId || r.payment_intent === piId) && (!chargeId || r.charge === chargeId));
    return reply.send(list('/v1/refunds', items, q));
  });
}
