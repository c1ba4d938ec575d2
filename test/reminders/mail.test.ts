// Reminder e-mail against a real SMTP server (smtp-server on 127.0.0.1, a random port) that asks
// for the credentials in SMTP_URL: each reminder is mailed once, to the seller's address with the
// operator's in blind copy; a server that refuses a message or cannot be reached loses nothing
// (the next round sends it) and holds up no other seller; the password is never logged.
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { smtpMailer, type Mailer } from '../../src/reminders/send-mail.js';
import { createSecretBox, parseKeys } from '../../src/security/secret-box.js';
import { notificationAddresses } from '../../src/store/schema/reminder-tables.js';
import { reminders } from '../../src/store/schema/reminder-tables.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { BROWSER_ACCEPT } from '../support/seller-browser.js';
import { at, claim, filing, reminderLoop } from './support.js';

const PASSWORD = 'p@ss w0rd:/?';
const OPERATOR = 'ops@clario.test';

interface Received {
  readonly from: string;
  readonly to: string[];
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * An SMTP server that wants `remind` / PASSWORD and keeps what it accepts. `refuse` names
 * recipients it refuses (550, the others still get the message); `later` names recipients whose
 * whole message it answers "try again later" (451).
 */
async function smtp(o: { refuse?: (address: string) => boolean; later?: (address: string) => boolean } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'remind' && auth.password === PASSWORD) cb(null, { user: 'remind' });
      else cb(new Error('535 authentication failed'));
    },
    onRcptTo(address, _session, cb) {
      if (o.refuse?.(address.address)) cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (session.envelope.rcptTo.some((r) => o.later?.(r.address))) {
          cb(Object.assign(new Error('try again later'), { responseCode: 451 }));
          return;
        }
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), ...parse(Buffer.concat(chunks).toString('utf8')) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Headers (unfolded, lower-case names) and the body, quoted-printable decoded. */
function parse(raw: string): { headers: Record<string, string>; body: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = rest.join('\n\n');
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) {
    body = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  return { headers, body: body.replace(/\r\n/g, '\n') };
}

const opened: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

async function world(port: number, logs?: string[]) {
  const t: TestClario = await startTestClario({
    capabilities: testCapabilities(),
    env: { SMTP_URL: `smtp://remind:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`, REMINDER_EMAIL_TO: OPERATOR },
    ...(logs ? { logs } : {}),
  });
  opened.push(() => t.close());
  const e = t.clario.config.reminders.email;
  const mailerTo = (p: number): Mailer => {
    const m = smtpMailer({ smtp: { ...e.smtp!, port: p }, from: e.from, timeoutMs: 10_000 });
    opened.push(() => m.close());
    return m;
  };
  const box = createSecretBox(parseKeys(t.clario.secrets.encryptionKeys));
  const loop = (mailer: Mailer, when: () => Date) =>
    reminderLoop(t, { at: when, mail: { mailer, operatorTo: e.operatorTo, publicUrl: () => 'https://clario.example.com/', openToken: (sealed, context) => box.open(sealed, context) } });
  return { t, mailerTo, loop, db: t.clario.database.db };
}

describe('reminder e-mail', () => {
  it("is sent once per reminder: to the seller's address, the operator in blind copy, with the text to paste and the dashboard link", async () => {
    const server = await smtp();
    opened.push(server.close);
    const w = await world(server.port);
    const alice = 'seller_mail_alice';
    const bob = 'seller_mail_bob';
    // The operator (the service) sets it: confirmed at once (a seller's own needs its owner's confirmation, below).
    expect((await w.t.request(`/api/v1/sellers/${alice}/notifications`, { method: 'PUT', body: { email: 'alice@seller.test' } })).body).toEqual({ user_id: alice, email: 'alice@seller.test', verified: true });
    const due = await claim(w.db, alice, { status: 'prompted', deadline: '2026-12-10' });
    const a = await claim(w.db, bob, { status: 'filed', caseId: '17000000077' });
    const bobsCase = await filing(w.db, bob, { claimIds: [a], status: 'filed', caseId: '17000000077', filedAt: at('2026-11-19') });

    const loop = w.loop(w.mailerTo(server.port), () => at('2026-12-03'));
    const first = await loop.runOnce();
    expect(first.mail).toEqual({ sent: 2, failed: 0 });
    expect(server.received).toHaveLength(2);

    const toAlice = server.received.find((m) => m.to.includes('alice@seller.test'))!;
    expect(toAlice.to).toEqual(['alice@seller.test', OPERATOR]);
    expect(toAlice.headers.to).toBe('alice@seller.test');
    expect(toAlice.headers.bcc).toBeUndefined();
    expect(toAlice.from).toBe('clario@127.0.0.1');
    expect(toAlice.headers.subject).toBe('Clario: Claim deadline in 7 days: units lost in a fulfillment center, 37.20 USD');
    const [reminder] = await w.db.select().from(reminders).where(eq(reminders.claimId, due));
    expect(toAlice.headers['message-id']).toBe(`<${reminder!.id}@clario.reminders>`);
    expect(toAlice.body).toContain(reminder!.message);
    expect(toAlice.body).toContain(`Open it in Clario: https://clario.example.com/claims/${due}`);
    expect(toAlice.body).toContain('Act by: 2026-12-10');

    // Bob set no address: the operator gets it.
    const followUp = server.received.find((m) => m.to.includes(OPERATOR) && !m.to.includes('alice@seller.test'))!;
    expect(followUp.to).toEqual([OPERATOR]);
    expect(followUp.headers.subject).toBe('Clario: Follow up on Amazon case 17000000077');
    expect(followUp.body).toContain('Text to paste on the case in Seller Central:');
    expect(followUp.body).toContain('On November 19, 2026 I opened case 17000000077 asking for reimbursement of:');
    expect(followUp.body).toContain(`Open it in Clario: https://clario.example.com/file-today/${bobsCase}`);

    // A second round, and a second worker: nothing more.
    expect((await loop.runOnce()).mail).toEqual({ sent: 0, failed: 0 });
    expect((await w.loop(w.mailerTo(server.port), () => at('2026-12-03', 12)).runOnce()).mail).toEqual({ sent: 0, failed: 0 });
    expect(server.received).toHaveLength(2);
    const stored = await w.db.select().from(reminders);
    expect(stored.map((r) => [r.emailAttempts, r.emailedAt !== null, r.emailError])).toEqual([
      [1, true, null],
      [1, true, null],
    ]);
  });

  it('a refused message is retried next round without holding up other sellers; an unreachable server loses nothing; the password is never logged', async () => {
    let refuseAlice = true;
    const server = await smtp({ later: (address) => refuseAlice && address === 'alice@seller.test', refuse: (address) => address === 'dave@nowhere.test' });
    opened.push(server.close);
    const logs: string[] = [];
    const w = await world(server.port, logs);
    const alice = 'seller_retry_alice';
    await w.t.request(`/api/v1/sellers/${alice}/notifications`, { method: 'PUT', body: { email: 'alice@seller.test' } });
    await claim(w.db, alice, { status: 'held', deadline: '2026-12-10' });
    await claim(w.db, 'seller_retry_bob', { status: 'held', deadline: '2026-12-10' });
    await claim(w.db, 'seller_retry_carol', { status: 'held', deadline: '2026-12-10' });
    const dave = 'seller_retry_dave';
    await w.t.request(`/api/v1/sellers/${dave}/notifications`, { method: 'PUT', body: { email: 'dave@nowhere.test' } });
    await claim(w.db, dave, { status: 'held', deadline: '2026-12-10' });

    // Nobody listens on this port: the round stops at the first message and every reminder stays to send.
    const closed = await smtp();
    await closed.close();
    const down = await w.loop(w.mailerTo(closed.port), () => at('2026-12-03')).runOnce();
    expect(down.reminders).toHaveLength(4);
    expect(down.mail).toEqual({ sent: 0, failed: 1 });
    const afterDown = await w.db.select().from(reminders);
    expect(afterDown.every((r) => r.emailedAt === null && r.emailClaimedAt === null)).toBe(true);
    expect(afterDown.map((r) => r.emailAttempts).sort()).toEqual([0, 0, 0, 1]);

    // The server puts Alice's message off (451): the others go out all the same. It refuses
    // Dave's address for good (550) but takes the operator's copy: that one is sent, and noted.
    const loop = w.loop(w.mailerTo(server.port), () => at('2026-12-03', 12));
    expect((await loop.runOnce()).mail).toEqual({ sent: 3, failed: 1 });
    expect(server.received.map((m) => m.to).sort()).toEqual([[OPERATOR], [OPERATOR], [OPERATOR]]);
    const [aliceReminder] = await w.db.select().from(reminders).where(eq(reminders.userId, alice));
    expect(aliceReminder?.emailedAt).toBeNull();
    expect(aliceReminder?.emailError).toMatch(/451/);
    const [daveReminder] = await w.db.select().from(reminders).where(eq(reminders.userId, dave));
    expect(daveReminder?.emailedAt).not.toBeNull();
    expect(daveReminder?.emailError).toBe('refused for dave@nowhere.test');

    // Next round, the server takes it: sent once, and nothing else again.
    refuseAlice = false;
    expect((await loop.runOnce()).mail).toEqual({ sent: 1, failed: 0 });
    expect((await loop.runOnce()).mail).toEqual({ sent: 0, failed: 0 });
    expect(server.received.map((m) => m.to)).toHaveLength(4);
    expect(server.received.at(-1)?.to).toEqual(['alice@seller.test', OPERATOR]);

    const failures = logs.filter((l) => l.includes('e-mailing a reminder failed'));
    expect(failures.length).toBe(2);
    expect(logs.join('\n')).not.toContain(PASSWORD);
    expect(logs.join('\n')).not.toContain(encodeURIComponent(PASSWORD));
  });

  it("a seller's own address gets one confirmation link and nothing else until its owner presses Confirm; a stranger's mailbox cannot be flooded", async () => {
    const server = await smtp();
    opened.push(server.close);
    const logs: string[] = [];
    const w = await world(server.port, logs);
    const erin = 'seller_confirm_erin';
    const token = await w.t.sellerToken(erin);
    const put = (email: string | null) => w.t.request(`/api/v1/sellers/${erin}/notifications`, { method: 'PUT', token, body: { email } });
    expect((await put('victim@stranger.test')).body).toEqual({ user_id: erin, email: 'victim@stranger.test', verified: false });
    await claim(w.db, erin, { status: 'held', deadline: '2026-12-10' });

    // The round mails the link to the address and the reminder to the operator alone.
    const loop = w.loop(w.mailerTo(server.port), () => at('2026-12-03'));
    const first = await loop.runOnce();
    expect(first.confirmations).toEqual({ sent: 1, failed: 0 });
    expect(first.mail).toEqual({ sent: 1, failed: 0 });
    expect(server.received.map((m) => m.to)).toEqual([['victim@stranger.test'], [OPERATOR]]);
    const confirmation = server.received[0]!;
    expect(confirmation.headers.subject).toBe('Clario: confirm where your reminders go');
    expect(confirmation.body).toContain(`seller account ${erin}`);
    const link = /https:\/\/clario\.example\.com(\/api\/v1\/notifications\/confirm\?token=[A-Za-z0-9_%-]+)/.exec(confirmation.body)?.[1];
    expect(link).toBeDefined();
    const secret = decodeURIComponent(link!.split('token=')[1]!);
    // Neither the token nor its sealed copy is kept once mailed: only its hash.
    const [row] = await w.db.select().from(notificationAddresses).where(eq(notificationAddresses.userId, erin));
    expect(row?.confirmationSealed).toBeNull();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(logs.join('\n')).not.toContain(secret);

    // Setting it again at once mails no second link (a flood needs a new address each time, or 15 minutes).
    await put('victim@stranger.test');
    expect((await loop.runOnce()).confirmations).toEqual({ sent: 0, failed: 0 });
    expect(server.received).toHaveLength(2);

    // Opening the link (as a mail scanner does) confirms nothing; it shows a button.
    const page = await fetch(`${w.t.url}${link}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/api/v1/notifications/confirm">');
    // No script runs in it, no other site frames it, and its form posts only back to Clario.
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await w.t.request(`/api/v1/sellers/${erin}/notifications`, { token })).body.verified).toBe(false);
    // A made-up token, and no session, confirm nothing either.
    const forged = await fetch(`${w.t.url}/api/v1/notifications/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: BROWSER_ACCEPT }, body: `token=${'A'.repeat(43)}` });
    expect(forged.status).toBe(404);
    await forged.text();
    // A JSON caller is refused in the API's error format, not with the page.
    const forgedJson = await fetch(`${w.t.url}/api/v1/notifications/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'A'.repeat(43) }) });
    expect(forgedJson.status).toBe(404);
    expect(((await forgedJson.json()) as { error: { code: string } }).error.code).toBe('not_found');

    // Pressing Confirm (the form's own POST, no session needed) does; the link is then used up.
    const press = () => fetch(`${w.t.url}/api/v1/notifications/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: BROWSER_ACCEPT }, body: new URLSearchParams({ token: secret }).toString() });
    const confirmed = await press();
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('victim@stranger.test');
    expect((await w.t.request(`/api/v1/sellers/${erin}/notifications`, { token })).body).toEqual({ user_id: erin, email: 'victim@stranger.test', verified: true });
    const again = await press();
    expect(again.status).toBe(404);
    await again.text();

    // From now on the seller's reminders go to the address, with the operator in blind copy.
    await claim(w.db, erin, { status: 'held', deadline: '2026-12-11' });
    expect((await w.loop(w.mailerTo(server.port), () => at('2026-12-04')).runOnce()).mail).toEqual({ sent: 1, failed: 0 });
    expect(server.received.at(-1)?.to).toEqual(['victim@stranger.test', OPERATOR]);

    // Another address starts over: unconfirmed, and a new link.
    expect((await put('erin@seller.test')).body.verified).toBe(false);
    expect((await w.loop(w.mailerTo(server.port), () => at('2026-12-04', 10)).runOnce()).confirmations).toEqual({ sent: 1, failed: 0 });
    expect(server.received.at(-1)?.to).toEqual(['erin@seller.test']);
    // Confirmed by a JSON caller this time: it gets JSON back.
    const next = decodeURIComponent(/confirm\?token=([A-Za-z0-9_%-]+)/.exec(server.received.at(-1)?.body ?? '')?.[1] ?? '');
    const byJson = await fetch(`${w.t.url}/api/v1/notifications/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: next }) });
    expect(byJson.status).toBe(200);
    expect(await byJson.json()).toEqual({ confirmed: true, user_id: erin, email: 'erin@seller.test' });
  });
});
