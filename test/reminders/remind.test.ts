// The reminders loop against a real database: deadline, follow-up and reopen reminders written
// once each, with their `filing.reminder` message on the seller's WebSocket; two workers at once
// still send each once; and the HTTP list, dismissal and notification address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { rows } from '../../src/store/db.js';
import { filingReplies, filings } from '../../src/store/schema/filing-tables.js';
import { reminders } from '../../src/store/schema/reminder-tables.js';
import { ReminderMessage } from '../../src/workflow/messages.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { describeWithPostgres } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { openWs } from '../support/ws.js';
import { at, claim, filing, reminderLoop, rejection } from './support.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
});
afterAll(async () => {
  await t.close();
});
const db = () => t.clario.database.db;

describe('deadline reminders', () => {
  it('a claim not filed is reminded 7 and 2 days before its deadline, once each, on the WebSocket too', async () => {
    const user = 'seller_deadline';
    const socket = await openWs(`${t.url.replace('http', 'ws')}/ws?token=${await t.sellerToken(user)}`);
    const id = await claim(db(), user, { status: 'prompted', deadline: '2026-12-10' });
    let now = at('2026-12-02');
    const loop = reminderLoop(t, { at: () => now });
    expect((await loop.runOnce()).reminders).toEqual([]);
    now = at('2026-12-03');
    const week = await loop.runOnce();
    expect(week.reminders.map((r) => [r.kind, r.claimId, r.due])).toEqual([['deadline_7d', id, '2026-12-10']]);
    expect(week.reminders[0]?.message).toMatch(
      /^Claim for units lost in a fulfillment center, FNSKU X00MUG\d+ \(MSKU MUG-\d+\), 3 units, 37\.20 USD: Amazon accepts it until 2026-12-10, 7 days from now\. Answer its smart prompt so it can be filed in time\.$/,
    );
    now = at('2026-12-03', 15);
    expect((await loop.runOnce()).reminders).toEqual([]);
    now = at('2026-12-08');
    expect((await loop.runOnce()).reminders.map((r) => r.kind)).toEqual(['deadline_2d']);
    now = at('2026-12-10');
    expect((await loop.runOnce()).reminders).toEqual([]);

    await waitFor(() => socket.messages.filter((m) => m.type === 'filing.reminder').length === 2, 'both reminders on the WebSocket');
    const sent = socket.messages.filter((m) => m.type === 'filing.reminder');
    expect(sent.map((m) => [m.kind, m.claim_id, m.due])).toEqual([
      ['deadline_7d', id, '2026-12-10'],
      ['deadline_2d', id, '2026-12-10'],
    ]);
    for (const m of sent) expect(ReminderMessage.safeParse(m).success).toBe(true);
    socket.close();
  });

  it('a claim whose manual case is prepared is told to file it, and a filed or dismissed claim is not reminded', async () => {
    const user = 'seller_prepared';
    const ready = await claim(db(), user, { status: 'ready', deadline: '2026-12-05' });
    const prepared = await filing(db(), user, { claimIds: [ready], status: 'prepared' });
    await db().execute(sql`UPDATE claims SET filing_id = ${prepared} WHERE id = ${ready}`);
    await claim(db(), user, { status: 'filed', deadline: '2026-12-05' });
    await claim(db(), user, { status: 'dismissed', deadline: '2026-12-05' });
    const round = await reminderLoop(t, { at: () => at('2026-12-04') }).runOnce();
    expect(round.reminders.map((r) => [r.kind, r.claimId, r.filingId])).toEqual([['deadline_2d', ready, prepared]]);
    expect(round.reminders[0]?.message).toMatch(/until tomorrow, 2026-12-05\. Its case is prepared: file it in Seller Central \(File today\) and record the case id/);
  });
});

describe('follow-ups', () => {
  it('a filed case Amazon has not answered in FILING_FOLLOW_UP_DAYS gets one follow-up with a text in Amazon terms', async () => {
    const user = 'seller_followup';
    const a = await claim(db(), user, { status: 'filed', caseId: '17000000042' });
    const b = await claim(db(), user, { status: 'filed', caseId: '17000000042' });
    const filed = await filing(db(), user, { claimIds: [a, b], status: 'filed', caseId: '17000000042', filedAt: at('2026-11-01') });
    // Decided: answered, nothing to follow up.
    const c = await claim(db(), user, { status: 'rejected', caseId: '17000000043' });
    await filing(db(), user, { claimIds: [c], status: 'rejected', caseId: '17000000043', filedAt: at('2026-11-01') });

    expect((await reminderLoop(t, { at: () => at('2026-11-15', 8) }).runOnce()).reminders).toEqual([]);
    const round = await reminderLoop(t, { at: () => at('2026-11-15', 10) }).runOnce();
    expect(round.reminders.map((r) => [r.kind, r.filingId, r.claimId])).toEqual([['follow_up', filed, null]]);
    const r = round.reminders[0]!;
    expect(r.message).toBe('Amazon has not answered case 17000000042 (opened November 1, 2026) in 14 days: post the follow-up below on the case in Seller Central (Case Log).');
    expect(r.text).toContain('On November 1, 2026 I opened case 17000000042 asking for reimbursement of:');
    expect(r.text).toMatch(/- FNSKU X00MUG\d+ \(MSKU MUG-\d+\): 3 units reported lost at PHX7 on 2026-10-02, Transaction Item ID TI\d+000\. .* Amount requested: 37\.20 USD\./);
    expect(r.text).toContain('Total requested: 74.40 USD.');
    expect(r.text).toMatch(/let me know where it stands/);
    // Clario's internals are not Amazon's business.
    expect(r.text).not.toMatch(/clm_|GET_LEDGER|line \d|Clario/);
    // The case shows it was flagged, as GET /api/v1/filings/:id always did.
    const [row] = await db().select().from(filings).where(eq(filings.id, filed));
    expect(row?.followUpAt?.toISOString()).toBe(at('2026-11-15', 10).toISOString());
    expect(row?.followUpReason).toBe(r.message);
    expect((await reminderLoop(t, { at: () => at('2026-11-20') }).runOnce()).reminders).toEqual([]);
  });

  it('not when Amazon replied on the case since it was filed (a reply pasted in Clario)', async () => {
    const user = 'seller_replied';
    const a = await claim(db(), user, { status: 'filed', caseId: '17000000044' });
    const filed = await filing(db(), user, { claimIds: [a], status: 'filed', caseId: '17000000044', filedAt: at('2026-11-01') });
    await db().insert(filingReplies).values({ id: 'rpl_test_44', filingId: filed, userId: user, caseId: '17000000044', text: 'We are looking into it.', textHash: 'h44', outcome: 'unclear', reading: {}, effects: [], receivedAt: at('2026-11-05') });
    expect((await reminderLoop(t, { at: () => at('2026-11-20') }).runOnce()).reminders).toEqual([]);
  });
});

describe('reopening a rejected case', () => {
  it('nudges after REMINDER_REOPEN_NUDGE_DAYS while the document is missing, with the reopening text', async () => {
    const user = 'seller_reopen';
    const id = await claim(db(), user, { status: 'prompted', caseId: '17000000050', deadline: '2027-03-01' });
    const rejected = await filing(db(), user, { claimIds: [id], status: 'rejected', caseId: '17000000050', filedAt: at('2026-10-01') });
    await rejection(db(), { userId: user, claimId: id, caseId: '17000000050', at: at('2026-11-01') });
    expect((await reminderLoop(t, { at: () => at('2026-11-03') }).runOnce()).reminders).toEqual([]);
    const round = await reminderLoop(t, { at: () => at('2026-11-04') }).runOnce();
    expect(round.reminders.map((r) => [r.kind, r.claimId, r.filingId, r.due])).toEqual([['reopen', id, rejected, '2027-03-01']]);
    const r = round.reminders[0]!;
    expect(r.message).toBe(
      'Amazon needs the supplier invoice for these units on case 17000000050: upload it in Clario (Smart prompts), then reply on the case in Seller Central (reopen it if Amazon closed it) with the text below.',
    );
    expect(r.text).toContain('About case 17000000050: you asked for proof of ownership. I have attached the supplier invoice for these units, for:');
    expect(r.text).toContain('Please reopen the case if it is closed, review it with this document and reimburse the units.');
    expect(r.text).not.toMatch(/clm_|GET_LEDGER/);
    expect((await reminderLoop(t, { at: () => at('2026-11-10') }).runOnce()).reminders).toEqual([]);
  });

  it('at once when the document is in, and not for a rejection that closed the claim', async () => {
    const user = 'seller_reopen_ready';
    const id = await claim(db(), user, { status: 'ready', caseId: '17000000060', deadline: '2027-03-01' });
    await rejection(db(), { userId: user, claimId: id, caseId: '17000000060', at: at('2026-11-01') });
    const closed = await claim(db(), user, { status: 'rejected', caseId: '17000000061', deadline: '2027-03-01' });
    await rejection(db(), { userId: user, claimId: closed, caseId: '17000000061', at: at('2026-10-01'), action: 'closed', reasonCode: 'already_reimbursed' });
    const round = await reminderLoop(t, { at: () => at('2026-11-01', 12) }).runOnce();
    expect(round.reminders.map((r) => [r.kind, r.claimId])).toEqual([['reopen', id]]);
    expect(round.reminders[0]?.message).toBe(
      'You sent the supplier invoice for these units for Amazon case 17000000060: reply on the case in Seller Central (reopen it if Amazon closed it) with the text below, and attach it.',
    );
  });

  it('a reopening answered again on the same case is reminded again, naming the reopening', async () => {
    const user = 'seller_reopen_round';
    const id = await claim(db(), user, { status: 'prompted', caseId: '17000000070', deadline: '2027-03-01' });
    await filing(db(), user, { claimIds: [id], status: 'rejected', caseId: '17000000070', filedAt: at('2026-10-01') });
    await rejection(db(), { userId: user, claimId: id, caseId: '17000000070', at: at('2026-10-10') });
    expect((await reminderLoop(t, { at: () => at('2026-10-20') }).runOnce()).reminders.map((r) => r.subject)).toEqual([`${id}@17000000070`]);
    const reopening = await filing(db(), user, { claimIds: [id], status: 'filed', caseId: '17000000070', filedAt: at('2026-10-25'), reopensCaseId: '17000000070' });
    await rejection(db(), { userId: user, claimId: id, caseId: '17000000070', at: at('2026-11-01'), round: reopening, reasonCode: 'insufficient_information', rawText: 'Please provide the proof of delivery.' });
    const again = await reminderLoop(t, { at: () => at('2026-11-05') }).runOnce();
    expect(again.reminders.map((r) => [r.kind, r.subject, r.filingId])).toEqual([['reopen', `${id}@17000000070#${reopening}`, reopening]]);
    expect(again.reminders[0]?.text).toContain('you asked for more information');
  });
});

describeWithPostgres('two workers', () => {
  it('each reminder is written and published once when two loops run the same round', async () => {
    const pg = await startTestClario({ capabilities: testCapabilities(), store: 'postgres' });
    try {
      const user = 'seller_two';
      const ids = await Promise.all(Array.from({ length: 6 }, () => claim(pg.clario.database.db, user, { status: 'held', deadline: '2026-12-08' })));
      const now = () => at('2026-12-03');
      const [a, b] = [reminderLoop(pg, { at: now }), reminderLoop(pg, { at: now })];
      const rounds = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
      expect(rounds.flatMap((r) => r.reminders.map((x) => x.claimId)).sort()).toEqual([...ids].sort());
      const stored = await pg.clario.database.db.select().from(reminders).where(eq(reminders.userId, user));
      expect(stored.map((r) => r.kind)).toEqual(Array(6).fill('deadline_7d'));
      const published = await rows<{ n: number }>(pg.clario.database.db, sql`SELECT count(*)::int AS n FROM outbox WHERE user_id = ${user} AND type = 'filing.reminder'`);
      expect(published[0]?.n).toBe(6);
    } finally {
      await pg.close();
    }
  });
});

describe('GET /api/v1/reminders and dismissing one', () => {
  it('a seller lists and dismisses their own; the service sees everyone\'s; not-yours is not found', async () => {
    const alice = 'seller_list_alice';
    const bob = 'seller_list_bob';
    await claim(db(), alice, { deadline: '2027-01-05' });
    await claim(db(), alice, { deadline: '2027-01-06' });
    await claim(db(), bob, { deadline: '2027-01-05' });
    // Two rounds: the later reminder is listed first.
    await reminderLoop(t, { at: () => at('2026-12-29') }).runOnce();
    await reminderLoop(t, { at: () => at('2026-12-30') }).runOnce();
    const aliceToken = await t.sellerToken(alice);
    const own = await t.request('/api/v1/reminders', { token: aliceToken });
    expect(own.status).toBe(200);
    expect(own.body.reminders.map((r: any) => [r.user_id, r.kind, r.due])).toEqual([
      [alice, 'deadline_7d', '2027-01-06'],
      [alice, 'deadline_7d', '2027-01-05'],
    ]);
    expect(Object.keys(own.body.reminders[0]).sort()).toEqual(['claim_id', 'created_at', 'dismissed_at', 'due', 'filing_id', 'id', 'kind', 'message', 'text', 'user_id']);
    expect((await t.request(`/api/v1/reminders?user_id=${bob}`, { token: aliceToken })).status).toBe(403);
    const bobs = await t.request(`/api/v1/reminders?user_id=${bob}`);
    expect(bobs.body.reminders.map((r: any) => r.user_id)).toEqual([bob]);
    const everyone = await t.request('/api/v1/reminders?limit=500');
    expect(everyone.body.reminders.some((r: any) => r.user_id === bob) && everyone.body.reminders.some((r: any) => r.user_id === alice)).toBe(true);

    const first = own.body.reminders[0].id;
    expect((await t.request(`/api/v1/reminders/${bobs.body.reminders[0].id}/dismiss`, { method: 'POST', token: aliceToken })).status).toBe(404);
    expect((await t.request('/api/v1/reminders/rem_nope/dismiss', { method: 'POST', token: aliceToken })).status).toBe(404);
    const dismissed = await t.request(`/api/v1/reminders/${first}/dismiss`, { method: 'POST', token: aliceToken });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.reminder.dismissed_at).toEqual(expect.any(String));
    const open = await t.request('/api/v1/reminders?open=true', { token: aliceToken });
    expect(open.body.reminders.map((r: any) => r.due)).toEqual(['2027-01-05']);
    expect((await t.request('/api/v1/reminders?open=maybe', { token: aliceToken })).status).toBe(400);
    expect((await t.request('/api/v1/reminders', { token: null })).status).toBe(401);
  });

  it('a seller sets where reminders are e-mailed; a bad address is refused with a 400', async () => {
    const seller = 'seller_notify';
    const token = await t.sellerToken(seller);
    const path = `/api/v1/sellers/${seller}/notifications`;
    expect((await t.request(path, { token })).body).toEqual({ user_id: seller, email: null, verified: false });
    const bad = await t.request(path, { method: 'PUT', token, body: { email: 'not an address' } });
    expect(bad.status).toBe(400);
    // The seller's own address waits for its owner's confirmation (test/reminders/mail.test.ts).
    expect((await t.request(path, { method: 'PUT', token, body: { email: 'me@example.com' } })).body).toEqual({ user_id: seller, email: 'me@example.com', verified: false });
    expect((await t.request(path, { token })).body.email).toBe('me@example.com');
    expect((await t.request(`/api/v1/sellers/someone_else/notifications`, { method: 'PUT', token, body: { email: 'x@example.com' } })).status).toBe(403);
    expect((await t.request(path, { method: 'PUT', body: { email: null } })).body).toEqual({ user_id: seller, email: null, verified: false });
  });
});
