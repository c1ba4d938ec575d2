// A phase attempt that is handed back at shutdown, or timed out, aborts its signal: the Stripe
// call it was making must stop too, not run on for PROVIDER_TIMEOUT_MS. Against the bundled
// Stripe simulator, with the call held in front of the simulator's route.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createStripeGateway } from '../../src/billing/stripe-gateway.js';
import { money } from '../../src/domain/money.js';
import { createStripeSimulator, type StripeSimulator } from '../../src/simulator/stripe/app.js';
import { holdRequests, type HeldRequests } from '../support/held-requests.js';

class StoppedError extends Error {
  override readonly name = 'StoppedError';
}

let sim: StripeSimulator | undefined;
afterEach(async () => {
  sim?.app.server.closeAllConnections();
  await sim?.close();
  sim = undefined;
});

/** The simulator with `method path` held, and a gateway that would wait ten minutes for it. */
async function heldStripe(method: string, path: string): Promise<{ held: HeldRequests; gateway: ReturnType<typeof createStripeGateway>; sim: StripeSimulator }> {
  const s = createStripeSimulator({ apiKey: `sk_test_${randomBytes(12).toString('hex')}` });
  sim = s;
  const held = holdRequests(s.app, (req) => req.method === method && req.url.split('?')[0] === path);
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  const address = s.app.server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  const gateway = createStripeGateway({ apiKey: s.apiKey, apiBase: `http://127.0.0.1:${port}`, timeoutMs: 600_000, maxNetworkRetries: 2 });
  return { held, gateway, sim: s };
}

describe('Stripe calls honour the caller\'s signal', () => {
  it('aborting the signal cancels a fee charge in flight and rejects with its reason', async () => {
    const { held, gateway, sim: s } = await heldStripe('POST', '/v1/payment_intents');
    const customerId = await gateway.createCustomer('u-abort', 'cus-key-1');
    const controller = new AbortController();
    const charge = gateway
      .chargeFee({ customerId, userId: 'u-abort', claimId: 'c-1', payoutId: 'P-1', fee: money(500, 'USD'), idempotencyKey: 'fee-key-1', signal: controller.signal })
      .catch((err: unknown) => err);
    await held.arrived;
    const reason = new StoppedError('handed back at shutdown');
    controller.abort(reason);
    expect(await charge).toBe(reason);
    // The request itself was cancelled: Stripe's side saw the connection close, nothing charged.
    await held.cut;
    expect(s.state.paymentIntents.size).toBe(0);
  });

  it('aborting the signal cancels a customer search in flight', async () => {
    const { held, gateway } = await heldStripe('GET', '/v1/customers/search');
    const controller = new AbortController();
    const search = gateway.findCustomer('u-search', controller.signal).catch((err: unknown) => err);
    await held.arrived;
    const reason = new StoppedError('the attempt timed out');
    controller.abort(reason);
    expect(await search).toBe(reason);
    await held.cut;
  });

  it('an aborted signal sends nothing to Stripe', async () => {
    const { held, gateway, sim: s } = await heldStripe('POST', '/v1/customers');
    const controller = new AbortController();
    const reason = new StoppedError('stopped');
    controller.abort(reason);
    await expect(gateway.createCustomer('u-never', 'cus-key-2', controller.signal)).rejects.toBe(reason);
    expect(held.seen()).toBe(0);
    expect(s.state.customers.size).toBe(0);
  });

  it('a call whose signal is not aborted goes through as usual', async () => {
    const { gateway, sim: s } = await heldStripe('POST', '/v1/refunds');
    const controller = new AbortController();
    const customerId = await gateway.createCustomer('u-fine', 'cus-key-3', controller.signal);
    const charged = await gateway.chargeFee({ customerId, userId: 'u-fine', claimId: 'c-2', payoutId: 'P-2', fee: money(500, 'USD'), idempotencyKey: 'fee-key-2', signal: controller.signal });
    expect(charged.status).toBe('succeeded');
    expect(await gateway.findFeeCharge({ customerId, payoutId: 'P-2', sinceSeconds: 0, signal: controller.signal })).toEqual(charged);
    expect(s.state.paymentIntents.size).toBe(1);
  });
});
