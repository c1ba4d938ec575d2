// Case 17000000013, reproduced end to end: three refund_not_returned claims of one SKU over three
// orders go into one case; Amazon pays three lines (123.98, 61.99, 61.99), each naming its order.
// Every payout and fee lands on the claim it pays, each claim is paid once, and the overview, the
// statement and the proof packets count each payout once.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { gatherProof } from '../../src/proof/gather-proof.js';
import { rows } from '../../src/store/db.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { reimbursements } from '../../src/store/schema/payouts-tables.js';
import { waitFor } from '../support/wait.js';
import { events, readyClaim } from '../filing/support.js';
import { paidWorld } from './support.js';

describe('one SKU, three orders, one case', () => {
  it('credits each reimbursement line to the claim of its order, once, with its own fee', async () => {
    const w = await paidWorld();
    const user = 'seller_three_orders';
    const common = { type: 'refund_not_returned', sku: 'MSKU-R', fnsku: 'X00R', deadline: '2099-03-01' };
    const a = await readyClaim(w.db, user, { ...common, orderId: '111-0000001', quantity: 2, amountMinor: 12398 });
    const b = await readyClaim(w.db, user, { ...common, orderId: '111-0000002', quantity: 1, amountMinor: 6199 });
    const c = await readyClaim(w.db, user, { ...common, orderId: '111-0000003', quantity: 1, amountMinor: 6199 });
    await w.filer().runOnce();
    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.userId, user))).every((x) => x.status === 'filed'), 'claims filed');
    const [filing] = await w.db.select().from(filings).where(eq(filings.userId, user));
    expect(filing!.claimIds.sort()).toEqual([a, b, c].sort());
    expect(filing!.subject).toBe('Reimbursement request: SKU MSKU-R (FNSKU X00R), 4 units refunded to customers and never returned in 3 orders');

    // Amazon pays each item: the claim order is the filer's, so pay by the request's own items.
    const atAmazon = (await w.casesAtAmazon()).find((x) => x.case_id === filing!.caseId);
    const amountOf: Record<string, number> = { '111-0000001': 12398, '111-0000002': 6199, '111-0000003': 6199 };
    await w.decide(filing!.caseId!, { approve: { items: atAmazon.items.map((i: { order_id: string }) => ({ amount_minor: amountOf[i.order_id] })), currency: 'USD' } });
    const round = await w.monitor().runOnce();
    expect(round.credits.map((x) => x.unmatched)).toEqual([undefined, undefined, undefined]);

    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.userId, user))).every((x) => x.status === 'paid'), 'every claim paid');
    await waitFor(async () => (await events(w.db, 7, user)).every((e) => e.status === 'completed'), 'phase 7 done');
    const fees = await w.db.select().from(feeCharges).where(eq(feeCharges.userId, user));
    const byClaim = Object.fromEntries(fees.map((f) => [f.claimId, [f.reimbursedMinor, f.feeMinor]]));
    expect(byClaim).toEqual({ [a]: [12398, 2480], [b]: [6199, 1240], [c]: [6199, 1240] });

    // Each line is stored once, on its own claim.
    const lines = await w.db.select().from(reimbursements).where(eq(reimbursements.userId, user));
    expect(Object.fromEntries(lines.map((l) => [l.claimId, l.amountMinor]))).toEqual({ [a]: 12398, [b]: 6199, [c]: 6199 });

    const token = await w.t.sellerToken(user);
    const overview = (await w.t.request(`/api/v1/sellers/${user}/overview`, { token })).body;
    expect(overview.recovered).toEqual([{ minor: 24796, currency: 'USD' }]);
    expect(overview.pending).toEqual([]);
    const statement = (await w.t.request(`/api/v1/sellers/${user}/statement`, { token })).body;
    expect(statement.totals).toEqual([expect.objectContaining({ currency: 'USD', recovered_minor: 24796, pending_minor: 0 })]);

    // Each proof packet shows its own payout only.
    for (const [id, minor] of [[a, 12398], [b, 6199], [c, 6199]] as const) {
      const [{ payout_id: payoutId } = { payout_id: '' }] = await rows<{ payout_id: string }>(w.db, sql`SELECT payout_id FROM fee_charges WHERE claim_id = ${id}`);
      const proof = await gatherProof(w.db, { claimId: id, payoutId });
      expect(proof.reimbursements.map((r) => r.amountMinor)).toEqual([minor]);
      expect(proof.fees.map((f) => f.claimId)).toEqual([id]);
    }
  });

  it('parks a line that names only the SKU two claims share, and charges nothing for it', async () => {
    const w = await paidWorld();
    const user = 'seller_ambiguous';
    const common = { type: 'refund_not_returned', sku: 'MSKU-S', fnsku: 'X00S', deadline: '2099-03-01', quantity: 1, amountMinor: 6199 };
    await readyClaim(w.db, user, { ...common, orderId: '112-1' });
    await readyClaim(w.db, user, { ...common, orderId: '112-2' });
    await w.filer().runOnce();
    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.userId, user))).every((x) => x.status === 'filed'), 'claims filed');
    const [filing] = await w.db.select().from(filings).where(eq(filings.userId, user));
    const { storeReport, HEADER, line } = await import('../filing/support.js');
    await storeReport(w, user, 'sync-amb', HEADER, [
      line({ 'reimbursement-id': '8801', 'case-id': filing!.caseId!, reason: 'CustomerReturn', sku: 'MSKU-S', fnsku: 'X00S', 'amount-per-unit': '61.99', 'amount-total': '61.99' }),
    ]);
    const round = await w.monitor({ channel: { kind: 'manual' } }).runOnce();
    expect(round.credits).toEqual([expect.objectContaining({ attributed: true, claimId: null, unmatched: expect.stringMatching(/2 claims of the case share/) })]);
    expect(await events(w.db, 7, user)).toEqual([]);
    expect(await w.db.select().from(feeCharges).where(eq(feeCharges.userId, user))).toEqual([]);
    const parked = (await w.t.request(`/api/v1/ops/payouts/unmatched?user_id=${user}`)).body.payouts;
    expect(parked).toEqual([expect.objectContaining({ reimbursement_id: '8801', case_id: filing!.caseId, amount: { minor: 6199, currency: 'USD' }, reason: expect.stringMatching(/share/) })]);
    const overview = (await w.t.request(`/api/v1/sellers/${user}/overview`, { token: await w.t.sellerToken(user) })).body;
    expect(overview.recovered).toEqual([]);
    expect(overview.pending).toEqual([{ minor: 12398, currency: 'USD' }]);
  });
});
