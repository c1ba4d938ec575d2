// The product's table of Stripe's minimum charges (what it defers instead of charging) against the
// simulated Stripe's own copy, through the API: a figure that differs in either table, or a
// currency only one of them knows, fails here instead of agreeing with itself.
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRIPE_MINIMUM_CHARGE_MINOR, chargeable, minimumCharge } from '../../src/billing/minimum-charge.js';
import { money } from '../../src/domain/money.js';
import { MINIMUM_CHARGE_CURRENCIES } from '../../src/simulator/stripe/charge-minimums.js';
import { startStripeSimulator, type StartedStripeSimulator } from '../../src/simulator/stripe/app.js';

describe("the product's minimum charges", () => {
  let sim: StartedStripeSimulator;
  let stripe: Stripe;
  let card: { customer: string; payment_method: string; confirm: true; off_session: true };

  beforeAll(async () => {
    sim = await startStripeSimulator({});
    const u = new URL(sim.url);
    stripe = new Stripe(sim.apiKey, { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0 });
    const customer = await stripe.customers.create({});
    card = { customer: customer.id, payment_method: customer.invoice_settings.default_payment_method as string, confirm: true, off_session: true };
  });
  afterAll(async () => {
    await sim.close();
  });

  it('name the same currencies as the simulated Stripe', () => {
    expect(Object.keys(STRIPE_MINIMUM_CHARGE_MINOR).sort()).toEqual([...MINIMUM_CHARGE_CURRENCIES].sort());
  });

  it('are exactly what the simulated Stripe takes: the minimum is charged, one unit less is refused', async () => {
    const currencies = new Set([...Object.keys(STRIPE_MINIMUM_CHARGE_MINOR), ...MINIMUM_CHARGE_CURRENCIES]);
    for (const code of currencies) {
      const minimum = minimumCharge(code);
      expect(minimum, code).toBeGreaterThan(1);
      expect(chargeable(money(minimum, code)), code).toBe(true);
      expect(chargeable(money(minimum - 1, code)), code).toBe(false);
      const charged = await stripe.paymentIntents.create({ ...card, amount: minimum, currency: code.toLowerCase() });
      expect(charged.status, code).toBe('succeeded');
      await expect(stripe.paymentIntents.create({ ...card, amount: minimum - 1, currency: code.toLowerCase() }), code).rejects.toMatchObject({ code: 'amount_too_small' });
    }
  });

  it('leave a currency neither table lists to Stripe, which takes any positive amount', async () => {
    expect(minimumCharge('ISK')).toBe(1);
    expect((await stripe.paymentIntents.create({ ...card, amount: 1, currency: 'isk' })).status).toBe('succeeded');
  });
});
