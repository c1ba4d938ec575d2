// Amazon's replies pasted on a case (POST /api/v1/filings/:id/reply), end to end on the manual
// channel with the real phases 5–7 (learning, billing, proof): a rejection re-prompts the seller,
// the answered claim is reopened on the same Amazon case, the approval that follows pays it once,
// and the Reimbursements report's line for the same reimbursement id is the same payout.
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { moveClaim } from '../../src/store/claim-rows.js';
import { rows } from '../../src/store/db.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { prompts } from '../../src/store/schema/evidence-tables.js';
import { filingReplies, filings } from '../../src/store/schema/filing-tables.js';
import { learningHistory } from '../../src/store/schema/learning-tables.js';
import { reimbursements } from '../../src/store/schema/payouts-tables.js';
import { waitFor } from '../support/wait.js';
import { paidWorld } from '../payouts/support.js';
import { events, HEADER, line, readyClaim, storeReport, type World } from './support.js';

const MANUAL = { kind: 'manual' } as const;

async function claimStatus(w: World, id: string) {
  return (await w.db.select().from(claims).where(eq(claims.id, id)))[0]?.status;
}

/** The seller answered the prompt and routing found the claim ready again (tested in test/routing). */
async function answered(w: World, id: string) {
  await waitFor(async () => (await claimStatus(w, id)) === 'prompted', `claim ${id} prompted`);
  await w.db.update(prompts).set({ status: 'answered', answeredAt: new Date() }).where(and(eq(prompts.claimId, id), eq(prompts.status, 'open')));
  expect(await moveClaim(w.db, id, 'prompted', 'ready')).toBe(true);
}

/** A manual-channel case for the seller's ready claims, recorded as `caseId`; its claims filed. */
async function filedCase(w: World, user: string, caseId: string) {
  expect((await w.filer({ channel: MANUAL }).runOnce()).prepared).toBe(1);
  const [filing] = await w.db.select().from(filings).where(and(eq(filings.userId, user), eq(filings.status, 'prepared')));
  const token = await w.t.sellerToken(user);
  expect((await w.t.request(`/api/v1/claims/${filing!.claimIds[0]}/case`, { token, body: { case_id: caseId } })).status).toBe(202);
  await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.userId, user))).every((c) => c.status === 'filed'), 'claims filed');
  return { filing: filing!, token };
}

describe("Amazon's replies on a case", () => {
  it('rejection → prompt → reopening on the same case → approval pays once, and the report line is the same payout', async () => {
    const w = await paidWorld();
    const user = 'seller_reply';
    const id = await readyClaim(w.db, user, { sku: 'REP-1', fnsku: 'X00REP0001', amountMinor: 2480, quantity: 2 });
    const theirs = await w.t.sellerToken('someone_else');

    expect((await w.filer({ channel: MANUAL }).runOnce()).prepared).toBe(1);
    const [prepared] = await w.db.select().from(filings).where(eq(filings.userId, user));
    const token = await w.t.sellerToken(user);
    const reply = (filingId: string, text: string, t: string | null = token) => w.t.request(`/api/v1/filings/${filingId}/reply`, { token: t, body: { text } });
    // Nothing to reply on before the case id is recorded.
    expect((await reply(prepared!.id, 'We have reimbursed you.')).status).toBe(409);
    expect((await w.t.request(`/api/v1/claims/${id}/case`, { token, body: { case_id: '17400000001' } })).status).toBe(202);
    await waitFor(async () => (await claimStatus(w, id)) === 'filed', 'claim filed');

    // The edge: not yours is not found, no token is 401, an empty or huge text is 400.
    expect((await reply(prepared!.id, 'We have reimbursed you.', theirs)).status).toBe(404);
    expect((await reply('fil_nope', 'We have reimbursed you.')).status).toBe(404);
    expect((await reply(prepared!.id, 'We have reimbursed you.', null)).status).toBe(401);
    expect((await reply(prepared!.id, '  ')).status).toBe(400);
    expect((await reply(prepared!.id, 'x'.repeat(20_001))).status).toBe(400);

    const rejection = 'Hello, we cannot approve this request without a valid supplier invoice for the units.';
    const first = await reply(prepared!.id, rejection);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ filing_id: prepared!.id, reply: { outcome: 'rejected', reason_code: 'missing_proof_of_ownership', needs: ['upload_invoice'], amount: null, text: rejection } });
    expect(first.body.claims).toEqual([{ claim_id: id, status: expect.any(String), event_id: expect.any(String) }]);
    await waitFor(async () => (await claimStatus(w, id)) === 'prompted', 'claim re-prompted');
    const [prompt] = await w.db.select().from(prompts).where(and(eq(prompts.claimId, id), eq(prompts.status, 'open')));
    expect(prompt?.asks).toEqual([{ need: 'upload_invoice', message: expect.stringContaining('17400000001') }]);

    // The same text again (spacing aside) is the same reply: no second phase 6.
    const again = await reply(prepared!.id, `  ${rejection.replace(/ /g, '  ')}\n`);
    expect(again.status).toBe(200);
    expect(again.body.reply.id).toBe(first.body.reply.id);
    expect(again.body.claims[0].event_id).toBe(first.body.claims[0].event_id);
    expect(await events(w.db, 6, user)).toHaveLength(1);
    expect(await w.db.select().from(filingReplies).where(eq(filingReplies.filingId, prepared!.id))).toHaveLength(1);

    // Answered: the manual channel prepares the seller's reply on the same case, not a new case.
    await answered(w, id);
    expect((await w.filer({ channel: MANUAL }).runOnce()).prepared).toBe(1);
    const [reopening] = await w.db.select().from(filings).where(and(eq(filings.userId, user), eq(filings.status, 'prepared')));
    expect(reopening).toMatchObject({ reopensCaseId: '17400000001', caseId: null, claimIds: [id] });
    expect(reopening!.id).not.toBe(prepared!.id);
    expect(reopening!.body).toContain('On case 17400000001 you asked for the supplier invoice');
    expect(reopening!.body).toContain('SKU REP-1, FNSKU X00REP0001');
    expect(reopening!.body).not.toMatch(/\.tsv|line \d/);
    const shown = (await w.t.request(`/api/v1/filings/${reopening!.id}`, { token })).body;
    expect(shown).toMatchObject({ reopens_case_id: '17400000001', case_id: null, replies: [] });
    expect(shown.kit.text).toBe(reopening!.body);
    const today = (await w.t.request('/api/v1/filings/today', { token })).body;
    expect(today.cases).toEqual([expect.objectContaining({ id: reopening!.id, reopens_case_id: '17400000001' })]);
    expect((await w.t.request(`/api/v1/filings/${prepared!.id}`, { token })).body.replies).toEqual([first.body.reply]);
    // A second round prepares nothing more.
    expect((await w.filer({ channel: MANUAL }).runOnce()).prepared).toBe(0);

    // Recording the reopening: the same case id, and only that one.
    expect((await w.t.request(`/api/v1/claims/${id}/case`, { token, body: { case_id: '17400000999' } })).status).toBe(409);
    expect((await w.t.request(`/api/v1/claims/${id}/case`, { token, body: { case_id: '17400000001' } })).status).toBe(202);
    await waitFor(async () => (await claimStatus(w, id)) === 'filed', 'claim filed again');
    expect((await events(w.db, 5, user)).map((e) => e.idempotency_key)).toEqual([`filed:${prepared!.id}:${id}`, `filed:${reopening!.id}:${id}`]);

    // Amazon approves on the same case, naming the reimbursement id.
    const approval = 'Good news: we have reimbursed 2 units of FNSKU X00REP0001. Reimbursement ID: 5550001111. Amount: $24.80.';
    const paid = await reply(reopening!.id, approval);
    expect(paid.status).toBe(200);
    expect(paid.body.reply).toMatchObject({ outcome: 'approved', amount: { amount_minor: 2480, currency: 'USD' }, reimbursement_ids: ['5550001111'] });
    expect(paid.body.claims).toEqual([{ claim_id: id, status: expect.any(String), event_id: expect.any(String) }]);
    await waitFor(async () => (await claimStatus(w, id)) === 'paid', 'claim paid');

    // The report brings the same reimbursement id later: the same payout, no second fee.
    await storeReport(w, user, 'sync-after-reply', HEADER, [
      line({ 'reimbursement-id': '5550001111', 'case-id': '17400000001', reason: 'Lost_Warehouse', sku: 'REP-1', fnsku: 'X00REP0001', 'amount-per-unit': '12.40', 'amount-total': '24.80', 'quantity-reimbursed-cash': '2', 'quantity-reimbursed-total': '2' }),
    ]);
    await w.monitor({ channel: MANUAL }).runOnce();
    await waitFor(async () => (await events(w.db, 7, user)).every((e) => e.status === 'completed'), 'phase 7 done');
    expect(await events(w.db, 7, user)).toHaveLength(1);
    expect((await w.db.select().from(feeCharges).where(eq(feeCharges.userId, user))).map((f) => f.reimbursedMinor)).toEqual([2480]);
    const stored = await w.db.select().from(reimbursements).where(eq(reimbursements.userId, user));
    expect(stored).toEqual([expect.objectContaining({ reimbursementId: '5550001111', claimId: id, amountMinor: 2480, unmatchedReason: null })]);

    // Decided and paid: a new reply is a conflict; the same one is still the same reply.
    expect((await reply(reopening!.id, 'Thank you, anything else?')).status).toBe(409);
    expect((await reply(reopening!.id, approval)).body.reply.id).toBe(paid.body.reply.id);

    // The claim page lists the replies on its case, oldest first.
    const page = (await w.t.request(`/api/v1/claims/${id}`, { token })).body;
    expect(page.replies.map((r: any) => r.outcome)).toEqual(['rejected', 'approved']);
  });

  it('more information keeps the case open: exactly those documents are asked for, nothing is learned, the reply goes on the same case', async () => {
    const w = await paidWorld();
    const user = 'seller_more_info';
    const id = await readyClaim(w.db, user, { type: 'inbound_shortage', shipmentId: 'FBA15MORE01', sku: 'MI-1', fnsku: 'X00MI00001' });
    const { filing, token } = await filedCase(w, user, '17400000002');
    const r = await w.t.request(`/api/v1/filings/${filing.id}/reply`, { token, body: { text: 'To continue our investigation, please provide proof of delivery (POD) for shipment FBA15MORE01.' } });
    expect(r.body.reply).toMatchObject({ outcome: 'more_information', needs: ['upload_proof_of_delivery'] });
    await waitFor(async () => (await claimStatus(w, id)) === 'prompted', 'claim prompted');
    const [prompt] = await w.db.select().from(prompts).where(and(eq(prompts.claimId, id), eq(prompts.status, 'open')));
    expect(prompt?.asks).toEqual([{ need: 'upload_proof_of_delivery', message: expect.stringMatching(/case 17400000002; the case stays open.*reply on case 17400000002/) }]);
    // Amazon has decided nothing: the case stays filed and the model counts no rejection.
    expect((await w.db.select().from(filings).where(eq(filings.id, filing.id)))[0]?.status).toBe('filed');
    expect(await w.db.select().from(learningHistory).where(eq(learningHistory.claimId, id))).toEqual([]);

    await answered(w, id);
    // The same day, with one new case a day and that one used: the reply still goes (it opens no
    // case), a new claim waits for tomorrow.
    const fresh = await readyClaim(w.db, user, { sku: 'MI-2', fnsku: 'X00MI00002' });
    const sameDay = () => new Date(`${filing.filedOn}T12:00:00Z`);
    expect((await w.filer({ channel: MANUAL, maxCasesPerDay: 1, now: sameDay }).runOnce()).prepared).toBe(1);
    const [reopening] = await w.db.select().from(filings).where(and(eq(filings.userId, user), eq(filings.status, 'prepared')));
    expect(reopening).toMatchObject({ reopensCaseId: '17400000002', claimIds: [id] });
    expect(reopening!.body).toContain('the carrier proof of delivery for this shipment');
    expect((await w.db.select().from(claims).where(eq(claims.id, fresh)))[0]?.filingId).toBeNull();
  });

  it('an approval naming no reimbursement id credits nothing itself: the claim waits for the report, which pays it once', async () => {
    const w = await paidWorld();
    const user = 'seller_no_id';
    const id = await readyClaim(w.db, user, { sku: 'NOID', fnsku: 'X00NOID001', amountMinor: 1500 });
    const { filing, token } = await filedCase(w, user, '17400000003');
    const r = await w.t.request(`/api/v1/filings/${filing.id}/reply`, { token, body: { text: 'We have approved your request; a reimbursement of $15.00 will be issued.' } });
    expect(r.body.reply).toMatchObject({ outcome: 'approved', amount: { amount_minor: 1500, currency: 'USD' }, reimbursement_ids: [] });
    expect(r.body.claims).toEqual([{ claim_id: id, status: 'filed', event_id: null, note: 'credited when the Reimbursements report shows the reimbursement' }]);
    expect(await events(w.db, 7, user)).toEqual([]);
    const page = (await w.t.request(`/api/v1/claims/${id}`, { token })).body;
    expect(page.claim.waiting).toEqual({ on: 'amazon', why: expect.stringMatching(/Amazon approved \$15\.00 on case 17400000003.*Reimbursements report/) });

    await storeReport(w, user, 'sync-no-id', HEADER, [line({ 'reimbursement-id': '5550002222', 'case-id': '17400000003', reason: 'Lost_Warehouse', sku: 'NOID', fnsku: 'X00NOID001', 'amount-per-unit': '15.00', 'amount-total': '15.00' })]);
    await w.monitor({ channel: MANUAL }).runOnce();
    await waitFor(async () => (await claimStatus(w, id)) === 'paid', 'claim paid');
    expect(await w.db.select().from(feeCharges).where(eq(feeCharges.userId, user))).toHaveLength(1);
  });

  it('reads a bare "$" on a case in Canadian dollars as CAD, and pays the claim in CAD', async () => {
    const w = await paidWorld();
    const user = 'seller_cad';
    const id = await readyClaim(w.db, user, { sku: 'CAD-1', fnsku: 'X00CAD0001', amountMinor: 5599, currency: 'CAD' });
    const { filing, token } = await filedCase(w, user, '17400000009');
    const r = await w.t.request(`/api/v1/filings/${filing.id}/reply`, { token, body: { text: 'Hello, we have reimbursed $55.99 for the lost units. Reimbursement ID: 5550002222.' } });
    expect(r.body.reply).toMatchObject({ outcome: 'approved', amount: { amount_minor: 5599, currency: 'CAD' }, reimbursement_ids: ['5550002222'] });
    await waitFor(async () => (await claimStatus(w, id)) === 'paid', 'claim paid');
    const [fee] = await w.db.select().from(feeCharges).where(eq(feeCharges.userId, user));
    expect(fee).toMatchObject({ currency: 'CAD' });
  });

  it("an approval pasted on the wrong case (its reimbursement id already pays another) decides nothing there; the same text again says it is a duplicate", async () => {
    const w = await paidWorld();
    const user = 'seller_wrong_case';
    const first = await readyClaim(w.db, user, { sku: 'WC-1', fnsku: 'X00WCASE01', amountMinor: 1999 });
    const one = await filedCase(w, user, '17400000021');
    const approval = 'We have reimbursed $19.99. Reimbursement ID: 5550001111.';
    const paid = await w.t.request(`/api/v1/filings/${one.filing.id}/reply`, { token: one.token, body: { text: approval } });
    expect(paid.body.duplicate).toBe(false);
    await waitFor(async () => (await claimStatus(w, first)) === 'paid', 'first claim paid');
    const second = await readyClaim(w.db, user, { sku: 'WC-2', fnsku: 'X00WCASE02', amountMinor: 5599 });
    // The seller's second case (filedCase waits for every claim of the seller to be filed).
    expect((await w.filer({ channel: MANUAL }).runOnce()).prepared).toBe(1);
    const [prepared] = await w.db.select().from(filings).where(and(eq(filings.userId, user), eq(filings.status, 'prepared')));
    expect((await w.t.request(`/api/v1/claims/${second}/case`, { token: one.token, body: { case_id: '17400000022' } })).status).toBe(202);
    await waitFor(async () => (await claimStatus(w, second)) === 'filed', 'second claim filed');
    const two = { filing: prepared!, token: one.token };
    const wrong = await w.t.request(`/api/v1/filings/${two.filing.id}/reply`, { token: two.token, body: { text: approval } });
    expect(wrong.body.claims).toEqual([{ claim_id: second, status: 'filed', event_id: null, note: 'reimbursement 5550001111 already pays case 17400000021: this reply looks like that case\'s, so it decides nothing on case 17400000022' }]);
    const [filing] = await w.db.select().from(filings).where(eq(filings.id, two.filing.id));
    expect(filing?.status).not.toBe('approved');
    const again = await w.t.request(`/api/v1/filings/${one.filing.id}/reply`, { token: one.token, body: { text: approval } });
    expect(again.body.duplicate).toBe(true);
  });

  it('an approval of a case of several claims with one amount is parked, and the report lines that split it pay each claim', async () => {
    const w = await paidWorld();
    const user = 'seller_two';
    const a = await readyClaim(w.db, user, { sku: 'TWO-A', fnsku: 'X00TWOA001', amountMinor: 1000 });
    const b = await readyClaim(w.db, user, { sku: 'TWO-B', fnsku: 'X00TWOB001', amountMinor: 2000 });
    const { filing, token } = await filedCase(w, user, '17400000004');
    const r = await w.t.request(`/api/v1/filings/${filing.id}/reply`, { token, body: { text: 'We have reimbursed your case. Reimbursement ID: 5550003333, total $30.00.' } });
    expect(r.body.reply.outcome).toBe('approved');
    expect(r.body.claims.map((c: any) => c.event_id)).toEqual([null, null]);
    const parked = await w.db.select().from(reimbursements).where(eq(reimbursements.userId, user));
    expect(parked).toEqual([expect.objectContaining({ reimbursementId: '5550003333', claimId: null, attributed: true, unmatchedReason: expect.stringContaining('nothing that identifies a claim') })]);

    await storeReport(w, user, 'sync-two', HEADER, [
      line({ 'reimbursement-id': '5550003333', 'case-id': '17400000004', reason: 'Lost_Warehouse', sku: 'TWO-A', fnsku: 'X00TWOA001', 'amount-per-unit': '10.00', 'amount-total': '10.00' }),
      line({ 'reimbursement-id': '5550003333', 'case-id': '17400000004', reason: 'Lost_Warehouse', sku: 'TWO-B', fnsku: 'X00TWOB001', 'amount-per-unit': '20.00', 'amount-total': '20.00' }),
    ]);
    await w.monitor({ channel: MANUAL }).runOnce();
    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.userId, user))).every((c) => c.status === 'paid'), 'both paid');
    const stored = await w.db.select().from(reimbursements).where(eq(reimbursements.userId, user));
    expect(Object.fromEntries(stored.map((s) => [s.claimId, s.amountMinor]))).toEqual({ [a]: 1000, [b]: 2000 });
    const [sum] = await rows<{ fees: number }>(w.db, sql`SELECT count(*)::int AS fees FROM fee_charges WHERE user_id = ${user}`);
    expect(sum?.fees).toBe(2);
  });

  it('a reopening rejected again is its own round: the seller is asked again and replies on the same case again', async () => {
    const w = await paidWorld();
    const user = 'seller_twice';
    const id = await readyClaim(w.db, user, { type: 'inbound_shortage', shipmentId: 'FBA15TWICE1', sku: 'TW-1', fnsku: 'X00TWICE01' });
    const { filing, token } = await filedCase(w, user, '17400000006');
    const say = (filingId: string, text: string) => w.t.request(`/api/v1/filings/${filingId}/reply`, { token, body: { text } });
    await say(filing.id, 'We cannot approve this request without a valid supplier invoice.');
    await answered(w, id);
    await w.filer({ channel: MANUAL }).runOnce();
    const [first] = await w.db.select().from(filings).where(and(eq(filings.userId, user), eq(filings.status, 'prepared')));
    expect((await w.t.request(`/api/v1/claims/${id}/case`, { token, body: { case_id: '17400000006' } })).status).toBe(202);
    await waitFor(async () => (await claimStatus(w, id)) === 'filed', 'filed again');

    // Amazon refuses the reply too, now for want of the proof of delivery.
    const second = await say(first!.id, 'We are unable to reimburse this shipment: the proof of delivery (POD) is missing.');
    expect(second.body.reply).toMatchObject({ outcome: 'rejected', needs: ['upload_proof_of_delivery'] });
    await waitFor(async () => (await claimStatus(w, id)) === 'prompted', 'asked again');
    const [prompt] = await w.db.select().from(prompts).where(and(eq(prompts.claimId, id), eq(prompts.status, 'open')));
    expect(prompt?.asks).toEqual([{ need: 'upload_proof_of_delivery', message: expect.stringContaining('17400000006') }]);
    await answered(w, id);
    expect((await w.filer({ channel: MANUAL }).runOnce()).prepared).toBe(1);
    const [again] = await w.db.select().from(filings).where(and(eq(filings.userId, user), eq(filings.status, 'prepared')));
    expect(again).toMatchObject({ reopensCaseId: '17400000006', claimIds: [id] });
    expect(again!.id).not.toBe(first!.id);
    expect(again!.body).toContain('proof of delivery');
  });

  it('two approvals worded differently, pasted at once, name one reimbursement id: one payout, one fee', async () => {
    // On PostgreSQL, where the two requests truly run side by side.
    const w = await paidWorld({ store: 'postgres' });
    const user = 'seller_twice_at_once';
    const id = await readyClaim(w.db, user, { sku: 'ONCE-1', fnsku: 'X00ONCE001', amountMinor: 1000 });
    const { filing, token } = await filedCase(w, user, '17400000007');
    const paste = (text: string) => w.t.request(`/api/v1/filings/${filing.id}/reply`, { token, body: { text } });
    // One names the FNSKU beside the amount, the other only the id and the total: read apart, they
    // would be two lines of one reimbursement.
    const answers = await Promise.all([
      paste('We have reimbursed 1 unit of FNSKU X00ONCE001. Reimbursement ID: 5550007777. Amount: $10.00.'),
      paste('Your case is approved. Reimbursement ID: 5550007777, total $10.00.'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await waitFor(async () => (await claimStatus(w, id)) === 'paid', 'claim paid');
    await waitFor(async () => (await events(w.db, 7, user)).every((e) => e.status === 'completed'), 'phase 7 done');
    expect(await events(w.db, 7, user)).toHaveLength(1);
    expect((await w.db.select().from(feeCharges).where(eq(feeCharges.userId, user))).map((f) => f.reimbursedMinor)).toEqual([1000]);
    expect(await w.db.select().from(reimbursements).where(eq(reimbursements.userId, user))).toHaveLength(1);
  });

  it('an approval pasted after a rejection that closed the claim pays nothing and teaches nothing', async () => {
    const w = await paidWorld();
    const user = 'seller_late_approval';
    const id = await readyClaim(w.db, user, { sku: 'LATE', fnsku: 'X00LATE001', amountMinor: 2316 });
    const { filing, token } = await filedCase(w, user, '17400000007');
    const reply = (text: string) => w.t.request(`/api/v1/filings/${filing.id}/reply`, { token, body: { text } });
    expect((await reply('We investigated and the units were found and returned to your inventory.')).status).toBe(200);
    await waitFor(async () => (await claimStatus(w, id)) === 'rejected', 'claim rejected');
    const learned = await w.db.select().from(learningHistory).where(eq(learningHistory.claimId, id));

    const late = await reply('Hello, we have reviewed your case and approved a reimbursement. Reimbursement ID: 5550001. Amount: $23.16.');
    expect(late.status).toBe(200);
    expect(late.body.claims).toEqual([{ claim_id: id, status: 'rejected', event_id: null, note: 'the claim is rejected' }]);
    expect(await events(w.db, 7, user)).toEqual([]);
    expect(await w.db.select().from(reimbursements).where(eq(reimbursements.userId, user))).toEqual([]);
    expect(await w.db.select().from(learningHistory).where(eq(learningHistory.claimId, id))).toEqual(learned);
    expect(await claimStatus(w, id)).toBe('rejected');
  });

  it('an unclear reply is kept and moves nothing', async () => {
    const w = await paidWorld();
    const user = 'seller_unclear';
    const id = await readyClaim(w.db, user, {});
    const { filing, token } = await filedCase(w, user, '17400000005');
    const r = await w.t.request(`/api/v1/filings/${filing.id}/reply`, { token, body: { text: 'Thank you for your patience. We are looking into this.' } });
    expect(r.body).toMatchObject({ reply: { outcome: 'unclear' }, claims: [{ claim_id: id, status: 'filed', event_id: null }] });
    expect(await events(w.db, 6, user)).toEqual([]);
  });
});

describe('filing again after a rejection is answered, on the simulator channel', () => {
  it('files a new case with a new filing id (the case API cannot reopen)', async () => {
    const w = await paidWorld();
    const user = 'seller_refile_sim';
    const id = await readyClaim(w.db, user, { sku: 'SIM-R', fnsku: 'X00SIMR001' });
    await w.filer().runOnce();
    await waitFor(async () => (await claimStatus(w, id)) === 'filed', 'filed');
    const [first] = await w.db.select().from(filings).where(eq(filings.userId, user));
    await w.decide(first!.caseId!, { reject: { reason: 'Please provide a valid supplier invoice or proof of ownership for the units.' } });
    await w.monitor().runOnce();
    await answered(w, id);
    expect((await w.filer().runOnce()).filed).toBe(1);
    await waitFor(async () => (await claimStatus(w, id)) === 'filed', 'filed again');
    const all = await w.db.select().from(filings).where(eq(filings.userId, user));
    expect(all).toHaveLength(2);
    const second = all.find((f) => f.id !== first!.id)!;
    expect(second).toMatchObject({ status: 'filed', reopensCaseId: null, claimIds: [id] });
    expect(second.caseId).not.toBe(first!.caseId);
    expect((await w.db.select().from(claims).where(eq(claims.id, id)))[0]).toMatchObject({ caseId: second.caseId, filingId: second.id });
    expect(await w.casesAtAmazon()).toHaveLength(2);
  });

  it("refuses a pasted reply on a case filed through the case API: its decisions are Amazon's own", async () => {
    const w = await paidWorld();
    const user = 'seller_paste_sim';
    const id = await readyClaim(w.db, user, { sku: 'SIM-P', fnsku: 'X00SIMP001' });
    await w.filer().runOnce();
    await waitFor(async () => (await claimStatus(w, id)) === 'filed', 'filed');
    const [filing] = await w.db.select().from(filings).where(eq(filings.userId, user));
    const r = await w.t.request(`/api/v1/filings/${filing!.id}/reply`, { token: await w.t.sellerToken(user), body: { text: 'We have approved a reimbursement. Reimbursement ID: 5550009. Amount: $10.00.' } });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain("filed through Amazon's case API");
    expect(await events(w.db, 7, user)).toEqual([]);
    expect(await w.db.select().from(filingReplies).where(eq(filingReplies.filingId, filing!.id))).toEqual([]);
  });
});
