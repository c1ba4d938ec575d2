// A reversal takes back a payout of its own claim, and no more than is left of it: through the
// workflow (PGlite, the Stripe simulator), and two at once straight through the settlement
// capability on PostgreSQL, where nothing but the payout's lock keeps them apart.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingCapability } from '../../src/billing/capability.js';
import { accountBalance, ledgerImbalances } from '../../src/billing/ledger-store.js';
import { createStripeGateway } from '../../src/billing/stripe-gateway.js';
import { NonRetryableError } from '../../src/domain/errors.js';
import { money } from '../../src/domain/money.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { phaseEvents } from '../../src/store/schema/workflow-tables.js';
import { rows } from '../../src/store/db.js';
import { createEffects } from '../../src/workflow/effects.js';
import type { CapabilityContext } from '../../src/workflow/capabilities.js';
import { describeWithPostgres } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { startBilling, WEBHOOK_SECRET, type BillingHarness } from './support.js';

const refundsOf = (h: BillingHarness, payoutId: string) => {
  const pis = new Set([...h.stripe.state.paymentIntents.values()].filter((p) => (p.metadata as Record<string, string>).payout_id === payoutId).map((p) => p.id));
  return [...h.stripe.state.refunds.values()].filter((r) => pis.has(r.payment_intent as string)).map((r) => r.amount);
};

describe('reversals through phase 7 (PGlite, Stripe simulator)', () => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await startBilling();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function parkedAs(eventId: string, payoutId: string) {
    const db = h.t.clario.database.db;
    const [event] = await db.select().from(phaseEvents).where(eq(phaseEvents.id, eventId));
    expect(await db.select().from(feeCharges).where(eq(feeCharges.payoutId, payoutId))).toEqual([]);
    expect(event?.attempts).toBe(1); // parked at once: retrying cannot help
    return event?.lastError?.code;
  }

  it("a reversal naming another claim's payout is parked as a conflict, and gives back nothing of either claim's fee", async () => {
    const user = 'seller-two-claims';
    const paidA = '9000000022:DL-1096-WHI-US|X003CQZN03|';
    await h.fileClaim({ userId: user, claimId: 'c-a', caseId: 'CASE-A', amountMinor: 1158, currency: 'USD' });
    await h.fileClaim({ userId: user, claimId: 'c-b', caseId: 'CASE-B', amountMinor: 200, currency: 'USD' });
    expect((await h.payout({ userId: user, claimId: 'c-a', payoutId: paidA, amountMinor: 1158, currency: 'USD' })).result).toMatchObject({ fee: { minor: 232 }, fee_status: 'charged' });
    expect((await h.payout({ userId: user, claimId: 'c-b', payoutId: 'PAY-B', amountMinor: 200, currency: 'USD' })).result).toMatchObject({ fee: { minor: 40 }, fee_status: 'deferred' });

    const wrong = await h.payout({ userId: user, claimId: 'c-b', payoutId: 'rev-B1', amountMinor: -579, currency: 'USD', kind: 'reversal', reverses: paidA });
    expect(wrong.status).toBe('failed');
    expect(await parkedAs(wrong.eventId, 'rev-B1')).toBe('payout_conflict');
    expect(refundsOf(h, paidA)).toEqual([]);

    // On its own claim the same reversal is taken, and refunded from that claim's charge.
    const right = await h.payout({ userId: user, claimId: 'c-a', payoutId: 'rev-A1', amountMinor: -579, currency: 'USD', kind: 'reversal', reverses: paidA });
    expect(right.status).toBe('completed');
    expect(right.result).toMatchObject({ fee_credit: { minor: 116, currency: 'USD' }, refunded: true });
    expect(refundsOf(h, paidA)).toEqual([116]);
    const db = h.t.clario.database.db;
    const byClaim = await db.select({ claimId: feeCharges.claimId, payoutId: feeCharges.payoutId, feeMinor: feeCharges.feeMinor }).from(feeCharges).where(eq(feeCharges.userId, user));
    expect(byClaim.filter((f) => f.claimId === 'c-b')).toEqual([{ claimId: 'c-b', payoutId: 'PAY-B', feeMinor: 40 }]);
    expect(await ledgerImbalances(db)).toEqual([]);
  });

  it('a reversal recorded under a case its claim no longer has is parked as a conflict', async () => {
    const user = 'seller-moved-case';
    await h.fileClaim({ userId: user, claimId: 'c-moved', caseId: 'CASE-OLD', amountMinor: 5000, currency: 'USD' });
    await h.payout({ userId: user, claimId: 'c-moved', payoutId: 'PAY-MOVED', amountMinor: 5000, currency: 'USD' });
    await h.t.clario.database.db.update(claims).set({ caseId: 'CASE-NEW' }).where(eq(claims.id, 'c-moved'));
    const r = await h.payout({ userId: user, claimId: 'c-moved', payoutId: 'REV-MOVED', amountMinor: -1000, currency: 'USD', kind: 'reversal', reverses: 'PAY-MOVED' });
    expect(r.status).toBe('failed');
    expect(await parkedAs(r.eventId, 'REV-MOVED')).toBe('payout_conflict');
  });

  it('a reversal larger than what is left of its payout is parked as a mismatch; repeats and the rest are taken', async () => {
    const user = 'seller-bounded';
    const db = h.t.clario.database.db;
    await h.fileClaim({ userId: user, claimId: 'c-m', caseId: 'CASE-M', amountMinor: 6199, currency: 'USD' });
    expect((await h.payout({ userId: user, claimId: 'c-m', payoutId: 'PAY-M', amountMinor: 6199, currency: 'USD' })).result).toMatchObject({ fee: { minor: 1240 } });
    const reverse = (payoutId: string, amountMinor: number) => h.payout({ userId: user, claimId: 'c-m', payoutId, amountMinor, currency: 'USD', kind: 'reversal', reverses: 'PAY-M' });

    const huge = await reverse('REV-M-HUGE', -5_000_000);
    expect(huge.status).toBe('failed');
    expect(await parkedAs(huge.eventId, 'REV-M-HUGE')).toBe('payout_mismatch');

    expect((await reverse('REV-M-1', -3000)).result).toMatchObject({ fee_credit: { minor: 600 } });
    // The same reversal again is not counted against itself.
    expect((await reverse('REV-M-1', -3000)).status).toBe('completed');
    const over = await reverse('REV-M-2', -3200); // 3199 left
    expect(over.status).toBe('failed');
    expect(await parkedAs(over.eventId, 'REV-M-2')).toBe('payout_mismatch');
    expect((await reverse('REV-M-3', -3199)).result).toMatchObject({ fee_credit: { minor: 640 } });
    expect((await reverse('REV-M-4', -1)).status).toBe('failed');

    const [net] = await rows<{ paid: string; fee: string }>(db, sql`SELECT SUM(reimbursed_minor)::text AS paid, SUM(fee_minor)::text AS fee FROM fee_charges WHERE claim_id = 'c-m'`);
    expect(net).toEqual({ paid: '0', fee: '0' });
    expect(refundsOf(h, 'PAY-M')).toEqual([600, 640]);
    expect(await accountBalance(db, `receivable:${user}`, 'USD')).toBe(0);
    expect(await ledgerImbalances(db)).toEqual([]);
  });
});

describeWithPostgres('two reversals of one payout settled at once (PostgreSQL)', () => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await startBilling({ store: 'postgres' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('cannot together take back more than it paid: the second is decided after the first and refused', async () => {
    const user = 'seller-race';
    const db = h.t.clario.database.db;
    await h.fileClaim({ userId: user, claimId: 'c-race', caseId: 'CASE-RACE', amountMinor: 6199, currency: 'USD' });
    expect((await h.payout({ userId: user, claimId: 'c-race', payoutId: 'PAY-RACE', amountMinor: 6199, currency: 'USD' })).status).toBe('completed');
    const [claim] = await db.select().from(claims).where(eq(claims.id, 'c-race'));
    if (!claim) throw new Error('no claim c-race');

    // The capability itself, without the workflow's one-event-per-claim lane around it.
    const gateway = createStripeGateway({ apiKey: h.stripe.apiKey, apiBase: h.stripe.url, webhookSecret: WEBHOOK_SECRET, maxNetworkRetries: 0 });
    const settlement = billingCapability({ gateway, box: h.box, feeRateBp: 2000 });
    const now = new Date();
    const ctx = (id: string): CapabilityContext => ({
      event: { id, phase: 7, userId: user, sellerId: null, syncId: null, claimId: claim.id, caseId: 'CASE-RACE', lane: `race:${id}`, payload: {}, status: 'running', attempts: 1, maxAttempts: 1, runAfter: now, createdAt: now, traceParent: null },
      db,
      effects: createEffects(db, null),
      signal: new AbortController().signal,
      reportProgress: () => Promise.resolve(),
    });
    const reverse = (payoutId: string) => settlement.settle(ctx(payoutId), { claim, caseId: 'CASE-RACE', payoutId, amount: money(-4000, 'USD'), kind: 'reversal', reverses: 'PAY-RACE' });

    // Hold every write to fee_charges (reads and row locks go on), so both reversals get as far as
    // they may before either is recorded: unless something keeps them apart, both have read that
    // nothing was taken back yet.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    const holder = db.transaction(async (tx) => {
      await tx.execute(sql`LOCK TABLE fee_charges IN SHARE MODE`);
      holding = true;
      await released;
    });
    await waitFor(() => holding, 'the test to hold fee_charges');
    const both = Promise.allSettled([reverse('REV-RACE-1'), reverse('REV-RACE-2')]);
    const waiting = async () => {
      const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      return Number(r?.n) >= 2;
    };
    await waitFor(waiting, 'both reversals to wait');
    release();
    await holder;
    const outcomes = await both;

    const taken = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(taken).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(NonRetryableError);
    expect((refused[0] as NonRetryableError).code).toBe('payout_mismatch');
    const reversals = await db.select().from(feeCharges).where(eq(feeCharges.reversesPayoutId, 'PAY-RACE'));
    expect(reversals.map((r) => [r.reimbursedMinor, r.feeMinor])).toEqual([[-4000, -800]]);
    expect(refundsOf(h, 'PAY-RACE')).toEqual([800]);
  });
});
