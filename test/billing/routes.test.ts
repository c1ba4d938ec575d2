import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRIPE_WEBHOOK_PATH } from '../../src/billing/routes.js';
import { signStripePayload } from '../../src/simulator/stripe/signature.js';
import { ledgerEntries } from '../../src/store/schema/billing-tables.js';
import { startBilling, WEBHOOK_SECRET, type BillingHarness } from './support.js';

function event(id: string): string {
  return JSON.stringify({
    id, object: 'event', api_version: '2025-09-30.clover', created: Math.floor(Date.now() / 1000), type: 'payment_intent.succeeded', livemode: false, pending_webhooks: 1,
    data: { object: { id: 'pi_x', object: 'payment_intent', metadata: { payout_id: 'not-ours' } } }, request: { id: null, idempotency_key: null },
  });
}

describe('billing over HTTP', () => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await startBilling();
  });
  afterAll(async () => {
    await h?.close();
  });

  const post = (body: string, signature: string | undefined) =>
    fetch(`${h.t.url}${STRIPE_WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) }, body });
  const now = () => Math.floor(Date.now() / 1000);

  describe('the Stripe webhook', () => {
    it('accepts a correctly signed event without a bearer token, and a replay of it once', async () => {
      const body = event('evt_good_1');
      const first = await post(body, signStripePayload(body, WEBHOOK_SECRET, now()));
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ received: true, outcome: 'handled' });
      const again = await post(body, signStripePayload(body, WEBHOOK_SECRET, now()));
      expect(await again.json()).toEqual({ received: true, outcome: 'duplicate' });
    });

    it('refuses a wrong signature, a changed body, a missing header and an old timestamp', async () => {
      const body = event('evt_bad_1');
      const wrong = await post(body, signStripePayload(body, 'whsec_someone_else', now()));
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toMatchObject({ error: { code: 'invalid_signature' } });
      const tampered = await post(body.replace('not-ours', 'PAY-1'), signStripePayload(body, WEBHOOK_SECRET, now()));
      expect(tampered.status).toBe(400);
      expect((await post(body, undefined)).status).toBe(400);
      // Signed correctly, but ten minutes ago: a replay from a captured request.
      const old = await post(body, signStripePayload(body, WEBHOOK_SECRET, now() - 600));
      expect(old.status).toBe(400);
      // None of them was recorded: the genuine event still counts once.
      const genuine = await post(body, signStripePayload(body, WEBHOOK_SECRET, now()));
      expect(await genuine.json()).toEqual({ received: true, outcome: 'handled' });
    });
  });

  describe('the statement', () => {
    beforeAll(async () => {
      await h.fileClaim({ userId: 'seller-s', claimId: 's-1', caseId: 'CASE-S1', amountMinor: 10000, currency: 'USD' });
      await h.fileClaim({ userId: 'seller-s', claimId: 's-2', caseId: 'CASE-S2', amountMinor: 4321, currency: 'USD' });
      await h.fileClaim({ userId: 'seller-s', claimId: 's-3', caseId: 'CASE-S3', amountMinor: 700, currency: 'JPY' });
      await h.payout({ userId: 'seller-s', claimId: 's-1', payoutId: 'S-PAY-1', amountMinor: 10000, currency: 'USD' });
      await h.payout({ userId: 'seller-s', claimId: 's-1', payoutId: 'S-REV-1', amountMinor: -5000, currency: 'USD', kind: 'reversal', reverses: 'S-PAY-1' });
      await h.payout({ userId: 'seller-s', claimId: 's-3', payoutId: 'S-PAY-3', amountMinor: 700, currency: 'JPY' });
      // A fee below Stripe's minimum (owed), and one the card declines.
      await h.fileClaim({ userId: 'seller-s', claimId: 's-4', caseId: 'CASE-S4', amountMinor: 199, currency: 'USD' });
      await h.payout({ userId: 'seller-s', claimId: 's-4', payoutId: 'S-PAY-4', amountMinor: 199, currency: 'USD' });
      const customer = [...h.stripe.state.paymentIntents.values()].find((p) => (p.metadata as Record<string, string>).payout_id === 'S-PAY-1')?.customer as string;
      h.stripe.state.declining.add(customer);
      await h.fileClaim({ userId: 'seller-s', claimId: 's-5', caseId: 'CASE-S5', amountMinor: 1000, currency: 'USD' });
      await h.payout({ userId: 'seller-s', claimId: 's-5', payoutId: 'S-PAY-5', amountMinor: 1000, currency: 'USD' });
      h.stripe.state.declining.delete(customer);
      await h.fileClaim({ userId: 'seller-other', claimId: 'o-1', caseId: 'CASE-O1', amountMinor: 999, currency: 'USD' });
      await h.payout({ userId: 'seller-other', claimId: 'o-1', payoutId: 'O-PAY-1', amountMinor: 999, currency: 'USD' });
    });

    it('shows recovered, pending, fees charged, refunded, owed and declined, and net, per month and currency', async () => {
      const month = new Date().toISOString().slice(0, 7);
      const res = await h.t.request('/api/v1/sellers/seller-s/statement', { token: await h.t.sellerToken('seller-s') });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        user_id: 'seller-s',
        months: [
          { month, currency: 'JPY', recovered_minor: 700, pending_minor: 0, fees_charged_minor: 140, fees_refunded_minor: 0, fees_net_minor: 140, fees_owed_minor: 0, fees_declined_minor: 0, net_minor: 560 },
          { month, currency: 'USD', recovered_minor: 6199, pending_minor: 4321, fees_charged_minor: 2000, fees_refunded_minor: 1000, fees_net_minor: 1000, fees_owed_minor: 40, fees_declined_minor: 200, net_minor: 5199 },
        ],
        totals: [
          { currency: 'JPY', recovered_minor: 700, pending_minor: 0, fees_charged_minor: 140, fees_refunded_minor: 0, fees_net_minor: 140, fees_owed_minor: 0, fees_declined_minor: 0, net_minor: 560 },
          { currency: 'USD', recovered_minor: 6199, pending_minor: 4321, fees_charged_minor: 2000, fees_refunded_minor: 1000, fees_net_minor: 1000, fees_owed_minor: 40, fees_declined_minor: 200, net_minor: 5199 },
        ],
      });
    });

    it("is the overview's money too: recovered after a reversal, fees charged, refunded and net", async () => {
      const o = (await h.t.request('/api/v1/sellers/seller-s/overview', { token: await h.t.sellerToken('seller-s') })).body;
      expect(o).toMatchObject({
        recovered: [{ minor: 700, currency: 'JPY' }, { minor: 6199, currency: 'USD' }],
        pending: [{ minor: 4321, currency: 'USD' }],
        fees_charged: [{ minor: 140, currency: 'JPY' }, { minor: 2000, currency: 'USD' }],
        fees_refunded: [{ minor: 1000, currency: 'USD' }],
        fees_net: [{ minor: 140, currency: 'JPY' }, { minor: 1000, currency: 'USD' }],
        fees_owed: [{ minor: 40, currency: 'USD' }],
        fees_declined: [{ minor: 200, currency: 'USD' }],
        recovered_by_month: [{ month: new Date().toISOString().slice(0, 7), minor: 700, currency: 'JPY' }, { month: new Date().toISOString().slice(0, 7), minor: 6199, currency: 'USD' }],
      });
    });

    it('comes as CSV with a header row', async () => {
      const res = await fetch(`${h.t.url}/api/v1/sellers/seller-s/statement?format=csv`, { headers: { authorization: `Bearer ${h.t.serviceToken}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = (await res.text()).trimEnd().split('\r\n');
      expect(lines[0]).toBe('month,currency,recovered_minor,pending_minor,fees_charged_minor,fees_refunded_minor,fees_net_minor,fees_owed_minor,fees_declined_minor,net_minor');
      expect(lines.slice(1).map((l) => l.split(',').slice(1).join(','))).toEqual(['JPY,700,0,140,0,140,0,0,560', 'USD,6199,4321,2000,1000,1000,40,200,5199']);
    });

    it("is the seller's own: another seller is refused, no token is refused, a bad format is refused", async () => {
      const other = await h.t.request('/api/v1/sellers/seller-s/statement', { token: await h.t.sellerToken('seller-other') });
      expect(other.status).toBe(403);
      expect(other.body).toMatchObject({ error: { code: 'forbidden' } });
      expect((await h.t.request('/api/v1/sellers/seller-s/statement', { token: null })).status).toBe(401);
      expect((await h.t.request('/api/v1/sellers/seller-s/statement?format=xml')).status).toBe(400);
    });
  });

  describe('the ledger check', () => {
    it('says the ledger balances, for the service token only', async () => {
      const res = await h.t.request('/api/v1/ops/ledger/check');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ balanced: true, imbalances: [] });
      expect(res.body.journals).toBeGreaterThan(0);
      expect((await h.t.request('/api/v1/ops/ledger/check', { token: await h.t.sellerToken('seller-s') })).status).toBe(403);
    });

    it('names a journal that does not balance', async () => {
      await h.t.clario.database.db.insert(ledgerEntries).values({ journalId: 'manual:broken', userId: 'ops', account: 'revenue', amountMinor: 7, currency: 'USD' });
      const res = await h.t.request('/api/v1/ops/ledger/check');
      expect(res.body).toMatchObject({ balanced: false, imbalances: [{ journal_id: 'manual:broken', currency: 'USD', sum_minor: 7 }] });
    });
  });
});
