// Phase 7's money end to end: HTTP trigger → the workflow → the billing capability → the Stripe
// simulator (over HTTP, through the stripe package) → signed webhooks back → the ledger.
import { eq, sql } from 'drizzle-orm';
import { billingEventContext } from '../../src/billing/webhook.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBalance, ledgerImbalances } from '../../src/billing/ledger-store.js';
import { billingEvents, feeBatches, feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { effects, phaseEvents } from '../../src/store/schema/workflow-tables.js';
import { waitFor } from '../support/wait.js';
import { startBilling, type BillingHarness } from './support.js';
import { rows } from '../../src/store/db.js';

const piFor = (h: BillingHarness, payoutId: string) => [...h.stripe.state.paymentIntents.values()].filter((p) => (p.metadata as Record<string, string>).payout_id === payoutId);

describe('settling payouts (PGlite, Stripe simulator)', () => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await startBilling();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the same payout delivered three times, and its webhook twice, charges the fee once', async () => {
    await h.fileClaim({ userId: 'seller-1', claimId: 'c-1', caseId: 'CASE-1', amountMinor: 12345, currency: 'USD' });
    for (const key of ['k-a', 'k-b', 'k-c']) {
      const r = await h.payout({ userId: 'seller-1', claimId: 'c-1', payoutId: 'PAY-1', amountMinor: 12345, currency: 'USD', key });
      expect(r.status).toBe('completed');
      expect(r.result).toMatchObject({ fee: { minor: 2469, currency: 'USD', rate_bp: 2000 }, fee_status: 'charged' });
    }
    const pis = piFor(h, 'PAY-1');
    expect(pis).toHaveLength(1);
    expect(pis[0]).toMatchObject({ amount: 2469, currency: 'usd', status: 'succeeded' });

    await h.stripe.webhooksIdle();
    const succeeded = h.stripe.state.events.find((e) => e.type === 'payment_intent.succeeded' && e.data.object.id === pis[0]?.id);
    if (!succeeded) throw new Error('no payment_intent.succeeded event');
    h.stripe.redeliver(succeeded.id);
    await h.stripe.webhooksIdle();
    const okDeliveries = h.stripe.deliveries.filter((d) => d.eventId === succeeded.id && d.status === 200);
    expect(okDeliveries).toHaveLength(2);
    const db = h.t.clario.database.db;
    expect(await db.select().from(billingEvents).where(eq(billingEvents.id, succeeded.id))).toHaveLength(1);

    const [fee] = await db.select().from(feeCharges).where(eq(feeCharges.payoutId, 'PAY-1'));
    expect(fee).toMatchObject({ kind: 'charge', status: 'charged', feeMinor: 2469, reimbursedMinor: 12345, rateBp: 2000 });
    expect(fee?.stripeRef).toMatch(/^v1\./); // sealed, not a bare pi_ id
    expect(fee?.stripeRef).not.toContain(pis[0]?.id);
    const [claim] = await db.select().from(claims).where(eq(claims.id, 'c-1'));
    expect(claim?.status).toBe('paid');
    expect(await ledgerImbalances(db)).toEqual([]);
    expect(await accountBalance(db, 'receivable:seller-1', 'USD')).toBe(0);
    expect(await accountBalance(db, 'revenue', 'USD')).toBe(-2469);
    expect(await accountBalance(db, 'cash:stripe', 'USD')).toBe(2469);
  });

  it('stores a webhook as its id, type, time, payout and sealed object id, never the raw event', async () => {
    const pi = piFor(h, 'PAY-1')[0];
    const succeeded = h.stripe.state.events.find((e) => e.type === 'payment_intent.succeeded' && e.data.object.id === pi?.id);
    if (!pi || !succeeded) throw new Error('the first test pays PAY-1');
    const raw = await rows<Record<string, unknown>>(h.t.clario.database.db, sql`SELECT * FROM billing_events WHERE id = ${succeeded.id}`);
    expect(raw).toHaveLength(1);
    expect(Object.keys(raw[0] ?? {}).sort()).toEqual(['created_at', 'id', 'object_ref', 'payout_id', 'received_at', 'type']);
    const text = JSON.stringify(raw);
    expect(text).not.toContain(pi.id);
    expect(text).not.toContain('cus_');
    expect(text).not.toContain('"amount');
    const [row] = await h.t.clario.database.db.select().from(billingEvents).where(eq(billingEvents.id, succeeded.id));
    expect(row).toMatchObject({ type: 'payment_intent.succeeded', payoutId: 'PAY-1', createdAt: new Date(succeeded.created * 1000) });
    expect(row?.objectRef).toMatch(/^v1\./);
    expect(h.box.open(row?.objectRef ?? '', billingEventContext(succeeded.id))).toBe(pi.id);
  });

  it('a reversal credits the fee back and refunds what Stripe collected, leaving the claim paid', async () => {
    await h.fileClaim({ userId: 'seller-2', claimId: 'c-2', caseId: 'CASE-2', amountMinor: 10000, currency: 'EUR' });
    expect((await h.payout({ userId: 'seller-2', claimId: 'c-2', payoutId: 'PAY-2', amountMinor: 10000, currency: 'EUR' })).status).toBe('completed');
    const r = await h.payout({ userId: 'seller-2', claimId: 'c-2', payoutId: 'REV-2', amountMinor: -2500, currency: 'EUR', kind: 'reversal', reverses: 'PAY-2' });
    expect(r.status).toBe('completed');
    expect(r.result).toMatchObject({ fee_credit: { minor: 500, currency: 'EUR' }, reverses: 'PAY-2', refunded: true, kind: 'reversal' });
    // Delivered again: refunds once.
    await h.payout({ userId: 'seller-2', claimId: 'c-2', payoutId: 'REV-2', amountMinor: -2500, currency: 'EUR', kind: 'reversal', reverses: 'PAY-2' });
    const pi = piFor(h, 'PAY-2')[0];
    const refunds = [...h.stripe.state.refunds.values()].filter((x) => x.payment_intent === pi?.id);
    expect(refunds.map((x) => x.amount)).toEqual([500]);
    const db = h.t.clario.database.db;
    const [claim] = await db.select().from(claims).where(eq(claims.id, 'c-2'));
    expect(claim?.status).toBe('paid');
    const [row] = await db.select().from(feeCharges).where(eq(feeCharges.payoutId, 'REV-2'));
    expect(row).toMatchObject({ kind: 'refund', reversesPayoutId: 'PAY-2', feeMinor: -500, reimbursedMinor: -2500, status: 'refunded' });
    expect(await ledgerImbalances(db)).toEqual([]);
    expect(await accountBalance(db, 'receivable:seller-2', 'EUR')).toBe(0);
    expect(await accountBalance(db, 'revenue', 'EUR')).toBe(-1500);
    expect(await accountBalance(db, 'cash:stripe', 'EUR')).toBe(1500);
  });

  it('a fee below Stripe\'s minimum is earned and owed but not charged; the payout completes', async () => {
    await h.fileClaim({ userId: 'seller-min', claimId: 'c-min', caseId: 'CASE-MIN', amountMinor: 199, currency: 'USD' });
    const db = h.t.clario.database.db;
    const cashBefore = await accountBalance(db, 'cash:stripe', 'USD');
    const r = await h.payout({ userId: 'seller-min', claimId: 'c-min', payoutId: 'PAY-MIN', amountMinor: 199, currency: 'USD' });
    expect(r.status).toBe('completed');
    expect(r.result).toMatchObject({ fee: { minor: 40, currency: 'USD', rate_bp: 2000 }, fee_status: 'deferred' });
    expect(piFor(h, 'PAY-MIN')).toEqual([]);
    const [fee] = await db.select().from(feeCharges).where(eq(feeCharges.payoutId, 'PAY-MIN'));
    expect(fee).toMatchObject({ status: 'deferred', feeMinor: 40, stripeRef: null });
    const [claim] = await db.select().from(claims).where(eq(claims.id, 'c-min'));
    expect(claim?.status).toBe('paid');
    expect(await ledgerImbalances(db)).toEqual([]);
    // Earned and owed by the seller, nothing collected.
    expect(await accountBalance(db, 'receivable:seller-min', 'USD')).toBe(40);
    expect(await accountBalance(db, 'cash:stripe', 'USD')).toBe(cashBefore);
  });

  it('a payout in another currency than its claim, or far above what it asked for, is parked and nothing is charged', async () => {
    const db = h.t.clario.database.db;
    await h.fileClaim({ userId: 'seller-mm', claimId: 'c-cad', caseId: 'CASE-CAD', amountMinor: 5000, currency: 'CAD' });
    await h.fileClaim({ userId: 'seller-mm', claimId: 'c-079', caseId: 'CASE-079', amountMinor: 79, currency: 'USD' });
    await h.fileClaim({ userId: 'seller-mm', claimId: 'c-big', caseId: 'CASE-BIG', amountMinor: 1000, currency: 'USD' });
    const cases = [
      { claimId: 'c-cad', payoutId: 'PAY-JPY', amountMinor: 5000, currency: 'JPY' },
      { claimId: 'c-079', payoutId: 'PAY-HUGE', amountMinor: Number.MAX_SAFE_INTEGER, currency: 'USD' },
      // Two payouts that each fit, but together pay the claim twice over.
      { claimId: 'c-big', payoutId: 'PAY-BIG-1', amountMinor: 1000, currency: 'USD', ok: true },
      { claimId: 'c-big', payoutId: 'PAY-BIG-2', amountMinor: 1000, currency: 'USD' },
    ];
    for (const c of cases) {
      const r = await h.payout({ userId: 'seller-mm', ...c });
      if (c.ok) {
        expect(r.status).toBe('completed');
        continue;
      }
      expect(r.status).toBe('failed');
      const [event] = await db.select().from(phaseEvents).where(eq(phaseEvents.id, r.eventId));
      expect(event?.lastError?.code).toBe('payout_mismatch');
      expect(event?.attempts).toBe(1); // parked at once: retrying cannot help
      expect(piFor(h, c.payoutId)).toEqual([]);
      expect(await db.select().from(feeCharges).where(eq(feeCharges.payoutId, c.payoutId))).toEqual([]);
    }
    const statuses = await db.select({ id: claims.id, status: claims.status }).from(claims).where(eq(claims.userId, 'seller-mm'));
    expect(Object.fromEntries(statuses.map((c) => [c.id, c.status]))).toEqual({ 'c-cad': 'filed', 'c-079': 'filed', 'c-big': 'paid' });
    expect(await accountBalance(db, 'receivable:seller-mm', 'USD')).toBe(0);
    expect(await accountBalance(db, 'receivable:seller-mm', 'JPY')).toBe(0);
    expect(await ledgerImbalances(db)).toEqual([]);
  });

  it('owed fees are collected in one batch charge once they reach the minimum, and a reversal of an uncollected fee is cancelled, not refunded', async () => {
    const db = h.t.clario.database.db;
    const user = 'seller-owed';
    await h.fileClaim({ userId: user, claimId: 'c-owed', caseId: 'CASE-OWED', amountMinor: 1000, currency: 'USD' });
    // 1.99 USD each: a fee of 0.40, below Stripe's 0.50.
    const first = await h.payout({ userId: user, claimId: 'c-owed', payoutId: 'OWED-1', amountMinor: 199, currency: 'USD' });
    expect(first.result).toMatchObject({ fee_status: 'deferred' });
    expect(first.result).not.toHaveProperty('owed_fees_batch');
    // A reversal of half of it: 0.20 less owed, and no refund, since nothing was collected.
    const rev = await h.payout({ userId: user, claimId: 'c-owed', payoutId: 'OWED-REV-1', amountMinor: -100, currency: 'USD', kind: 'reversal', reverses: 'OWED-1' });
    expect(rev.result).toMatchObject({ fee_credit: { minor: 20, currency: 'USD' }, refunded: false });
    const [cancelled] = await db.select().from(feeCharges).where(eq(feeCharges.payoutId, 'OWED-REV-1'));
    expect(cancelled?.status).toBe('cancelled');
    expect(await accountBalance(db, `receivable:${user}`, 'USD')).toBe(20);

    // The second fee brings what is owed to 0.20 + 0.40 = 0.60: one charge collects both.
    const second = await h.payout({ userId: user, claimId: 'c-owed', payoutId: 'OWED-2', amountMinor: 199, currency: 'USD' });
    expect(second.result).toMatchObject({ fee_status: 'collected', owed_fees_batch: { amount_minor: 60, status: 'charged', fees: 2 } });
    const batchId = (second.result as { owed_fees_batch: { batch_id: string } }).owed_fees_batch.batch_id;
    const pis = piFor(h, batchId);
    expect(pis).toHaveLength(1);
    expect(pis[0]).toMatchObject({ amount: 60, currency: 'usd', status: 'succeeded' });
    const rows = await db.select().from(feeCharges).where(eq(feeCharges.userId, user));
    expect(Object.fromEntries(rows.filter((r) => r.kind === 'charge').map((r) => [r.payoutId, [r.status, r.batchId]]))).toEqual({ 'OWED-1': ['collected', batchId], 'OWED-2': ['collected', batchId] });
    expect(await accountBalance(db, `receivable:${user}`, 'USD')).toBe(0);
    const [effect] = await db.select().from(effects).where(eq(effects.key, `fee-batch:${batchId}`));
    expect(effect).toMatchObject({ status: 'done', attempts: 1 });

    // Delivered again: nothing is charged twice.
    await h.payout({ userId: user, claimId: 'c-owed', payoutId: 'OWED-2', amountMinor: 199, currency: 'USD' });
    expect(piFor(h, batchId)).toHaveLength(1);
    expect(piFor(h, 'OWED-2')).toEqual([]);

    // A reversal of a fee collected in the batch is refunded from the batch's charge.
    const back = await h.payout({ userId: user, claimId: 'c-owed', payoutId: 'OWED-REV-2', amountMinor: -199, currency: 'USD', kind: 'reversal', reverses: 'OWED-2' });
    expect(back.result).toMatchObject({ fee_credit: { minor: 40, currency: 'USD' }, refunded: true });
    const refunds = [...h.stripe.state.refunds.values()].filter((x) => x.payment_intent === pis[0]?.id);
    expect(refunds.map((x) => x.amount)).toEqual([40]);
    await h.stripe.webhooksIdle();
    expect(await accountBalance(db, `receivable:${user}`, 'USD')).toBe(0);
    expect(await ledgerImbalances(db)).toEqual([]);
  });

  it('a crash after Stripe charged a batch charges it once: the retry finds it', async () => {
    const db = h.t.clario.database.db;
    const user = 'seller-owed-crash';
    await h.fileClaim({ userId: user, claimId: 'c-oc', caseId: 'CASE-OC', amountMinor: 1000, currency: 'USD' });
    await h.payout({ userId: user, claimId: 'c-oc', payoutId: 'OC-1', amountMinor: 199, currency: 'USD' });
    h.stripe.dropNextResponse('POST', '/v1/payment_intents', 2);
    const r = await h.payout({ userId: user, claimId: 'c-oc', payoutId: 'OC-2', amountMinor: 199, currency: 'USD' });
    expect(r.status).toBe('completed');
    // Stripe's webhook may record the batch before the phase's retry does: either way, once.
    expect(r.result).toMatchObject({ fee_status: 'collected' });
    const [batch] = await db.select().from(feeBatches).where(eq(feeBatches.userId, user));
    expect(batch).toMatchObject({ amountMinor: 80, status: 'charged', payoutIds: ['OC-1', 'OC-2'] });
    const batchId = batch!.id;
    expect(piFor(h, batchId)).toHaveLength(1);
    const [effect] = await db.select().from(effects).where(eq(effects.key, `fee-batch:${batchId}`));
    expect(effect?.attempts).toBe(1); // one call made
    const fees = await db.select().from(feeCharges).where(eq(feeCharges.userId, user));
    expect(fees.map((f) => [f.payoutId, f.status, f.batchId]).sort((x, y) => String(x[0]).localeCompare(String(y[0])))).toEqual([['OC-1', 'collected', batchId], ['OC-2', 'collected', batchId]]);
    expect(await accountBalance(db, `receivable:${user}`, 'USD')).toBe(0);
  });

  it('an owed batch the card declines is shown as declined, and collected when Stripe later succeeds', async () => {
    const db = h.t.clario.database.db;
    const user = 'seller-owed-decl';
    await h.fileClaim({ userId: user, claimId: 'c-od', caseId: 'CASE-OD', amountMinor: 2000, currency: 'USD' });
    await h.payout({ userId: user, claimId: 'c-od', payoutId: 'OD-0', amountMinor: 1000, currency: 'USD' });
    const customer = piFor(h, 'OD-0')[0]?.customer as string;
    h.stripe.state.declining.add(customer);
    await h.payout({ userId: user, claimId: 'c-od', payoutId: 'OD-1', amountMinor: 199, currency: 'USD' });
    const r = await h.payout({ userId: user, claimId: 'c-od', payoutId: 'OD-2', amountMinor: 199, currency: 'USD' });
    expect(r.result).toMatchObject({ fee_status: 'deferred', owed_fees_batch: { amount_minor: 80, status: 'failed' } });
    h.stripe.state.declining.delete(customer);
    const statement = async () => (await h.t.request(`/api/v1/sellers/${user}/statement`)).body.totals[0];
    expect(await statement()).toMatchObject({ fees_owed_minor: 0, fees_declined_minor: 80, fees_charged_minor: 200 });
    expect(await accountBalance(db, `receivable:${user}`, 'USD')).toBe(80);

    const batchId = (r.result as { owed_fees_batch: { batch_id: string } }).owed_fees_batch.batch_id;
    const pi = piFor(h, batchId)[0];
    if (!pi) throw new Error('no PaymentIntent for the batch');
    Object.assign(pi, { status: 'succeeded', amount_received: pi.amount, last_payment_error: null });
    h.stripe.redeliver(h.stripe.state.emit('payment_intent.succeeded', pi, null).id);
    await h.stripe.webhooksIdle();
    const fees = await db.select().from(feeCharges).where(eq(feeCharges.batchId, batchId));
    expect(fees.map((f) => f.status)).toEqual(['collected', 'collected']);
    expect(await statement()).toMatchObject({ fees_owed_minor: 0, fees_declined_minor: 0, fees_charged_minor: 280 });
    expect(await accountBalance(db, `receivable:${user}`, 'USD')).toBe(0);
    expect(await ledgerImbalances(db)).toEqual([]);
  });

  it('a reversal that arrives before its payout waits for it', async () => {
    await h.fileClaim({ userId: 'seller-3', claimId: 'c-3', caseId: 'CASE-3', amountMinor: 999, currency: 'JPY' });
    const early = h.payout({ userId: 'seller-3', claimId: 'c-3', payoutId: 'REV-3', amountMinor: -999, currency: 'JPY', kind: 'reversal', reverses: 'PAY-3' });
    const db = h.t.clario.database.db;
    await waitFor(async () => {
      const rows = await db.select().from(phaseEvents).where(eq(phaseEvents.claimId, 'c-3'));
      return rows.some((e) => e.lastError?.code === 'original_not_settled');
    }, 'the reversal to find its payout missing');
    const paid = await h.payout({ userId: 'seller-3', claimId: 'c-3', payoutId: 'PAY-3', amountMinor: 999, currency: 'JPY' });
    expect(paid.result).toMatchObject({ fee: { minor: 200, currency: 'JPY' } }); // 199.8 yen, half-up
    const reversal = await early;
    expect(reversal.status).toBe('completed');
    expect(reversal.result).toMatchObject({ fee_credit: { minor: 200, currency: 'JPY' }, refunded: true });
    expect(await ledgerImbalances(db)).toEqual([]);
    expect(await accountBalance(db, 'revenue', 'JPY')).toBe(0);
  });

  it('a crash between the Stripe call and its record charges once: the retry reconciles', async () => {
    await h.fileClaim({ userId: 'seller-4', claimId: 'c-4', caseId: 'CASE-4', amountMinor: 5000, currency: 'USD' });
    // Stripe makes the charge, then the connection drops twice (the stripe package retries once).
    h.stripe.dropNextResponse('POST', '/v1/payment_intents', 2);
    const r = await h.payout({ userId: 'seller-4', claimId: 'c-4', payoutId: 'PAY-4', amountMinor: 5000, currency: 'USD' });
    expect(r.status).toBe('completed');
    expect(piFor(h, 'PAY-4')).toHaveLength(1);
    const [effect] = await h.t.clario.database.db.select().from(effects).where(eq(effects.key, 'fee:PAY-4'));
    expect(effect).toMatchObject({ status: 'done', attempts: 1 }); // one call made; the retry found it instead
    expect(JSON.stringify(effect?.response)).not.toContain(piFor(h, 'PAY-4')[0]?.id); // sealed at rest
    const audit = (await h.t.request(`/api/v1/workflow/audit?event_id=${r.eventId}`)).body.entries as Array<{ to: string }>;
    expect(audit.map((e) => e.to)).toEqual(['pending', 'running', 'pending', 'running', 'completed']);
    expect(await accountBalance(h.t.clario.database.db, 'receivable:seller-4', 'USD')).toBe(0);
  });

  it('a declined card leaves the fee owed and failed; a later success by webhook collects it', async () => {
    await h.fileClaim({ userId: 'seller-5', claimId: 'c-5', caseId: 'CASE-5', amountMinor: 2000, currency: 'USD' });
    // The customer exists once the first fee is charged; make a first payout, then decline.
    await h.payout({ userId: 'seller-5', claimId: 'c-5', payoutId: 'PAY-5a', amountMinor: 1000, currency: 'USD' });
    const customer = piFor(h, 'PAY-5a')[0]?.customer as string;
    h.stripe.state.declining.add(customer);
    const r = await h.payout({ userId: 'seller-5', claimId: 'c-5', payoutId: 'PAY-5b', amountMinor: 1000, currency: 'USD' });
    expect(r.status).toBe('completed');
    expect(r.result).toMatchObject({ fee_status: 'failed', fee_failure: 'card_declined' });
    const db = h.t.clario.database.db;
    await h.stripe.webhooksIdle();
    const [row] = await db.select().from(feeCharges).where(eq(feeCharges.payoutId, 'PAY-5b'));
    expect(row?.status).toBe('failed');
    expect(await accountBalance(db, 'receivable:seller-5', 'USD')).toBe(200);
    expect(await ledgerImbalances(db)).toEqual([]);

    // The seller fixes the card and Stripe collects the PaymentIntent later: the webhook says so.
    const pi = piFor(h, 'PAY-5b')[0];
    if (!pi) throw new Error('no PaymentIntent for PAY-5b');
    Object.assign(pi, { status: 'succeeded', amount_received: pi.amount, last_payment_error: null });
    const event = h.stripe.state.emit('payment_intent.succeeded', pi, null);
    h.stripe.redeliver(event.id);
    h.stripe.redeliver(event.id);
    await h.stripe.webhooksIdle();
    const [after] = await db.select().from(feeCharges).where(eq(feeCharges.payoutId, 'PAY-5b'));
    expect(after?.status).toBe('charged');
    expect(await accountBalance(db, 'receivable:seller-5', 'USD')).toBe(0);
    expect(await accountBalance(db, 'cash:stripe', 'USD')).toBe(2469 + 1000 + 200 + 60 - 40 + 80 + 200 + 80 + 200 + 200); // PAY-1, PAY-4, PAY-BIG-1, the owed batch less its refund, the crash batch, OD-0, the declined-then-collected batch, PAY-5a, PAY-5b
    expect(await ledgerImbalances(db)).toEqual([]);
  });
});
