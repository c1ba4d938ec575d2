// Who is who: a seller's identity comes from signing in with Login with Amazon, never from the
// consent callback's URL. Editing `selling_partner_id`, opening someone else's callback link, or
// claiming a selling partner another account linked gets nobody into another account. The API
// process runs alone (no worker): connecting accepts phase 1, which nobody needs to run here.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/store/db.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { describeWithPostgres } from '../support/infra.js';
import { SellerBrowser } from '../support/seller-browser.js';

const DEMO = 'A1CLARIODEMO01';

describeWithPostgres('who is who at sign-in and connect', () => {
  let t: TestClario;
  beforeAll(async () => {
    t = await startTestClario({ store: 'postgres', role: 'api', capabilities: undefined });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const connections = () =>
    rows<{ user_id: string; selling_partner_id: string; refresh_token: string }>(t.clario.database.db, sql`SELECT user_id, selling_partner_id, refresh_token FROM amazon_connections ORDER BY user_id`);
  const browser = () => new SellerBrowser(t.url);

  let alice: SellerBrowser;
  let aliceId = '';

  it('gives a returning seller their own account, and another Amazon account another one', async () => {
    alice = browser();
    aliceId = await alice.signIn('alice@sellers.example');
    expect(aliceId).toMatch(/^seller_[0-9a-f]{24}$/);
    const again = browser();
    expect(await again.signIn('alice@sellers.example')).toBe(aliceId);
    expect(await browser().signIn('bob@sellers.example')).not.toBe(aliceId);
    // Only the Amazon account id is kept about the person.
    const stored = await rows<Record<string, unknown>>(t.clario.database.db, sql`SELECT * FROM accounts WHERE user_id = ${aliceId}`);
    expect(Object.keys(stored[0] ?? {}).sort()).toEqual(['created_at', 'last_sign_in_at', 'lwa_user_id', 'user_id']);
    expect(JSON.stringify(stored)).not.toMatch(/alice@/);
  });

  it("never turns an edited selling_partner_id into another account's session or grant", async () => {
    await alice.connect();
    const before = await connections();
    expect(before).toEqual([expect.objectContaining({ user_id: aliceId, selling_partner_id: DEMO })]);

    const mallory = browser();
    const malloryId = await mallory.signIn('mallory@sellers.example');
    // Mallory approves a consent and names alice's selling partner in the callback.
    const taken = await mallory.fetch(await mallory.consentCallback(DEMO));
    expect(taken.status).toBe(409);
    expect(taken.headers.get('content-type')).toMatch(/text\/html/);
    const page = await taken.text();
    expect(page).toMatch(/already connected to another Clario account/);
    expect(page).toMatch(/contact Clario support/);
    expect(page).toMatch(/sign in with the Amazon account that connected it/);
    expect(taken.headers.getSetCookie().some((c) => c.startsWith('clario_session='))).toBe(false);
    expect(await mallory.userId()).toBe(malloryId);
    expect(await connections()).toEqual(before); // alice's grant untouched, nothing of mallory's stored
    const events = await t.request('/api/v1/ops/security-events');
    expect(events.status).toBe(200);
    expect(events.body.events[0]).toMatchObject({ kind: 'partner_link_refused', user_id: malloryId, selling_partner_id: DEMO, detail: { owner_user_id: aliceId } });
    expect((await t.request('/api/v1/ops/security-events', { token: await t.sellerToken(malloryId) })).status).toBe(403);

    // Named a partner nobody linked: at most mislabels mallory's own grant, inside mallory's account.
    const relabelled = await mallory.fetch(await mallory.consentCallback(DEMO).then((u) => u.replace(`selling_partner_id=${DEMO}`, 'selling_partner_id=A9EDITED0001')));
    expect(relabelled.status).toBe(303);
    expect(await mallory.userId()).toBe(malloryId);
    const after = await connections();
    expect(after.find((c) => c.user_id === aliceId)).toEqual(before[0]);
    expect(after.find((c) => c.selling_partner_id === 'A9EDITED0001')?.user_id).toBe(malloryId);
    expect(after).toHaveLength(2);
  });

  it('refuses a callback opened in another browser or by nobody signed in, and stores nothing', async () => {
    const carol = browser();
    const carolId = await carol.signIn('carol@sellers.example');
    const link = (await carol.consentCallback()).replace(`selling_partner_id=${DEMO}`, 'selling_partner_id=A7CAROL00001');
    const stored = async () => (await connections()).filter((c) => c.selling_partner_id === 'A7CAROL00001');

    const nobody = await fetch(link, { redirect: 'manual' });
    expect(nobody.status).toBe(401);
    expect(nobody.headers.getSetCookie()).toEqual([]);

    const dave = browser();
    await dave.signIn('dave@sellers.example');
    const other = await dave.fetch(link);
    expect(other.status).toBe(400);
    expect(((await other.json()) as any).error.message).toMatch(/another browser/);

    // Carol herself, signed in on another browser: still not the browser that started it.
    const carolElsewhere = browser();
    expect(await carolElsewhere.signIn('carol@sellers.example')).toBe(carolId);
    expect((await carolElsewhere.fetch(link)).status).toBe(400);

    // Carol's session cookie alone, without the browser's binding cookie.
    const stolenCookie = await fetch(link, { redirect: 'manual', headers: { cookie: `clario_session=${carol.cookies.get('clario_session') ?? ''}` } });
    expect(stolenCookie.status).toBe(400);
    expect(await stored()).toEqual([]);

    // The browser that started it completes it: the refusals did not spend its attempt.
    expect((await carol.fetch(link)).status).toBe(303);
    expect((await stored()).map((c) => c.user_id)).toEqual([carolId]);
  });

  it("refuses a sign-in callback opened in another browser: nobody is signed in to someone else's account", async () => {
    const mallory = browser();
    const link = await mallory.signInCallback('mallory@sellers.example');
    const victim = browser();
    const opened = await victim.fetch(link);
    expect(opened.status).toBe(400);
    expect(victim.cookies.has('clario_session')).toBe(false);
    // The state binding also holds for the service token's browser flows: a callback without the cookie.
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(400);
    expect((await mallory.fetch(link)).status).toBe(303);
  });

  it('answers a cancelled sign-in with a page, and refuses /connect to the service token', async () => {
    const b = browser();
    const start = await b.fetch('/signin/amazon');
    const back = new URL(start.headers.get('location') ?? '');
    const denied = await fetch(new URL('/ap/oa', back), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...Object.fromEntries(back.searchParams), decision: 'deny', email: 'x@y.example' }),
    });
    const cancelled = new URL(denied.headers.get('location') ?? '');
    expect(cancelled.searchParams.get('error')).toBe('access_denied');
    const page = await b.fetch(cancelled);
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(/did not sign you in/);
    // Anything but a browser gets the refusal in the API's error format.
    const plain = await fetch(cancelled, { redirect: 'manual' });
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/did not sign you in \(access_denied\)/) });
    expect((await t.request('/connect')).status).toBe(403);
  });
});
