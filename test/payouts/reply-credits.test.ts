// The property: whatever sequence of pasted approvals (repeated, respaced, reworded, with or without
// the reimbursement id) and Reimbursements report lines (repeated, keyed differently) arrives for a
// case, each claim is paid at most once per reimbursement id, and its fee is charged once.
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditLine } from '../../src/payouts/credit-payouts.js';
import type { ReimbursementLine } from '../../src/payouts/reimbursement-line.js';
import { rows } from '../../src/store/db.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { waitFor } from '../support/wait.js';
import { paidWorld } from './support.js';

type Op =
  | { kind: 'reply'; item: number; wording: 0 | 1 | 2; spaces: boolean }
  | { kind: 'reply_both'; spaces: boolean }
  | { kind: 'reply_no_id' }
  | { kind: 'report'; item: number; withOrder: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('reply' as const), item: fc.nat(1), wording: fc.constantFrom(0 as const, 1 as const, 2 as const), spaces: fc.boolean() }),
  fc.record({ kind: fc.constant('reply_both' as const), spaces: fc.boolean() }),
  fc.constant({ kind: 'reply_no_id' as const }),
  fc.record({ kind: fc.constant('report' as const), item: fc.nat(1), withOrder: fc.boolean() }),
);

describe('approvals pasted and report lines, in any order and any number', () => {
  it('pay each claim at most once per reimbursement id, with one fee', async () => {
    const w = await paidWorld();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(op, { minLength: 1, maxLength: 6 }), async (twoClaims, ops) => {
        run++;
        const user = `reply-pay-${run}`;
        const caseId = `1750000${String(run).padStart(4, '0')}`;
        const items = (twoClaims ? [0, 1] : [0]).map((i) => ({ id: `rp-${run}-c${i}`, sku: `RP${run}-${i}`, fnsku: `X00RP${String(run).padStart(4, '0')}${i}`, rid: `9${String(run).padStart(5, '0')}00${i}`, minor: 1000 * (i + 1) }));
        const filingId = `fil-rp-${run}`;
        await w.db.insert(filings).values({ id: filingId, userId: user, channel: 'manual', caseId, status: 'filed', claimIds: items.map((i) => i.id), subject: 's', body: 'b', attachments: [], filedOn: '2027-01-10', filedAt: new Date() });
        await w.db.insert(claims).values(
          items.map((i) => ({ id: i.id, userId: user, type: 'lost_warehouse', status: 'filed' as const, caseId, filingId, quantity: 1, amountMinor: i.minor, currency: 'USD', details: { sku: i.sku, fnsku: i.fnsku, key: { fnsku: i.fnsku } } })),
        );
        const dollars = (minor: number) => `$${(minor / 100).toFixed(2)}`;
        const itemLine = (i: (typeof items)[number]) => `FNSKU ${i.fnsku}: ${dollars(i.minor)} (reimbursement ID ${i.rid})`;
        const respace = (t: string, on: boolean) => (on ? `\n  ${t.replace(/ /g, '   ')}  \n` : t);
        const paste = (text: string) => w.t.request(`/api/v1/filings/${filingId}/reply`, { body: { text } });
        for (const o of ops) {
          if (o.kind === 'report') {
            const i = items[o.item % items.length]!;
            const l: ReimbursementLine = {
              reimbursementId: i.rid, caseId, orderId: o.withOrder ? '111-0000000-0000001' : null, reason: 'Lost_Warehouse', sku: i.sku, fnsku: i.fnsku,
              quantity: 1, amountMinor: i.minor, currency: 'USD', approvalDate: null, originalReimbursementId: null, lineSeq: 1, raw: {},
            };
            await creditLine({ db: w.db, engine: w.t.clario.engine }, user, l);
            continue;
          }
          let text: string;
          if (o.kind === 'reply_no_id') text = 'We have approved your request; the reimbursement will be issued shortly.';
          else if (o.kind === 'reply_both') text = respace(`We have reimbursed the following:\n${items.map(itemLine).join('\n')}`, o.spaces);
          else {
            const i = items[o.item % items.length]!;
            text = respace(
              [
                `We have reimbursed 1 unit of FNSKU ${i.fnsku}. Reimbursement ID: ${i.rid}. Amount: ${dollars(i.minor)}.`,
                `Your reimbursement of USD ${(i.minor / 100).toFixed(2)} has been issued for FNSKU ${i.fnsku} (reimbursement ID ${i.rid}).`,
                `Approved. ${itemLine(i)}`,
              ][o.wording]!,
              o.spaces,
            );
          }
          const r = await paste(text);
          // Once every claim is paid, a new reply is a conflict; anything else is read and kept.
          expect([200, 409]).toContain(r.status);
        }
        await waitFor(async () => {
          const [open] = await rows<{ n: number }>(w.db, sql`SELECT count(*)::int AS n FROM phase_events WHERE user_id = ${user} AND status NOT IN ('completed', 'failed')`);
          return open?.n === 0;
        }, 'phases settled');
        const [failed] = await rows<{ n: number }>(w.db, sql`SELECT count(*)::int AS n FROM phase_events WHERE user_id = ${user} AND status = 'failed'`);
        expect(failed?.n).toBe(0);

        const fees = await w.db.select().from(feeCharges).where(eq(feeCharges.userId, user));
        for (const i of items) {
          const mine = fees.filter((f) => f.claimId === i.id);
          expect(mine.length).toBeLessThanOrEqual(1);
          // A payout of this claim, if any, is its reimbursement id's and its whole amount, once.
          for (const f of mine) expect([f.payoutId.split(':')[0], f.reimbursedMinor]).toEqual([i.rid, i.minor]);
          const named = ops.some((o) => (o.kind === 'report' || o.kind === 'reply') && items[o.item % items.length] === i) || ops.some((o) => o.kind === 'reply_both');
          // A single-claim case is paid by any naming of its id; a case of two needs the item named.
          if (named) expect(mine).toHaveLength(1);
        }
        expect(new Set(fees.map((f) => f.payoutId)).size).toBe(fees.length);
      }),
      { numRuns: 12 },
    );
  });
});
