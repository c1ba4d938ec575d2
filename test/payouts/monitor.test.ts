import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createSpApiClient } from '../../src/amazon/sp-api.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { reimbursements } from '../../src/store/schema/payouts-tables.js';
import { waitFor } from '../support/wait.js';
import { events, filingWorld, HEADER, line, readyClaim, storeReport, type World } from '../filing/support.js';

/** Syncs the simulator's reimbursements report (SP-API Reports, the real wire format). */
async function syncReimbursements(w: World, userId: string, syncId: string) {
  const sp = createSpApiClient({ baseUrl: w.sim.url, sellerId: 'A1TESTSELLER01', accessToken: w.lwa.tokenSource(w.refreshToken), limiter: false });
  const lines: string[] = [];
  for await (const line of sp.reports.reportLines({ reportType: 'GET_FBA_REIMBURSEMENTS_DATA', marketplaceIds: ['ATVPDKIKX0DER'] })) lines.push(line);
  await storeReport(w, userId, syncId, lines[0] ?? HEADER, lines.slice(1));
}

async function fileCase(w: World, user: string, n = 1) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await readyClaim(w.db, user));
  await w.filer().runOnce();
  await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.userId, user))).every((c) => c.status === 'filed'), 'claims filed');
  const [filing] = await w.db.select().from(filings).where(eq(filings.userId, user));
  return { ids, caseId: filing!.caseId!, filing: filing! };
}

describe('payout monitoring', () => {
  it('an approval triggers phase 7 per item with the payout id the report will carry, once', async () => {
    const w = await filingWorld();
    const user = 'seller_paid';
    const { ids, caseId } = await fileCase(w, user, 2);
    const decided = await w.decide(caseId, { approve: { amount_minor: 1001, currency: 'USD' } });
    const items = decided.decision.approved.items as Array<{ reimbursement_id: string; sku: string; fnsku: string; amount_minor: number }>;

    const round = await w.monitor().runOnce();
    expect(round.checked).toBe(1);
    const p7 = await events(w.db, 7, user);
    expect(p7).toHaveLength(2);
    const claimRows = await w.db.select().from(claims).where(eq(claims.userId, user));
    for (const item of items) {
      const claim = claimRows.find((c) => (c.details as any).sku === item.sku)!;
      const payoutId = `${item.reimbursement_id}:${item.sku}|${item.fnsku}|`;
      const e = p7.find((x) => x.claim_id === claim.id)!;
      expect(e.idempotency_key).toBe(`payout:${payoutId}`);
      expect(e.payload).toMatchObject({ claim_id: claim.id, case_id: caseId, payout_id: payoutId, amount_minor: item.amount_minor, currency: 'USD', kind: 'reimbursement' });
    }
    expect(p7.map((e) => e.payload.amount_minor).sort()).toEqual([500, 501]);
    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.userId, user))).every((c) => c.status === 'paid'), 'claims paid');
    expect(ids.length).toBe(2);

    // The sync later brings the same payouts in the report: stored, matched, no second phase 7.
    await syncReimbursements(w, user, 'sync-after');
    const again = await w.monitor().runOnce();
    expect(again.credits.filter((c) => c.attributed).map((c) => c.payoutId).sort()).toEqual(p7.map((e) => e.payload.payout_id).sort());
    expect(await events(w.db, 7, user)).toHaveLength(2);
    const stored = await w.db.select().from(reimbursements).where(eq(reimbursements.userId, user));
    expect(stored.filter((r) => r.attributed)).toHaveLength(2);
    // The report fills in what the case API did not say (Amazon's reason, the approval date); the
    // amount and the claim each payout was credited to stay.
    for (const e of p7) {
      const row = stored.find((r) => `${r.reimbursementId}:${r.lineKey}` === e.payload.payout_id);
      expect(row).toMatchObject({ claimId: e.claim_id, amountMinor: e.payload.amount_minor, reason: expect.any(String), approvalDate: expect.any(Date) });
    }
    // The fixture seller's own earlier reimbursement is Amazon's: stored, never attributed.
    expect(stored.filter((r) => !r.attributed).length).toBeGreaterThan(0);
    expect((await w.db.select().from(filings).where(eq(filings.caseId, caseId)))[0]?.status).toBe('approved');
  });

  it("Amazon's automatic reimbursements are stored but never trigger phase 7", async () => {
    const w = await filingWorld();
    const user = 'seller_auto';
    const { caseId } = await fileCase(w, user);
    await storeReport(w, user, 'sync-auto', HEADER, [
      line({ 'reimbursement-id': '5001', 'case-id': '', reason: 'Lost_Warehouse', sku: 'SKU-X', fnsku: 'XFN', 'amount-per-unit': '9.99', 'amount-total': '9.99' }),
      line({ 'reimbursement-id': '5002', 'case-id': '99999999', reason: 'Damaged_Warehouse', sku: 'SKU-Y', 'amount-per-unit': '5.00', 'amount-total': '5.00' }),
    ]);
    const round = await w.monitor({ channel: { kind: 'manual' } }).runOnce();
    expect(round.credits.map((c) => c.attributed)).toEqual([false, false]);
    expect(await events(w.db, 7, user)).toEqual([]);
    const stored = await w.db.select().from(reimbursements).where(eq(reimbursements.userId, user));
    expect(stored.map((r) => [r.reimbursementId, r.attributed, r.amountMinor, r.claimId])).toEqual([
      ['5001', false, 999, null],
      ['5002', false, 500, null],
    ]);
    expect(caseId).not.toBe('99999999');
    // Nothing new: the next round reads nothing again.
    expect((await w.monitor({ channel: { kind: 'manual' } }).runOnce()).credits).toEqual([]);
  });

  it('a Reimbursement_Reversal of a credited payout triggers phase 7 as a reversal of it', async () => {
    const w = await filingWorld();
    const user = 'seller_rev';
    const { ids, caseId } = await fileCase(w, user);
    const [claim] = await w.db.select().from(claims).where(eq(claims.id, ids[0]!));
    const sku = (claim!.details as any).sku as string;
    const fnsku = (claim!.details as any).fnsku as string;
    await storeReport(w, user, 'sync-1', HEADER, [line({ 'reimbursement-id': '7001', 'case-id': caseId, reason: 'Lost_Warehouse', sku, fnsku, 'amount-per-unit': '12.40', 'amount-total': '12.40' })]);
    await w.monitor({ channel: { kind: 'manual' } }).runOnce();
    await storeReport(w, user, 'sync-2', HEADER, [
      line({ 'reimbursement-id': '7002', 'case-id': '', reason: 'Reimbursement_Reversal', sku, fnsku, 'amount-per-unit': '-12.40', 'amount-total': '-12.40', 'original-reimbursement-id': '7001', 'original-reimbursement-type': 'Lost_Warehouse' }),
    ]);
    await w.monitor({ channel: { kind: 'manual' } }).runOnce();
    const p7 = await events(w.db, 7, user);
    expect(p7.map((e) => e.payload)).toEqual([
      expect.objectContaining({ payout_id: `7001:${sku}|${fnsku}|`, amount_minor: 1240, kind: 'reimbursement' }),
      expect.objectContaining({ payout_id: `7002:${sku}|${fnsku}|`, amount_minor: -1240, kind: 'reversal', reverses: `7001:${sku}|${fnsku}|`, case_id: caseId, claim_id: ids[0] }),
    ]);
  });

  it('a rejected case triggers phase 6 for each of its claims with Amazon\'s reason', async () => {
    const w = await filingWorld();
    const user = 'seller_rej';
    const { ids, caseId } = await fileCase(w, user, 2);
    await w.decide(caseId, { reject: { reason: 'Our records show the units were found and returned to inventory.' } });
    const round = await w.monitor().runOnce();
    expect(round.rejected).toBe(2);
    const p6 = await events(w.db, 6, user);
    expect(p6.map((e) => [e.claim_id, e.idempotency_key, e.payload.reason]).sort()).toEqual(
      ids.map((id) => [id, `rejected:${caseId}:${id}`, 'Our records show the units were found and returned to inventory.']).sort(),
    );
    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.userId, user))).every((c) => c.status === 'rejected'), 'claims rejected');
    expect((await w.monitor().runOnce()).rejected).toBe(0);
    expect(await events(w.db, 7, user)).toEqual([]);
  });

  it('the external webhooks need a claim_id when a case holds several claims', async () => {
    const w = await filingWorld();
    const user = 'seller_hook';
    const { ids, caseId } = await fileCase(w, user, 2);
    const ambiguous = await w.t.request('/api/v1/workflow/claim/rejected', { body: { user_id: user, case_id: caseId, reason: 'no' } });
    expect(ambiguous.status).toBe(422);
    expect(ambiguous.body.error.code).toBe('ambiguous_case');
    const payout = await w.t.request('/api/v1/workflow/payout/received', { body: { user_id: user, case_id: caseId, payout_id: 'p1', amount_minor: 100, currency: 'USD' } });
    expect(payout.status).toBe(422);
    const named = await w.t.request('/api/v1/workflow/claim/rejected', { body: { user_id: user, case_id: caseId, claim_id: ids[0], reason: 'no' } });
    expect(named.status).toBe(202);
    expect(named.body.claim_id).toBe(ids[0]);
  });
});
