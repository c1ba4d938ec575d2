// A pasted approval of a case of three claims, with one amount, is parked for an operator; the
// operator credits it by triggering phase 7 with the claim named (README). From then on the
// overview, the statement, the claim page and the proof packet say the same thing, the payout is
// no longer offered as unmatched, and neither a second credit nor the report's line of the same
// reimbursement pays it again. A reversal moves them all together.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { gatherProof } from '../../src/proof/gather-proof.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { waitFor } from '../support/wait.js';
import { events, HEADER, line, readyClaim, storeReport } from '../filing/support.js';
import { paidWorld } from './support.js';

const MANUAL = { kind: 'manual' } as const;

describe('a parked payout the operator credits', () => {
  it('counts once, the same on the overview, the statement, the claim page and the proof packet', async () => {
    const w = await paidWorld();
    const user = 'seller_operator_credit';
    const a = await readyClaim(w.db, user, { sku: 'OP-A', fnsku: 'X00OPA0001', amountMinor: 1999 });
    const b = await readyClaim(w.db, user, { sku: 'OP-B', fnsku: 'X00OPB0001', amountMinor: 6199 });
    const c = await readyClaim(w.db, user, { sku: 'OP-C', fnsku: 'X00OPC0001', amountMinor: 3000 });
    expect((await w.filer({ channel: MANUAL }).runOnce()).prepared).toBe(1);
    const [filing] = await w.db.select().from(filings).where(eq(filings.userId, user));
    const token = await w.t.sellerToken(user);
    const caseId = '17400000099';
    expect((await w.t.request(`/api/v1/claims/${a}/case`, { token, body: { case_id: caseId } })).status).toBe(202);
    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.userId, user))).every((x) => x.status === 'filed'), 'claims filed');
    const claimStatus = async (id: string) => (await w.db.select().from(claims).where(eq(claims.id, id)))[0]?.status;
    const settled = () =>
      waitFor(async () => (await events(w.db, 7, user)).every((e) => e.status === 'completed' || e.status === 'failed'), 'phase 7 settled');

    // Claim a is paid by the report's line: $19.99, fee $4.00.
    await storeReport(w, user, 'sync-a', HEADER, [line({ 'reimbursement-id': '5550001000', 'case-id': caseId, reason: 'Lost_Warehouse', sku: 'OP-A', fnsku: 'X00OPA0001', 'amount-per-unit': '19.99', 'amount-total': '19.99' })]);
    await w.monitor({ channel: MANUAL }).runOnce();
    await waitFor(async () => (await claimStatus(a)) === 'paid', 'claim a paid');

    // The pasted approval names one amount for a case of three claims: parked.
    const pasted = await w.t.request(`/api/v1/filings/${filing!.id}/reply`, { token, body: { text: 'We have reimbursed $61.99. Reimbursement ID: 5550003333.' } });
    expect(pasted.status).toBe(200);
    const unmatched = async () => (await w.t.request(`/api/v1/ops/payouts/unmatched?user_id=${user}`)).body.payouts as Array<{ payout_id: string }>;
    const payoutId = '5550003333:amazon_reply';
    expect((await unmatched()).map((p) => p.payout_id)).toEqual([payoutId]);

    // Credited with another amount than Amazon's line, it would pay what Amazon did not: refused.
    const credit = (claimId: string, minor = 6199) =>
      w.t.request('/api/v1/workflow/payout/received', { body: { user_id: user, claim_id: claimId, case_id: caseId, payout_id: payoutId, amount_minor: minor, currency: 'USD' } });
    const wrong = await credit(b, 6000);
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.message).toMatch(/6199 USD/);
    expect((await unmatched()).map((p) => p.payout_id)).toEqual([payoutId]);

    // The operator credits it to claim b.
    expect((await credit(b)).status).toBe(202);
    await waitFor(async () => (await claimStatus(b)) === 'paid', 'claim b paid');
    await settled();
    expect(await unmatched()).toEqual([]);

    const overview = async () => (await w.t.request(`/api/v1/sellers/${user}/overview`, { token })).body;
    const totals = async () => (await w.t.request(`/api/v1/sellers/${user}/statement`, { token })).body.totals[0];
    const agree = async (recovered: number, charged: number, refunded: number) => {
      const [o, s] = await Promise.all([overview(), totals()]);
      expect(s).toMatchObject({ currency: 'USD', recovered_minor: recovered, fees_charged_minor: charged, fees_refunded_minor: refunded, fees_net_minor: charged - refunded });
      const usd = (x: Array<{ minor: number; currency: string }>) => x.find((m) => m.currency === 'USD')?.minor ?? 0;
      expect([usd(o.recovered), usd(o.fees_charged), usd(o.fees_refunded), usd(o.fees_net)]).toEqual([recovered, charged, refunded, charged - refunded]);
      expect(o.recovered_by_month.reduce((n: number, m: { minor: number }) => n + m.minor, 0)).toBe(recovered);
    };
    await agree(1999 + 6199, 400 + 1240, 0);

    // The claim page lists the payout phase 7 credited; the proof packet shows it beside its fee.
    const page = async () => (await w.t.request(`/api/v1/claims/${b}`, { token })).body;
    expect((await page()).reimbursements).toEqual([expect.objectContaining({ reimbursement_id: '5550003333', kind: 'reimbursement', amount: { minor: 6199, currency: 'USD' } })]);
    const proof = await gatherProof(w.db, { claimId: b, payoutId });
    expect(proof.reimbursements.map((r) => r.amountMinor)).toEqual([6199]);
    expect(proof.fees.map((f) => [f.reimbursedMinor, f.feeMinor])).toEqual([[6199, 1240]]);

    // Credited again, to another claim: phase 7 refuses it, claim c is not paid by it.
    await credit(c);
    await settled();
    expect(await claimStatus(c)).toBe('filed');
    // The report's line of the same reimbursement, later, is the same payout: no second fee.
    await storeReport(w, user, 'sync-b', HEADER, [line({ 'reimbursement-id': '5550003333', 'case-id': caseId, reason: 'Lost_Warehouse', sku: 'OP-B', fnsku: 'X00OPB0001', 'amount-per-unit': '61.99', 'amount-total': '61.99' })]);
    await w.monitor({ channel: MANUAL }).runOnce();
    await settled();
    expect((await w.db.select().from(feeCharges).where(eq(feeCharges.userId, user))).map((f) => f.payoutId).sort()).toEqual([`5550001000:OP-A|X00OPA0001|`, payoutId].sort());
    expect(await unmatched()).toEqual([]);
    await agree(1999 + 6199, 400 + 1240, 0);

    // Amazon takes it back: the overview moves with the statement, the claim page lists the reversal.
    await storeReport(w, user, 'sync-c', HEADER, [
      line({ 'reimbursement-id': '5550004444', 'case-id': '', reason: 'Reimbursement_Reversal', sku: 'OP-B', fnsku: 'X00OPB0001', 'amount-per-unit': '-61.99', 'amount-total': '-61.99', 'original-reimbursement-id': '5550003333', 'original-reimbursement-type': 'Lost_Warehouse' }),
    ]);
    await w.monitor({ channel: MANUAL }).runOnce();
    await waitFor(async () => (await w.db.select().from(feeCharges).where(and(eq(feeCharges.userId, user), eq(feeCharges.kind, 'refund')))).some((f) => f.status !== 'pending'), 'the reversal settled');
    await settled();
    await agree(1999, 400 + 1240, 1240);
    expect((await page()).reimbursements.map((r: { reimbursement_id: string; kind: string; amount: { minor: number } }) => [r.reimbursement_id, r.kind, r.amount.minor])).toEqual([
      ['5550003333', 'reimbursement', 6199],
      ['5550004444', 'reversal', -6199],
    ]);
  });
});
