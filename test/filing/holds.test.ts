// What the filer will not file as it is: a claim past its deadline (expired instead), one inside
// its pending period (it waits), and the claims of a type Amazon has mostly rejected lately
// (held, with the reason, until the rate recovers or a person releases one). Driven by the
// filer's injected clock, on both sides of each boundary.
import { describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { heldClaims } from '../../src/filing/file-today.js';
import { writeIntent } from '../../src/filing/filings.js';
import { filingId } from '../../src/filing/plan-cases.js';
import { rows } from '../../src/store/db.js';
import { openPrompt } from '../../src/store/prompt-rows.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { prompts } from '../../src/store/schema/evidence-tables.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { learningHistory } from '../../src/store/schema/learning-tables.js';
import { filingWorld, readyClaim, type World } from './support.js';

const at = (iso: string) => () => new Date(iso);
const statusOf = async (w: World, id: string) => (await w.db.select().from(claims).where(eq(claims.id, id)))[0]!;
const setDetails = (w: World, id: string, extra: Record<string, unknown>) =>
  w.db.update(claims).set({ details: sql`${claims.details} || ${JSON.stringify(extra)}::jsonb` }).where(eq(claims.id, id));

describe('the filing window: nothing before its pending date, nothing past its deadline', () => {
  it('files a claim on its deadline and expires it the day after; files a pending claim on its eligible date and not the day before', async () => {
    const w = await filingWorld();
    const user = 'seller_window';
    const lastDay = await readyClaim(w.db, user, { deadline: '2027-02-10' });
    const missed = await readyClaim(w.db, user, { deadline: '2027-02-10', type: 'damaged_warehouse' });
    const pending = await readyClaim(w.db, user, { deadline: '2027-04-01', type: 'removal_shortfall' });
    await setDetails(w, pending, { detection_status: 'pending', eligible_from: '2027-02-12' });
    const stale = await readyClaim(w.db, user, { deadline: '2027-04-01', type: 'inbound_shortage', shipmentId: 'FBA1' });
    await setDetails(w, stale, { detection_status: 'pending' });

    // On the deadline: the first claim is filed. The second is judged a day later (its own round).
    const onDeadline = w.filer({ now: at('2027-02-10T23:59:59Z'), maxCasesPerDay: 1 });
    expect(await onDeadline.runOnce()).toEqual({ prepared: 1, filed: 1, failed: 0 });
    expect((await statusOf(w, lastDay)).filingId).toBeTruthy();

    const dayAfter = w.filer({ now: at('2027-02-11T00:00:00Z') });
    expect(await dayAfter.runOnce()).toEqual({ prepared: 0, filed: 0, failed: 0 });
    const expired = await statusOf(w, missed);
    expect([expired.status, expired.filingId, expired.details?.expired]).toEqual(['expired', null, expect.objectContaining({ on: '2027-02-11', reason: 'deadline_passed' })]);
    // Inside its pending period: still ready, in no case; detection's word stands without a date.
    expect([(await statusOf(w, pending)).status, (await statusOf(w, pending)).filingId]).toEqual(['ready', null]);
    expect((await statusOf(w, stale)).filingId).toBeNull();

    expect((await w.filer({ now: at('2027-02-11T23:59:59Z') }).runOnce()).prepared).toBe(0);
    expect(await w.filer({ now: at('2027-02-12T00:00:00Z') }).runOnce()).toEqual({ prepared: 1, filed: 1, failed: 0 });
    expect((await statusOf(w, pending)).filingId).toBeTruthy();
    expect((await statusOf(w, stale)).filingId).toBeNull();
    expect(await w.casesAtAmazon()).toHaveLength(2);
  });

  it('expires a claim still waiting for the seller (a fee claim never measured) or held, once its deadline has passed', async () => {
    const w = await filingWorld();
    const user = 'seller_waiting';
    const fee = await readyClaim(w.db, user, { deadline: '2027-02-10', type: 'fee_overcharge' });
    const held = await readyClaim(w.db, user, { deadline: '2027-02-10', type: 'refund_not_returned' });
    const later = await readyClaim(w.db, user, { deadline: '2027-02-11', type: 'fee_overcharge' });
    const hold = { code: 'needs_measurements', reason: 'measure it' };
    await w.db.update(claims).set({ status: 'prompted' }).where(inArray(claims.id, [fee, later]));
    await w.db.update(claims).set({ status: 'held' }).where(eq(claims.id, held));
    for (const id of [fee, held, later]) await setDetails(w, id, { hold });
    const prompt = await openPrompt(w.db, { userId: user, claimId: fee, asks: [{ need: 'measure', message: 'measure it' }] });
    const laterPrompt = await openPrompt(w.db, { userId: user, claimId: later, asks: [{ need: 'measure', message: 'measure it' }] });
    const promptStatus = async (id: string) => (await w.db.select().from(prompts).where(eq(prompts.id, id)))[0]?.status;

    // On the deadline they still wait; the day after, the two whose deadline passed expire.
    await w.filer({ now: at('2027-02-10T23:59:59Z') }).runOnce();
    expect([(await statusOf(w, fee)).status, (await statusOf(w, held)).status]).toEqual(['prompted', 'held']);
    await w.filer({ now: at('2027-02-11T00:00:00Z') }).runOnce();
    const expired = await statusOf(w, fee);
    expect([expired.status, expired.filingId, expired.details?.expired]).toEqual(['expired', null, expect.objectContaining({ on: '2027-02-11', reason: 'deadline_passed' })]);
    expect((await statusOf(w, held)).status).toBe('expired');
    expect(await promptStatus(prompt)).toBe('superseded');
    expect([(await statusOf(w, later)).status, await promptStatus(laterPrompt)]).toEqual(['prompted', 'open']);
    // No longer listed as held back from filing.
    const list = await heldClaims(w.db, { userId: user, limit: 10 });
    expect(list.map((c) => c.claim_id)).toEqual([later]);
    expect(await w.casesAtAmazon()).toHaveLength(0);
  });

  it('judges the window again in the intent’s own transaction, on the filing’s day', async () => {
    const w = await filingWorld();
    const user = 'seller_intent';
    const claim = await readyClaim(w.db, user, { deadline: '2027-02-10' });
    const intent = (day: string, ids: string[]) => ({ id: filingId(user, ids), userId: user, channel: 'simulator' as const, status: 'prepared' as const, claimIds: ids, subject: 's', body: 'b', attachments: [], filedOn: day });
    const pending = await readyClaim(w.db, user, { deadline: '2027-04-01' });
    await setDetails(w, pending, { detection_status: 'pending', eligible_from: '2027-02-12' });

    // Planned before midnight, written after it: no case, the claim expires, nothing else is taken.
    expect(await writeIntent(w.db, intent('2027-02-11', [claim, pending]), 10)).toBe(false);
    expect((await statusOf(w, claim)).status).toBe('expired');
    expect((await statusOf(w, pending)).filingId).toBeNull();
    expect(await writeIntent(w.db, intent('2027-02-11', [pending]), 10)).toBe(false);
    expect((await statusOf(w, pending)).status).toBe('ready');
    expect(await writeIntent(w.db, intent('2027-02-12', [pending]), 10)).toBe(true);
    expect((await statusOf(w, pending)).filingId).toBe(filingId(user, [pending]));
    expect(await w.db.select().from(filings).where(eq(filings.userId, user))).toHaveLength(1);
  });
});

describe('FILING_MIN_APPROVAL: a claim type Amazon mostly rejects lately is held', () => {
  const policy = { minApproval: 0.2, windowDays: 90, minDecisions: 5 };
  const history = (w: World, type: string, outcomes: Array<['approved' | 'rejected', string]>) =>
    w.db.insert(learningHistory).values(
      outcomes.map(([outcome, when], i) => ({ claimType: type, profile: 'none', claimId: `h-${type}-${i}-${when}`, caseId: `C-${i}`, outcome, approvedAfter: 0, rejectedAfter: 0, at: new Date(when) })),
    );

  it('holds the type’s ready claims with the reason, files the others, lets a person release one, and files the rest once the rate recovers', async () => {
    const w = await filingWorld();
    const user = 'seller_rate';
    const token = await w.t.sellerToken(user);
    const held = await Promise.all([1, 2].map(() => readyClaim(w.db, user, { type: 'refund_not_returned', orderId: `111-${Math.random()}` })));
    const other = await readyClaim(w.db, user, { type: 'lost_warehouse' });
    // 1 of 8 in the window; older rejections do not count; another type's do not either.
    await history(w, 'refund_not_returned', [['approved', '2027-01-20T00:00:00Z'], ...Array.from({ length: 7 }, () => ['rejected', '2027-01-25T00:00:00Z'] as ['rejected', string]), ['approved', '2026-10-01T00:00:00Z']]);
    await history(w, 'lost_warehouse', Array.from({ length: 9 }, () => ['rejected', '2026-10-01T00:00:00Z'] as ['rejected', string]));
    const filer = w.filer({ approval: policy, now: at('2027-02-01T12:00:00Z') });

    const first = await filer.runOnce();
    expect(first).toEqual({ prepared: 1, filed: 1, failed: 0 });
    expect((await statusOf(w, other)).filingId).toBeTruthy();
    const heldRows = await w.db.select().from(claims).where(inArray(claims.id, held));
    expect(heldRows.map((c) => [c.status, c.filingId])).toEqual([['held', null], ['held', null]]);
    const hold = heldRows[0]?.details?.hold as { code: string; reason: string };
    expect(hold.code).toBe('low_approval');
    expect(hold.reason).toMatch(/^Amazon approved 1 of 8 refund_not_returned claims in the last 90 days \(12%\); Clario holds new ones below 20%/);
    const routed = await rows<{ payload: any }>(w.db, sql`SELECT payload FROM outbox WHERE type = 'claim.routed' AND payload->>'claim_id' = ${held[0]!}`);
    expect(routed.map((m) => [m.payload.from, m.payload.status, m.payload.reasons])).toEqual([['ready', 'held', [hold.reason]]]);
    // The claim page says why, and that Clario holds it.
    const page = await w.t.request(`/api/v1/claims/${held[0]}`, { token });
    expect(page.body.claim.waiting).toEqual({ on: 'clario', why: hold.reason });

    // Releasing: not another seller's claim, not one that is not held; the seller's own, audited.
    const other_seller = await w.t.sellerToken('someone_else');
    expect((await w.t.request(`/api/v1/claims/${held[0]}/release-hold`, { token: other_seller, body: {} })).status).toBe(404);
    expect((await w.t.request(`/api/v1/claims/${other}/release-hold`, { token, body: {} })).status).toBe(409);
    expect((await w.t.request(`/api/v1/claims/${held[0]}/release-hold`, { token, body: { note: 'x'.repeat(2001) } })).status).toBe(400);
    expect((await w.t.request(`/api/v1/claims/${held[0]}/release-hold`, { method: 'POST', token: null, body: {} })).status).toBe(401);
    const released = await w.t.request(`/api/v1/claims/${held[0]}/release-hold`, { token, body: { note: 'test the rate again' } });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ claim_id: held[0], status: 'ready', hold_released: [{ code: 'low_approval', reason: hold.reason, by: `seller:${user}`, note: 'test the rate again' }] });
    expect((await w.t.request(`/api/v1/claims/${held[0]}/release-hold`, { token, body: {} })).status).toBe(409);
    expect((await statusOf(w, held[0]!)).details?.hold).toBeUndefined();

    // The released claim is filed, and is not held again for the rate; the other stays held.
    expect(await w.filer({ approval: policy, now: at('2027-02-02T12:00:00Z') }).runOnce()).toEqual({ prepared: 1, filed: 1, failed: 0 });
    expect((await statusOf(w, held[0]!)).filingId).toBeTruthy();
    expect((await statusOf(w, held[1]!)).status).toBe('held');

    // Amazon approves enough lately (3 of 10: 30%): the held claim goes back to ready and is filed.
    await history(w, 'refund_not_returned', [['approved', '2027-02-01T00:00:00Z'], ['approved', '2027-02-01T00:00:00Z']]);
    expect(await w.filer({ approval: policy, now: at('2027-02-03T12:00:00Z') }).runOnce()).toEqual({ prepared: 1, filed: 1, failed: 0 });
    const back = await statusOf(w, held[1]!);
    expect([back.filingId !== null, back.details?.hold]).toEqual([true, undefined]);
  });

  it('does not hold below the minimum number of decisions, nor when FILING_MIN_APPROVAL is 0', async () => {
    const w = await filingWorld();
    const user = 'seller_few';
    const a = await readyClaim(w.db, user, { type: 'refund_not_returned', orderId: '111-1' });
    await history(w, 'refund_not_returned', Array.from({ length: 4 }, () => ['rejected', '2027-01-25T00:00:00Z'] as ['rejected', string]));
    expect((await w.filer({ approval: policy, now: at('2027-02-01T12:00:00Z') }).runOnce()).filed).toBe(1);
    expect((await statusOf(w, a)).filingId).toBeTruthy();
    const b = await readyClaim(w.db, user, { type: 'refund_not_returned', orderId: '111-2' });
    await history(w, 'refund_not_returned', [['rejected', '2027-01-26T00:00:00Z']]);
    expect((await w.filer({ approval: { ...policy, minApproval: 0 }, now: at('2027-02-01T12:00:00Z') }).runOnce()).filed).toBe(1);
    expect((await statusOf(w, b)).status).not.toBe('held');
  });
});
