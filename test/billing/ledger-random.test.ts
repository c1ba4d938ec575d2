// A randomized run through the whole path (HTTP trigger → workflow → Stripe simulator → webhooks):
// random payouts, duplicate deliveries, partial and full reversals (one taking back more than is
// left of its payout is parked), and crashes between the Stripe call and its record. Fees too
// small for Stripe are owed, and collected in one batch charge as soon as what is owed reaches the
// minimum; reversals of owed fees lower what is owed, and reversals of fees collected in a batch
// are refunded from it. Afterwards every journal balances,
// the seller owes only what has not reached the minimum yet, and revenue, Stripe's charges and
// refunds match a model computed independently.
import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ledgerImbalances } from '../../src/billing/ledger-store.js';
import { minimumCharge } from '../../src/billing/minimum-charge.js';
import { creditOn, feeOn } from '../../src/domain/fee.js';
import { money } from '../../src/domain/money.js';
import { feeCharges, ledgerEntries } from '../../src/store/schema/billing-tables.js';
import { phaseEvents } from '../../src/store/schema/workflow-tables.js';
import { describeWithPostgres } from '../support/infra.js';
import { startBilling, type BillingHarness } from './support.js';

type Op =
  | { kind: 'pay'; amount: number; crash: boolean }
  | { kind: 'dup'; index: number }
  | { kind: 'rev'; index: number; fractionBp: number; crash: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('pay' as const), amount: fc.oneof(fc.integer({ min: 1, max: 20 }), { arbitrary: fc.integer({ min: 1, max: 300 }), weight: 4 }, fc.integer({ min: 1, max: 500_000 })), crash: fc.boolean() }),
  fc.record({ kind: fc.constant('dup' as const), index: fc.nat(10) }),
  fc.record({ kind: fc.constant('rev' as const), index: fc.nat(10), fractionBp: fc.integer({ min: 0, max: 12_000 }), crash: fc.boolean() }),
);

describeWithPostgres('the ledger after a randomized run (PostgreSQL, Stripe simulator)', () => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await startBilling({ store: 'postgres' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('balances, and matches the model, whatever the order of payouts, duplicates, reversals and crashes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 7 }), fc.constantFrom('USD', 'JPY', 'KWD', 'EUR'), async (ops, code) => {
        run++;
        const userId = `rnd-${run}`;
        const claimId = `rnd-claim-${run}`;
        await h.fileClaim({ userId, claimId, caseId: `RND-CASE-${run}`, amountMinor: 10_000_000, currency: code });
        const payouts: Array<{ id: string; amount: number; fee: number; reversed: number; credited: number; collected: boolean; owed: boolean }> = [];
        let expectedRevenue = 0;
        let expectedRefunded = 0;
        // Fees below Stripe's minimum stay owed (deferred) until together they reach it.
        let expectedOwed = 0;
        let expectedBatches = 0;
        let reversals = 0;
        for (const o of ops) {
          if (o.kind === 'pay') {
            const id = `rnd-${run}-p${payouts.length}`;
            if (o.crash) h.stripe.dropNextResponse('POST', '/v1/payment_intents', 2);
            const r = await h.payout({ userId, claimId, payoutId: id, amountMinor: o.amount, currency: code });
            expect(r.status).toBe('completed');
            h.stripe.dropNextResponse('POST', '/v1/payment_intents', 0);
            const fee = feeOn(money(o.amount, code), 2000).minor;
            const collected = fee > 0 && fee >= minimumCharge(code);
            payouts.push({ id, amount: o.amount, fee, reversed: 0, credited: 0, collected, owed: fee > 0 && !collected });
            expectedRevenue -= fee;
            if (!collected) expectedOwed += fee;
            // Right after the fee is posted, what is owed is collected if it reaches the minimum.
            const owed = payouts.filter((p) => p.owed && p.fee - p.credited > 0);
            const sum = owed.reduce((n, p) => n + p.fee - p.credited, 0);
            if (owed.length > 0 && sum >= minimumCharge(code)) {
              for (const p of owed) Object.assign(p, { owed: false, collected: true });
              expectedOwed -= sum;
              expectedBatches += sum;
            }
          } else if (o.kind === 'dup') {
            const p = payouts[o.index % Math.max(1, payouts.length)];
            if (!p) continue;
            expect((await h.payout({ userId, claimId, payoutId: p.id, amountMinor: p.amount, currency: code })).status).toBe('completed');
          } else {
            const p = payouts[o.index % Math.max(1, payouts.length)];
            if (!p) continue;
            const amount = -Math.floor((p.amount * o.fractionBp) / 10_000);
            if (amount === 0) continue; // a reversal takes something back: the trigger refuses zero
            const id = `rnd-${run}-r${reversals++}`;
            if (o.crash) h.stripe.dropNextResponse('POST', '/v1/refunds', 2);
            const r = await h.payout({ userId, claimId, payoutId: id, amountMinor: amount, currency: code, kind: 'reversal', reverses: p.id });
            h.stripe.dropNextResponse('POST', '/v1/refunds', 0);
            // More than is left of the payout is parked for an operator, and changes nothing.
            if (p.reversed - amount > p.amount) {
              expect(r.status).toBe('failed');
              const [event] = await h.t.clario.database.db.select().from(phaseEvents).where(eq(phaseEvents.id, r.eventId));
              expect(event?.lastError?.code).toBe('payout_mismatch');
              continue;
            }
            expect(r.status).toBe('completed');
            p.reversed -= amount;
            const credit = creditOn(money(amount, code), 2000, { fee: money(p.fee, code), credited: money(p.credited, code) }).minor;
            p.credited += credit;
            expectedRevenue += credit;
            if (p.collected) expectedRefunded += credit;
            else expectedOwed -= credit;
            if (p.owed) {
              const [row] = await h.t.clario.database.db.select().from(feeCharges).where(eq(feeCharges.payoutId, id));
              expect(row?.status).toBe('cancelled'); // nothing was collected: not a refund
            }
          }
        }
        await h.stripe.webhooksIdle();
        const db = h.t.clario.database.db;
        expect(await ledgerImbalances(db)).toEqual([]);
        const sum = async (account: string) => {
          const [r] = await db
            .select({ s: sql<string | null>`SUM(${ledgerEntries.amountMinor})::text` })
            .from(ledgerEntries)
            .where(and(eq(ledgerEntries.userId, userId), eq(ledgerEntries.account, account)));
          return Number(r?.s ?? 0);
        };
        expect(await sum(`receivable:${userId}`)).toBe(expectedOwed);
        expect(await sum('revenue')).toBe(expectedRevenue);
        expect(await sum('cash:stripe')).toBe(0 - expectedRevenue - expectedOwed);
        const pis = [...h.stripe.state.paymentIntents.values()].filter((p) => (p.metadata as Record<string, string>).user_id === userId);
        const charged = payouts.filter((p) => p.collected && p.fee >= minimumCharge(code));
        const byPayout = pis.filter((p) => !(p.metadata as Record<string, string>).payout_id?.startsWith('fb_'));
        expect(byPayout.length).toBe(charged.length);
        expect(byPayout.reduce((s, p) => s + (p.amount as number), 0)).toBe(charged.reduce((s, p) => s + p.fee, 0));
        expect(pis.reduce((s, p) => s + (p.amount as number), 0)).toBe(charged.reduce((s, p) => s + p.fee, 0) + expectedBatches);
        const refunded = [...h.stripe.state.refunds.values()].filter((r) => pis.some((p) => p.id === r.payment_intent)).reduce((s, r) => s + (r.amount as number), 0);
        expect(refunded).toBe(expectedRefunded);
      }),
      { numRuns: 20 },
    );
  });
});
