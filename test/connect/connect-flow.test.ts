// A seller connects through the bundled Amazon simulator, exactly as a browser would: consent,
// callback, phase 1 syncs their reports, phase 2 finds claims. Secrets never show.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/store/db.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { describeWithPostgres } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

for (const store of ['pglite', 'postgres'] as const) {
  const describeIt = store === 'postgres' ? describeWithPostgres : describe;
  describeIt(`connecting a seller through the simulator (${store})`, () => {
  let t: TestClario;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await startTestClario({ store, logs, env: { WORKFLOW_MAX_ATTEMPTS: '5', WORKFLOW_LEASE_MS: '30000' } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const hidden = (html: string) => Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))).replace(/&amp;/g, '&')]));

  /** /connect → the consent page → Approve → the callback URL Amazon sends the browser to. */
  async function consent(): Promise<string> {
    const start = await fetch(`${t.url}/connect`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const consentUrl = new URL(start.headers.get('location') ?? '');
    const page = await (await fetch(consentUrl)).text();
    const form = new URLSearchParams(hidden(page));
    const approved = await fetch(new URL('/apps/authorize/consent', consentUrl), { method: 'POST', body: form, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(approved.status).toBe(302);
    return approved.headers.get('location') ?? '';
  }

    let userId = '';
    let cookie = '';

    it('connects, syncs the demo seller and finds claims, watched through the session cookie', async () => {
      const callback = await consent();
      expect(callback.startsWith(`${t.url}/connect/callback?`)).toBe(true);
      const done = await fetch(callback, { redirect: 'manual' });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe('/');
      cookie = (done.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      expect(cookie).toMatch(/^clario_session=/);
      expect(done.headers.get('set-cookie')).toMatch(/HttpOnly/i);
      const session = (await (await fetch(`${t.url}/api/v1/session`, { headers: { cookie } })).json()) as any;
      userId = session.user_id;
      expect(userId).toMatch(/^seller_A1CLARIODEMO01$/);
      expect(session.role).toBe('seller');

      const status = async () => {
        const r = await fetch(`${t.url}/api/v1/workflow/status/${userId}`, { headers: { cookie } });
        const body = (await r.json()) as any;
        if (r.status !== 200) throw new Error(`status answered ${r.status}: ${JSON.stringify(body)}`);
        return body;
      };
      await waitFor(async () => (await status()).runs[0]?.phases[1]?.status === 'completed', 'sync and detection', 120_000);
      const s = await status();
      expect(s.runs[0].phases[0]).toMatchObject({ status: 'completed', progress: { sources_done: 8, sources_total: 8 } });
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
      const planted = truth.map((g: any) => fingerprint({ type: g.type, key: g.key, currency: g.currency, quantity: g.quantity, amount: g.amount, status: g.status, deadline: g.deadline }));
      expect(found.sort()).toEqual(planted.sort());
      expect(stored[0]?.details.sources[0]).toMatchObject({ document_id: expect.any(String), line: expect.any(Number) });

      // Detection again over the same data (the seed's sync/complete webhook): no claim twice.
      const again = await t.request('/api/v1/workflow/sync/complete', { body: { user_id: userId, sync_id: s.runs[0].sync_id, rerun: 1 } });
      expect(again.status).toBe(202);
      await waitFor(async () => (await t.clario.engine.findEvent(again.body.event_id))?.status === 'completed', 'detection to run again');
      const [count] = await rows<{ n: number }>(t.clario.database.db, sql`SELECT count(*)::int AS n FROM claims WHERE user_id = ${userId}`);
      expect(count?.n).toBe(stored.length);
    }, 180_000);

    it('refuses a replayed callback and a code used twice', async () => {
      const first = await consent();
      expect((await fetch(first, { redirect: 'manual' })).status).toBe(303);
      const replay = await fetch(first, { redirect: 'manual' });
      expect(replay.status).toBe(400);
      expect(((await replay.json()) as any).error.message).toMatch(/already used/);
      const second = new URL(await consent());
      second.searchParams.set('spapi_oauth_code', new URL(first).searchParams.get('spapi_oauth_code') ?? '');
      const reused = await fetch(second, { redirect: 'manual' });
      expect(reused.status).toBe(400);
      expect(((await reused.json()) as any).error.message).toMatch(/refused the authorization code/);
      const forged = new URL(first);
      forged.searchParams.set('state', 'forged');
      expect((await fetch(forged, { redirect: 'manual' })).status).toBe(400);
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
      expect(logs.join('\n')).not.toMatch(/Atz[ar]\||spapi_oauth_code=[A-Za-z0-9]|clario_session=/);
    });
  });
}
