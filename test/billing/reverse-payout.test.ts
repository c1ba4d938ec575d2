// A reversal takes back a payout of its own claim: through the workflow (PGlite, the Stripe simulator).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerImbalances } from '../../src/billing/ledger-store.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { phaseEvents } from '../../src/store/schema/workflow-tables.js';
import { startBilling, type BillingHarness } from './support.js';

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
});
