import { createServer, type Server } from 'node:http';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSimulator, type StartedStripeSimulator } from '../../src/simulator/stripe/app.js';

function client(sim: StartedStripeSimulator, key = sim.apiKey): Stripe {
  const u = new URL(sim.url);
  return new Stripe(key, { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0 });
}

describe('the Stripe simulator, driven by the official stripe package', () => {
  let sim: StartedStripeSimulator;
  let receiver: Server;
  const received: Array<{ signature: string; body: string }> = [];
  const secret = 'whsec_test_simulator';
  let failFirst = true;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        // The first delivery fails, so the retry is seen.
        if (failFirst) {
          failFirst = false;
          res.writeHead(500).end();
          return;
        }
        received.push({ signature: String(req.headers['stripe-signature']), body });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const port = (receiver.address() as { port: number }).port;
    sim = await startStripeSimulator({ webhook: { url: () => `http://127.0.0.1:${port}/hook`, secret, retryDelaysMs: [10, 10, 10] } });
  });
  afterAll(async () => {
    await sim.close();
    await new Promise((r) => receiver.close(r));
  });

  it('refuses a wrong API key the way Stripe does', async () => {
    await expect(client(sim, 'sk_test_wrong_key_123456').customers.create({})).rejects.toMatchObject({
      type: 'StripeAuthenticationError',
      statusCode: 401,
    });
  });

  it('creates a customer with a default card and charges it off session, once per idempotency key', async () => {
    const stripe = client(sim);
    const customer = await stripe.customers.create({ metadata: { user_id: 'u1' } }, { idempotencyKey: 'customer:u1' });
    const pm = customer.invoice_settings.default_payment_method;
    expect(typeof pm).toBe('string');
    const params = { amount: 250, currency: 'usd', customer: customer.id, payment_method: pm as string, confirm: true, off_session: true, metadata: { payout_id: 'P-1' } };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'fee:P-1' });
    const again = await stripe.paymentIntents.create(params, { idempotencyKey: 'fee:P-1' });
    expect(first.status).toBe('succeeded');
    expect(again.id).toBe(first.id);
    expect(sim.state.paymentIntents.size).toBe(1);
    await expect(stripe.paymentIntents.create({ ...params, amount: 999 }, { idempotencyKey: 'fee:P-1' })).rejects.toMatchObject({
      type: 'StripeIdempotencyError',
      statusCode: 400,
    });
    const listed = await stripe.paymentIntents.list({ customer: customer.id, created: { gte: first.created } });
    expect(listed.data.map((p) => p.metadata.payout_id)).toEqual(['P-1']);
    const found = await stripe.paymentIntents.search({ query: "metadata['payout_id']:'P-1'" });
    expect(found.data.map((p) => p.id)).toEqual([first.id]);
  });

  it('refuses a charge below the currency\'s minimum as amount_too_small, as Stripe does', async () => {
    const stripe = client(sim);
    const customer = await stripe.customers.create({ metadata: { user_id: 'u-min' } });
    const pm = customer.invoice_settings.default_payment_method as string;
    const params = { customer: customer.id, payment_method: pm, confirm: true, off_session: true };
    await expect(stripe.paymentIntents.create({ ...params, amount: 49, currency: 'usd' })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'amount_too_small',
      param: 'amount',
      statusCode: 400,
    });
    await expect(stripe.paymentIntents.create({ ...params, amount: 29, currency: 'gbp' })).rejects.toMatchObject({ code: 'amount_too_small' });
    expect((await stripe.paymentIntents.create({ ...params, amount: 30, currency: 'gbp' })).status).toBe('succeeded');
    expect((await stripe.paymentIntents.create({ ...params, amount: 50, currency: 'usd' })).status).toBe('succeeded');
  });

  it('refunds part of a charge and refuses to refund more than is left', async () => {
    const stripe = client(sim);
    const customer = await stripe.customers.create({ metadata: { user_id: 'u2' } });
    const pi = await stripe.paymentIntents.create({
      amount: 1000, currency: 'jpy', customer: customer.id, payment_method: customer.invoice_settings.default_payment_method as string, confirm: true, off_session: true,
    });
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 400, metadata: { payout_id: 'R-1' } }, { idempotencyKey: 'refund:R-1' });
    expect(refund).toMatchObject({ amount: 400, status: 'succeeded', payment_intent: pi.id });
    await expect(stripe.refunds.create({ payment_intent: pi.id, amount: 601 })).rejects.toMatchObject({ statusCode: 400 });
    const refunds = await stripe.refunds.list({ payment_intent: pi.id });
    expect(refunds.data.map((r) => r.metadata?.payout_id)).toEqual(['R-1']);
  });

  it('declines a card as a card_error with the PaymentIntent attached', async () => {
    const stripe = client(sim);
    const customer = await stripe.customers.create({});
    sim.state.declining.add(customer.id);
    const err = await stripe.paymentIntents
      .create({ amount: 100, currency: 'usd', customer: customer.id, payment_method: customer.invoice_settings.default_payment_method as string, confirm: true, off_session: true })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'StripeCardError', code: 'card_declined', statusCode: 402 });
    expect((err as Stripe.errors.StripeCardError).payment_intent?.status).toBe('requires_payment_method');
  });

  it('signs webhooks so that stripe.webhooks.constructEvent accepts them, and retries a failed delivery', async () => {
    await sim.webhooksIdle();
    expect(received.length).toBe(sim.state.events.length);
    expect(sim.deliveries.some((d) => d.status === 500)).toBe(true);
    const stripe = client(sim);
    for (const r of received) {
      const event = stripe.webhooks.constructEvent(r.body, r.signature, secret);
      expect(event.object).toBe('event');
    }
    const first = received[0];
    if (!first) throw new Error('no webhook');
    expect(() => stripe.webhooks.constructEvent(first.body, first.signature, 'whsec_other')).toThrow(/signature/i);
  });

  it('drops the answer of a call that took effect when told to (a crash between call and record)', async () => {
    const stripe = client(sim);
    const customer = await stripe.customers.create({});
    // The stripe package retries a closed connection once with the same key: drop both answers.
    sim.dropNextResponse('POST', '/v1/payment_intents', 2);
    const before = sim.state.paymentIntents.size;
    const replays = sim.replays.count;
    await expect(
      stripe.paymentIntents.create({ amount: 100, currency: 'usd', customer: customer.id, payment_method: customer.invoice_settings.default_payment_method as string, confirm: true, off_session: true }),
    ).rejects.toMatchObject({ type: 'StripeConnectionError' });
    expect(sim.state.paymentIntents.size).toBe(before + 1);
    expect(sim.replays.count).toBe(replays + 1);
  });
});
