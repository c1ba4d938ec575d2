// The property end to end: random cases of several claims and random reimbursement lines (split,
// combined, reordered, repeated) credited by the payout monitor's own function, through phase 7
// and the billing capability to the Stripe simulator. Every line's money ends on exactly one
// claim (its fee row) or parked (its unmatched reason), never both; no claim is paid for more
// units than it asked for; each claim's fees are 20% of each payout it received; and the overview
// counts what was paid as recovered, what was not as pending, never both.
import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feeOn } from '../../src/domain/fee.js';
import { money } from '../../src/domain/money.js';
import { creditLine } from '../../src/payouts/credit-payouts.js';
import { lineKey, payoutId, type ReimbursementLine } from '../../src/payouts/reimbursement-line.js';
import { rows } from '../../src/store/db.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { reimbursements } from '../../src/store/schema/payouts-tables.js';
import { waitFor } from '../support/wait.js';
import { genClaim, linesFor } from './random-lines.js';
import { paidWorld } from './support.js';

describe('crediting random reimbursement lines (PGlite, Stripe simulator)', () => {
  it('puts every dollar on exactly one claim or parks it, with 20% fees per claim and no unit paid twice', async () => {
    const w = await paidWorld();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(genClaim, { minLength: 2, maxLength: 4 }), fc.boolean(), fc.array(fc.nat(20), { maxLength: 3 }), fc.integer(), async (cs, combine, repeats, seed) => {
        run++;
        const user = `rnd-pay-${run}`;
        const caseId = `RND-CASE-${run}`;
        const ids = cs.map((_, i) => `rnd-${run}-c${i}`);
        await w.db.insert(filings).values({ id: `fil-rnd-${run}`, userId: user, channel: 'simulator', caseId, status: 'filed', claimIds: ids, subject: 's', body: 'b', attachments: [], filedOn: '2027-01-10', filedAt: new Date() });
        await w.db.insert(claims).values(
          cs.map((c, i) => ({
            id: ids[i]!, userId: user, type: 'refund_not_returned', status: 'filed' as const, caseId, filingId: `fil-rnd-${run}`, quantity: c.units, amountMinor: c.units * c.price, currency: 'USD',
            details: { sku: c.sku, fnsku: `F-${c.sku}`, key: { order_id: `O${i}`, sku: c.sku } },
          })),
        );
        const base = linesFor(cs, combine);
        const delivered = fc.sample(fc.shuffledSubarray(base, { minLength: base.length, maxLength: base.length }), { seed, numRuns: 1 })[0] ?? [...base];
        for (const r of repeats) if (delivered.length) delivered.splice(r % delivered.length, 0, delivered[r % delivered.length]!);
        const asLine = (l: (typeof base)[number]): ReimbursementLine => ({
          reimbursementId: `${run}-${l.id}`, caseId, orderId: l.names.orderId, reason: 'CustomerReturn', sku: l.names.sku, fnsku: l.names.fnsku,
          quantity: l.names.quantity, amountMinor: l.amount, currency: 'USD', approvalDate: null, originalReimbursementId: null, lineSeq: null, raw: {},
        });
        for (const l of delivered) await creditLine({ db: w.db, engine: w.t.clario.engine }, user, asLine(l));
        await waitFor(async () => {
          const [r] = await rows<{ open: number }>(w.db, sql`SELECT count(*)::int AS open FROM phase_events WHERE user_id = ${user} AND status NOT IN ('completed', 'failed')`);
          return r?.open === 0;
        }, 'phase 7 settled');
        const [failed] = await rows<{ n: number }>(w.db, sql`SELECT count(*)::int AS n FROM phase_events WHERE user_id = ${user} AND status = 'failed'`);
        expect(failed?.n).toBe(0);

        const fees = await w.db.select().from(feeCharges).where(eq(feeCharges.userId, user));
        const stored = await w.db.select().from(reimbursements).where(eq(reimbursements.userId, user));
        const received = cs.map(() => 0);
        const units = cs.map(() => 0);
        const feeOf = cs.map(() => 0);
        const expectedFee = cs.map(() => 0);
        for (const l of base) {
          const line = asLine(l);
          const id = payoutId(line.reimbursementId, lineKey(line));
          const fee = fees.filter((f) => f.payoutId === id);
          const row = stored.find((r) => r.reimbursementId === line.reimbursementId && r.lineKey === lineKey(line));
          expect(row).toBeDefined();
          // On exactly one claim (one fee row, the stored line on the same claim), or parked: never both.
          if (fee.length === 1) {
            const i = ids.indexOf(fee[0]!.claimId);
            expect(row).toMatchObject({ claimId: ids[i], unmatchedReason: null });
            expect(fee[0]!.reimbursedMinor).toBe(l.amount);
            if (l.names.orderId) expect(`O${i}`).toBe(l.names.orderId);
            expect(cs[i]!.sku).toBe(l.names.sku);
            received[i]! += l.amount;
            units[i]! += l.names.quantity ?? 1;
            feeOf[i]! += fee[0]!.feeMinor;
            expectedFee[i]! += feeOn(money(l.amount, 'USD'), 2000).minor;
          } else {
            expect(fee).toEqual([]);
            expect(row).toMatchObject({ claimId: null, attributed: true, unmatchedReason: expect.any(String) });
          }
        }
        cs.forEach((c, i) => {
          expect(units[i]).toBeLessThanOrEqual(c.units);
          expect(feeOf[i]).toBe(expectedFee[i]);
        });
        const paid = await w.db.select({ id: claims.id, status: claims.status }).from(claims).where(and(eq(claims.userId, user)));
        cs.forEach((_c, i) => expect(paid.find((p) => p.id === ids[i])?.status).toBe(received[i]! > 0 || units[i]! > 0 ? 'paid' : 'filed'));
        const o = (await w.t.request(`/api/v1/sellers/${user}/overview`)).body;
        const recovered = received.reduce((a, b) => a + b, 0);
        const pending = cs.reduce((s, c, i) => s + (units[i]! > 0 ? 0 : c.units * c.price), 0);
        expect(o.recovered).toEqual(recovered > 0 ? [{ minor: recovered, currency: 'USD' }] : []);
        expect(o.pending).toEqual(pending > 0 ? [{ minor: pending, currency: 'USD' }] : []);
      }),
      { numRuns: 6 },
    );
  }, 300_000);
});
