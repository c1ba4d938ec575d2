// A worker's port: GET /healthz and GET /readyz without a token, GET /metrics (the worker's own:
// the phase metrics are counted where phases run) for the service token only, as the API's
// /metrics, and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { createAuth, type Auth } from '../../src/http/auth.js';
import { startProbeServer, type ProbeServer } from '../../src/http/probe-server.js';
import type { SessionStore, StoredSession } from '../../src/http/sessions.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

const SERVICE_TOKEN = 'svc_'.padEnd(40, 'p');

/** Sessions in memory: enough for a seller token to be a real one. */
function memorySessions(): SessionStore {
  const all = new Map<string, StoredSession>();
  let n = 0;
  return {
    create: (userId, _at, expiresAt) => {
      const id = `ses_${++n}`;
      all.set(id, { userId, expiresAt, revokedAt: null });
      return Promise.resolve(id);
    },
    find: (id) => Promise.resolve(all.get(id)),
    revoke: () => Promise.resolve(),
    ended: () => Promise.resolve([]),
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("a worker's probe server", () => {
  let probe: ProbeServer;
  let auth: Auth;
  let ready = true;
  beforeAll(async () => {
    auth = createAuth({ serviceToken: SERVICE_TOKEN, sessionSecret: 's'.repeat(40), sessions: memorySessions(), maxAgeSeconds: 3600 });
    const registry = new Registry();
    new Counter({ name: 'clario_phase_transitions_total', help: 'h', labelNames: ['phase', 'outcome'], registers: [registry] }).inc({ phase: '2', outcome: 'completed' });
    probe = await startProbeServer({
      port: 0,
      host: '127.0.0.1',
      registry,
      authenticate: (token) => auth.authenticate(token),
      ready: () => Promise.resolve(ready),
      log: { error: () => undefined },
    });
  });
  afterAll(async () => {
    await probe?.close();
  });

  it('answers GET /healthz with 200 {"status":"ok"}, without a token', async () => {
    const r = await fetch(`${probe.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${probe.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
  });

  it('answers GET /readyz 200 while the database and queue answer, 503 unavailable otherwise, without a token', async () => {
    ready = true;
    const up = await fetch(`${probe.url}/readyz`);
    expect([up.status, await up.json()]).toEqual([200, { status: 'ok' }]);
    ready = false;
    const down = await fetch(`${probe.url}/readyz`);
    expect([down.status, await down.json()]).toEqual([503, { status: 'unavailable' }]);
    ready = true;
  });

  it('serves its metrics to the service token', async () => {
    const r = await fetch(`${probe.url}/metrics`, { headers: bearer(SERVICE_TOKEN) });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    expect(await r.text()).toContain('clario_phase_transitions_total{phase="2",outcome="completed"} 1');
  });

  it('refuses /metrics as the API does: 401 without a token or with a wrong one, 403 to a seller', async () => {
    const none = await fetch(`${probe.url}/metrics`);
    expect([none.status, ((await none.json()) as { error: { code: string } }).error.code]).toEqual([401, 'unauthorized']);
    const wrong = await fetch(`${probe.url}/metrics`, { headers: bearer('svc_'.padEnd(40, 'q')) });
    expect([wrong.status, ((await wrong.json()) as { error: { code: string } }).error.code]).toEqual([401, 'unauthorized']);
    const seller = await fetch(`${probe.url}/metrics`, { headers: bearer(await auth.issueSellerToken('u1')) });
    expect([seller.status, ((await seller.json()) as { error: { code: string } }).error.code]).toEqual([403, 'forbidden']);
  });

  it('serves nothing else, in the service error format', async () => {
    for (const [path, method] of [['/', 'GET'], ['/api/v1/workflow/status/x', 'GET'], ['/metrics', 'POST'], ['/healthz', 'POST']] as const) {
      const r = await fetch(`${probe.url}${path}`, { method, headers: bearer(SERVICE_TOKEN) });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });
});

describeWithPostgres('a worker process beside an API process', () => {
  let db: TestDatabase;
  let api: TestClario | undefined;
  let worker: TestClario | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await db?.drop();
  });

  it('serves on its PORT the phase metrics only it counts, for the service token', async () => {
    api = await startTestClario({ store: 'postgres', database: db, role: 'api', capabilities: testCapabilities() });
    worker = await startTestClario({ store: 'postgres', database: db, role: 'worker', capabilities: testCapabilities(), env: { CLARIO_SERVICE_TOKEN: api.serviceToken } });
    const probeUrl = worker.clario.probeUrl ?? '';
    expect(probeUrl).not.toBe('');
    const accepted = await api.request('/api/v1/workflow/phase/1', { body: { user_id: 'wm-1', sync_id: 'wm-run-1', seller_id: 'A1' } });
    expect(accepted.status).toBe(202);
    const scrape = async () => (await fetch(`${probeUrl}/metrics`, { headers: bearer(api!.serviceToken) })).text();
    await waitFor(async () => /clario_phase_transitions_total\{phase="4",outcome="completed"\} 1/.test(await scrape()), 'phase 4 counted by the worker');
    expect(await scrape()).toMatch(/clario_phase_duration_seconds_count\{phase="1"\} 1/);
    // The API process ran no phase: its own /metrics has none of them.
    const fromApi = await api.request('/metrics');
    expect(String(fromApi.body)).not.toMatch(/clario_phase_transitions_total\{/);
    expect((await fetch(`${probeUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${probeUrl}/readyz`)).status).toBe(200);
  }, 120_000);
});
