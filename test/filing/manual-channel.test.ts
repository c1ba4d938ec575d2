// The manual channel end to end over HTTP: Clario prepares the case, the seller reads it, files it
// in Seller Central and records the case id; phase 5 files every claim of the case, and a
// reimbursement on that case (even one synced before the id was recorded) is credited.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { claims } from '../../src/store/schema/claims-tables.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { waitFor } from '../support/wait.js';
import { events, filingWorld, HEADER, line, readyClaim, storeReport } from './support.js';

describe('the manual claims channel', () => {
  it('prepared → the seller records the case id → phase 5 → claims filed, and their payout is credited', async () => {
    const w = await filingWorld();
    const user = 'seller_manual';
    const a = await readyClaim(w.db, user, { sku: 'MAN-A', fnsku: 'XMA' });
    const b = await readyClaim(w.db, user, { sku: 'MAN-B', fnsku: 'XMB' });
    const filer = w.filer({ channel: { kind: 'manual' } });
    expect(await filer.runOnce()).toEqual({ prepared: 1, filed: 0, failed: 0 });
    expect(await w.casesAtAmazon()).toEqual([]);

    const mine = await w.t.sellerToken(user);
    const theirs = await w.t.sellerToken('someone_else');
    const list = await w.t.request('/api/v1/filings?status=prepared', { token: mine });
    expect(list.status).toBe(200);
    expect(list.body.filings).toHaveLength(1);
    const prepared = list.body.filings[0];
    expect(prepared).toMatchObject({ channel: 'manual', status: 'prepared', case_id: null, user_id: user, attachments: [] });
    expect(prepared.claim_ids.sort()).toEqual([a, b].sort());
    expect(prepared.subject).toMatch(/^Reimbursement request: 2 SKUs/);
    expect(prepared.body).toContain('FNSKU XMA (MSKU MAN-A, ASIN');
    expect(prepared.body).toContain('Shown in: Inventory Ledger (detailed view).');
    // Amazon's agent cannot use Clario's own file names, line numbers or claim ids.
    expect(prepared.body).not.toMatch(/GET_LEDGER_DETAIL_VIEW_DATA|DOC-1|line \d|clm_/);
    expect((await w.t.request(`/api/v1/filings/${prepared.id}`, { token: mine })).body.body).toBe(prepared.body);
    expect((await w.t.request('/api/v1/filings?status=prepared', { token: theirs })).body.filings).toEqual([]);
    expect((await w.t.request(`/api/v1/filings?user_id=${user}`, { token: theirs })).status).toBe(403);
    // The service lists everyone's cases, or one seller's; an empty user_id never means "no filter".
    expect((await w.t.request('/api/v1/filings?status=prepared')).body.filings.map((f: any) => f.id)).toEqual([prepared.id]);
    expect((await w.t.request('/api/v1/filings?user_id=someone_else')).body.filings).toEqual([]);
    expect((await w.t.request('/api/v1/filings?user_id=')).status).toBe(400);
    expect((await w.t.request(`/api/v1/filings/${prepared.id}`, { token: theirs })).status).toBe(404);
    expect((await w.t.request(`/api/v1/filings/${prepared.id}`, { token: null })).status).toBe(401);

    // Amazon pays before the seller gets round to recording the case id.
    await storeReport(w, user, 'sync-early', HEADER, [line({ 'reimbursement-id': '8001', 'case-id': '17412345678', reason: 'Lost_Warehouse', sku: 'MAN-B', fnsku: 'XMB', 'amount-per-unit': '20.00', 'amount-total': '20.00' })]);
    const early = await w.monitor({ channel: { kind: 'manual' } }).runOnce();
    expect(early.credits.map((c) => c.attributed)).toEqual([false]);

    expect((await w.t.request(`/api/v1/claims/${a}/case`, { token: mine, body: { case_id: '<script>' } })).status).toBe(400);
    expect((await w.t.request(`/api/v1/claims/${a}/case`, { token: theirs, body: { case_id: '17412345678' } })).status).toBe(404);
    const recorded = await w.t.request(`/api/v1/claims/${a}/case`, { token: mine, body: { case_id: '17412345678' } });
    expect(recorded.status).toBe(202);
    expect(recorded.body).toMatchObject({ filing_id: prepared.id, case_id: '17412345678' });
    expect(recorded.body.claims.map((c: any) => c.claim_id).sort()).toEqual([a, b].sort());
    const again = await w.t.request(`/api/v1/claims/${b}/case`, { token: mine, body: { case_id: '17412345678' } });
    expect(again.status).toBe(202);
    expect(again.body.claims.every((c: any) => c.duplicate)).toBe(true);
    expect((await w.t.request(`/api/v1/claims/${a}/case`, { token: mine, body: { case_id: '17400000000' } })).status).toBe(409);

    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.userId, user))).every((c) => c.status === 'filed' && c.caseId === '17412345678'), 'claims filed');
    expect((await events(w.db, 5, user)).map((e) => e.idempotency_key).sort()).toEqual([a, b].map((id) => `filed:${prepared.id}:${id}`).sort());
    expect((await w.db.select().from(filings).where(eq(filings.id, prepared.id)))[0]).toMatchObject({ status: 'filed', caseId: '17412345678' });

    // The payout stored earlier is now on one of Clario's cases: credited to claim b.
    const later = await w.monitor({ channel: { kind: 'manual' } }).runOnce();
    expect(later.credits).toEqual([expect.objectContaining({ attributed: true, claimId: b, payoutId: '8001:MAN-B|XMB|' })]);
    expect((await events(w.db, 7, user)).map((e) => e.payload)).toEqual([expect.objectContaining({ claim_id: b, case_id: '17412345678', amount_minor: 2000, kind: 'reimbursement' })]);
  });

  it('a claim submitted through the external webhook is watched as a case of its own', async () => {
    const w = await filingWorld();
    const user = 'seller_hooked';
    const id = await readyClaim(w.db, user, { sku: 'HOOK', fnsku: 'XHK' });
    const submitted = await w.t.request('/api/v1/workflow/claim/submitted', { body: { user_id: user, claim_id: id, case_id: '17499999999' } });
    expect(submitted.status).toBe(202);
    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.id, id)))[0]?.status === 'filed', 'claim filed');
    const [filing] = await w.db.select().from(filings).where(eq(filings.caseId, '17499999999'));
    expect(filing).toMatchObject({ userId: user, status: 'filed', claimIds: [id] });
    await storeReport(w, user, 'sync-hook', HEADER, [line({ 'reimbursement-id': '8101', 'case-id': '17499999999', reason: 'Lost_Warehouse', sku: 'HOOK', fnsku: 'XHK', 'amount-per-unit': '3.00', 'amount-total': '3.00' })]);
    const round = await w.monitor({ channel: { kind: 'manual' } }).runOnce();
    expect(round.credits).toEqual([expect.objectContaining({ attributed: true, claimId: id })]);
  });

  it('the webhook cannot add a claim to a case Clario filed through the case API; a case filed by hand takes it', async () => {
    const w = await filingWorld();
    const user = 'seller_hook_into';
    const [inCase, other, byHand] = [await readyClaim(w.db, user, { sku: 'IN' }), await readyClaim(w.db, user, { sku: 'OUT' }), await readyClaim(w.db, user, { sku: 'HAND' })];
    const base = { userId: user, status: 'filed' as const, subject: 's', body: 'b', attachments: [], filedOn: '2026-12-01' };
    await w.db.insert(filings).values([
      { ...base, id: 'fil_api_case', channel: 'simulator', caseId: '17411110001', claimIds: [inCase] },
      { ...base, id: 'fil_hand_case', channel: 'manual', caseId: '17411110002', claimIds: [byHand] },
    ]);
    const into = await w.t.request('/api/v1/workflow/claim/submitted', { body: { user_id: user, claim_id: other, case_id: '17411110001' } });
    expect(into.status).toBe(202);
    await waitFor(async () => (await w.t.clario.engine.findEvent(into.body.event_id))?.status === 'failed', 'parked');
    expect((await w.t.request(`/api/v1/workflow/status/${user}`)).body.failed_events).toEqual([expect.objectContaining({ event_id: into.body.event_id, last_error: expect.objectContaining({ code: 'case_mismatch' }) })]);
    // The event itself says why it was parked, with what it was asked.
    expect((await w.t.request(`/api/v1/workflow/events/${into.body.event_id}`)).body).toMatchObject({
      status: 'failed',
      payload: { claim_id: other, case_id: '17411110001' },
      last_error: { code: 'case_mismatch', message: expect.stringContaining('not in it') },
      result: null,
    });
    expect((await w.db.select().from(filings).where(eq(filings.id, 'fil_api_case')))[0]?.claimIds).toEqual([inCase]);
    expect((await w.db.select().from(claims).where(eq(claims.id, other)))[0]?.status).toBe('ready');
    // A case a person filed is told to Clario claim by claim: the second claim joins it.
    const joined = await w.t.request('/api/v1/workflow/claim/submitted', { body: { user_id: user, claim_id: other, case_id: '17411110002' } });
    await waitFor(async () => (await w.t.clario.engine.findEvent(joined.body.event_id))?.status === 'completed', 'recorded');
    expect((await w.db.select().from(filings).where(eq(filings.id, 'fil_hand_case')))[0]?.claimIds).toEqual([byHand, other]);
  });

  it('a case id is the seller\'s own: two sellers may record the same one, and each trigger, report line and reply finds only its own', async () => {
    const w = await filingWorld();
    const [userA, userB] = ['seller_case_a', 'seller_case_b'];
    const a = await readyClaim(w.db, userA, { sku: 'SAME-A', fnsku: 'XSA' });
    const b = await readyClaim(w.db, userB, { sku: 'SAME-B', fnsku: 'XSB' });
    expect(await w.filer({ channel: { kind: 'manual' } }).runOnce()).toEqual({ prepared: 2, filed: 0, failed: 0 });
    const caseId = '17455555555';
    // Seller A records the id first; seller B's own case of the same number is not "taken" (a
    // squatter could otherwise block it, and the answer would tell them it exists elsewhere).
    expect((await w.t.request(`/api/v1/claims/${a}/case`, { token: await w.t.sellerToken(userA), body: { case_id: caseId } })).status).toBe(202);
    const recordedB = await w.t.request(`/api/v1/claims/${b}/case`, { token: await w.t.sellerToken(userB), body: { case_id: caseId } });
    expect(recordedB.status).toBe(202);
    expect(recordedB.body.claims.map((c: any) => c.claim_id)).toEqual([b]);
    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.caseId, caseId))).filter((c) => c.status === 'filed').length === 2, 'both claims filed');
    const cases = await w.db.select().from(filings).where(eq(filings.caseId, caseId));
    expect(cases.map((f) => [f.userId, f.claimIds]).sort()).toEqual([[userA, [a]], [userB, [b]]]);

    // A trigger naming only the case id resolves to the caller's own claim.
    const rejected = await w.t.request('/api/v1/workflow/claim/rejected', { body: { user_id: userB, case_id: caseId, reason: 'insufficient evidence' } });
    expect(rejected.status).toBe(202);
    await waitFor(async () => (await events(w.db, 6, userB)).some((e) => e.status === 'completed' || e.status === 'failed'), 'phase 6 ran');
    expect((await events(w.db, 6, userB)).map((e) => [e.claim_id, e.status])).toEqual([[b, 'completed']]);
    expect(await events(w.db, 6, userA)).toEqual([]);

    // Seller A's reimbursement on that case number pays A's claim, and leaves B's case as it was.
    await storeReport(w, userA, 'sync-same-a', HEADER, [line({ 'reimbursement-id': '8201', 'case-id': caseId, reason: 'Lost_Warehouse', sku: 'SAME-A', fnsku: 'XSA', 'amount-per-unit': '4.00', 'amount-total': '4.00' })]);
    const round = await w.monitor({ channel: { kind: 'manual' } }).runOnce();
    expect(round.credits).toEqual([expect.objectContaining({ attributed: true, claimId: a })]);
    const after = await w.db.select().from(filings).where(eq(filings.caseId, caseId));
    expect(Object.fromEntries(after.map((f) => [f.userId, f.status]))).toEqual({ [userA]: 'approved', [userB]: 'filed' });
  });
});
