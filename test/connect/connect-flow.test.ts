// A seller signs in and connects through the bundled Amazon simulator, exactly as a browser
// would: Login with Amazon, consent, callback, phase 1 syncs their reports, phase 2 finds claims.
// Secrets never show.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { sourceLines } from '../../src/proof/gather-proof.js';
import { rows } from '../../src/store/db.js';
import { SYNC_SOURCES } from '../../src/sync/sources.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { describeWithPostgres } from '../support/infra.js';
import { SellerBrowser } from '../support/seller-browser.js';
import { waitFor } from '../support/wait.js';

for (const store of ['pglite', 'postgres'] as const) {
  const describeIt = store === 'postgres' ? describeWithPostgres : describe;
  describeIt(`connecting a seller through the simulator (${store})`, () => {
  let t: TestClario;
  const logs: string[] = [];
  beforeAll(async () => {
    // The replayed consent below starts another sync, which waits on the simulator's report rate
    // limits (minutes, as on Amazon): startTestClario's shutdown bound of 0 hands it back at once
    // (draining at shutdown is test/workflow/shutdown.test.ts's subject).
    t = await startTestClario({ store, logs, env: { WORKFLOW_MAX_ATTEMPTS: '5', WORKFLOW_LEASE_MS: '30000' } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

    let browser: SellerBrowser;
    let userId = '';
    let cookie = '';

    it('signs in, connects, syncs the demo seller and finds claims, watched through the session cookie', async () => {
      browser = new SellerBrowser(t.url);
      // Not signed in: /connect sends the browser to sign in first.
      const early = await browser.fetch('/connect');
      expect(early.status).toBe(303);
      expect(early.headers.get('location')).toBe('/signin/amazon');
      const signedIn = await browser.fetch(await browser.signInCallback());
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('location')).toBe('/');
      const setCookies = signedIn.headers.getSetCookie().join('\n');
      expect(setCookies).toMatch(/clario_session=[^;]+;.*HttpOnly/i);
      expect(setCookies).toMatch(/SameSite=Lax/i);
      const session = (await (await browser.fetch('/api/v1/session')).json()) as any;
      userId = session.user_id;
      expect(userId).toMatch(/^seller_[0-9a-f]{24}$/);
      expect(session.role).toBe('seller');

      const callback = await browser.consentCallback();
      expect(callback.startsWith(`${t.url}/connect/callback?`)).toBe(true);
      const done = await browser.fetch(callback);
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe('/');
      cookie = `clario_session=${browser.cookies.get('clario_session') ?? ''}`;
      const [linked] = await rows<{ user_id: string }>(t.clario.database.db, sql`SELECT user_id FROM amazon_connections WHERE selling_partner_id = 'A1CLARIODEMO01'`);
      expect(linked?.user_id).toBe(userId);

      const status = async () => {
        const r = await fetch(`${t.url}/api/v1/workflow/status/${userId}`, { headers: { cookie } });
        const body = (await r.json()) as any;
        if (r.status !== 200) throw new Error(`status answered ${r.status}: ${JSON.stringify(body)}`);
        return body;
      };
      await waitFor(async () => (await status()).runs[0]?.phases[1]?.status === 'completed', 'sync and detection', 120_000);
      const s = await status();
      expect(s.runs[0].phases[0]).toMatchObject({ status: 'completed', progress: { sources_done: SYNC_SOURCES.length, sources_total: SYNC_SOURCES.length } });
      expect(s.claims.total).toBeGreaterThan(0);
      // Evidence matching and routing follow (test/evidence/pipeline.test.ts looks closer).
      await waitFor(async () => (await status()).runs[0]?.phases[3]?.status === 'completed', 'phases 3 and 4');

      // Through Amazon's wire formats and back: the stored claims are exactly what was planted.
      const stored = await rows<{ type: string; amount_minor: string | null; currency: string | null; quantity: number; deadline: string; details: any }>(
        t.clario.database.db,
        sql`SELECT type, amount_minor, currency, quantity, deadline::text AS deadline, details FROM claims WHERE user_id = ${userId}`,
      );
      const folder = join(t.env.CLARIO_DATA_DIR ?? '', 'simulator', 'A1CLARIODEMO01');
      const truth = readFileSync(join(folder, 'ground-truth.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const fingerprint = (c: { type: string; key: object; currency: string | null; quantity: number; amount: number | null; status: string; deadline: string }) =>
        JSON.stringify([c.type, Object.entries(c.key).sort(), c.currency, c.quantity, c.amount, c.status, c.deadline]);
      const found = stored.map((c) =>
        fingerprint({ type: c.type, key: c.details.key, currency: c.currency, quantity: c.quantity, amount: c.amount_minor === null ? null : Number(c.amount_minor), status: c.details.detection_status, deadline: c.deadline }),
      );
      // removal_lost_in_transit needs the seller's removal receipts, which this seller has not given
      // (test/sync/demo-seller-sync.test.ts gives them and checks those claims too).
      const [receipts] = await rows<{ n: number }>(t.clario.database.db, sql`SELECT count(*)::int AS n FROM sync_sources WHERE user_id = ${userId} AND source = 'removal-receipts.csv' AND status = 'done'`);
      const planted = truth.filter((g: any) => receipts?.n || g.type !== 'removal_lost_in_transit').map((g: any) => fingerprint({ type: g.type, key: g.key, currency: g.currency, quantity: g.quantity, amount: g.amount, status: g.status, deadline: g.deadline }));
      expect(found.sort()).toEqual(planted.sort());
      expect(stored[0]?.details.sources[0]).toMatchObject({ document_id: expect.any(String), line: expect.any(Number), seq: expect.any(Number) });
      // Every line a claim cites from Amazon's reports reads back by its seq, as its proof packet
      // shows it, and a report's line (.tsv) with its report's header, whichever window it came in.
      for (const c of stored) {
        const cited = await sourceLines(t.clario.database.db, { userId, details: c.details });
        expect(cited.filter((l) => l.documentId !== null && l.text === null)).toEqual([]);
        expect(cited.filter((l) => l.file.endsWith('.tsv') && l.header === null).map((l) => `${c.type} ${l.file}`)).toEqual([]);
      }

      // Detection again over the same data (the seed's sync/complete webhook): no claim twice.
      const again = await t.request('/api/v1/workflow/sync/complete', { body: { user_id: userId, sync_id: s.runs[0].sync_id, rerun: 1 } });
      expect(again.status).toBe(202);
      await waitFor(async () => (await t.clario.engine.findEvent(again.body.event_id))?.status === 'completed', 'detection to run again');
      const [count] = await rows<{ n: number }>(t.clario.database.db, sql`SELECT count(*)::int AS n FROM claims WHERE user_id = ${userId}`);
      expect(count?.n).toBe(stored.length);
    }, 180_000);

    it('refuses a replayed callback and a code used twice', async () => {
      const first = await browser.consentCallback();
      expect((await browser.fetch(first)).status).toBe(303);
      const replay = await browser.fetch(first);
      expect(replay.status).toBe(400);
      expect(((await replay.json()) as any).error.message).toMatch(/already used/);
      const second = new URL(await browser.consentCallback());
      second.searchParams.set('spapi_oauth_code', new URL(first).searchParams.get('spapi_oauth_code') ?? '');
      const reused = await browser.fetch(second);
      expect(reused.status).toBe(400);
      expect(((await reused.json()) as any).error.message).toMatch(/refused the authorization code/);
      const forged = new URL(first);
      forged.searchParams.set('state', 'forged');
      expect((await browser.fetch(forged)).status).toBe(400);
    });

    it('never shows or logs Amazon tokens, and stores them sealed', async () => {
      const [stored] = await rows<{ refresh_token: string }>(t.clario.database.db, sql`SELECT refresh_token FROM amazon_connections WHERE user_id = ${userId}`);
      expect(stored?.refresh_token.startsWith('v1.')).toBe(true);
      expect(stored?.refresh_token).not.toMatch(/Atzr\|/);
      const answers = JSON.stringify([
        await (await fetch(`${t.url}/api/v1/workflow/status/${userId}`, { headers: { cookie } })).json(),
        await (await fetch(`${t.url}/api/v1/workflow/audit?user_id=${userId}&limit=1000`, { headers: { authorization: `Bearer ${t.serviceToken}` } })).json(),
      ]);
      expect(answers).not.toMatch(/Atz[ar]\|/);
      expect(logs.length).toBeGreaterThan(0);
      expect(logs.join('\n')).not.toMatch(/Atz[ar]\||spapi_oauth_code=[A-Za-z0-9]|[?&]code=AN|clario_session=|clario_oauth=|amzn1\.account\./);
    });
  });
}
