import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/v1/workflow/phase/:phaseNumber', () => {
  // An empty phase (`/phase/`) names nothing: 404, as not-found.test.ts checks for every path parameter.
  it.each(['0', '8', '-1', '1.5', 'abc', '01', '1e0', '%20'])('refuses phase %j with 400 invalid_phase', async (phase) => {
    const r = await t.request(`/api/v1/workflow/phase/${phase}`, { body: { user_id: 'u1' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_phase');
  });

  it('refuses a trigger without user_id', async () => {
    const r = await t.request('/api/v1/workflow/phase/1', { body: { sync_id: 's1' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(JSON.stringify(r.body.error.details)).toContain('user_id');
  });

  it('refuses a body that is not JSON, with the error format', async () => {
    const r = await t.request('/api/v1/workflow/phase/1', { body: '{"user_id":' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(JSON.stringify(r.body)).not.toMatch(/at .*\.js/); // no stack
  });

  it("checks each phase's own fields", async () => {
    const noCase = await t.request('/api/v1/workflow/phase/5', { body: { user_id: 'u1', claim_id: 'c1' } });
    expect(noCase.status).toBe(400);
    const badMoney = await t.request('/api/v1/workflow/phase/7', {
      body: { user_id: 'u1', claim_id: 'c1', payout_id: 'p1', amount_minor: 12.5, currency: 'USD' },
    });
    expect(badMoney.status).toBe(400);
    const badCurrency = await t.request('/api/v1/workflow/phase/7', {
      body: { user_id: 'u1', claim_id: 'c1', payout_id: 'p1', amount_minor: 1250, currency: 'usd' },
    });
    expect(badCurrency.status).toBe(400);
    // A payout is a safe positive integer of minor units, on both routes that trigger phase 7.
    for (const path of ['/api/v1/workflow/phase/7', '/api/v1/workflow/payout/received']) {
      for (const amount of [0, -5, '9007199254740992', '1e400', 2 ** 64]) {
        const raw = `{"user_id":"u1","claim_id":"c1","payout_id":"p1","amount_minor":${amount},"currency":"USD"}`;
        const r = await t.request(path, { body: raw });
        expect(r.status, `${path} ${amount}`).toBe(400);
        expect(r.body.error.code).toBe('invalid_request');
      }
    }
    const neither = await t.request('/api/v1/workflow/phase/6', { body: { user_id: 'u1', reason: 'x' } });
    expect(neither.status).toBe(400);
  });

  it('accepts a trigger with 202 after storing it, keeping extra fields', async () => {
    const r = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'u-extra', sync_id: 'sx', seller_id: 'A1', source_app: 'main-api' } });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ phase: 1, user_id: 'u-extra', sync_id: 'sx', status: 'accepted', duplicate: false });
    const audit = await t.request(`/api/v1/workflow/audit?event_id=${r.body.event_id}`);
    expect(audit.body.entries[0]).toMatchObject({ to: 'pending', from: null });
    const stored = await t.clario.engine.findEvent(r.body.event_id);
    expect(stored?.payload).toMatchObject({ source_app: 'main-api', seller_id: 'A1' });
  });

  it('answers a repeat with the first event id and does nothing again', async () => {
    const body = { user_id: 'u-rep', sync_id: 'srep' };
    const first = await t.request('/api/v1/workflow/phase/1', { body });
    const again = await t.request('/api/v1/workflow/phase/1', { body });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ event_id: first.body.event_id, duplicate: true });
  });

  it('refuses an Idempotency-Key reused for a different request', async () => {
    const headers = { 'idempotency-key': 'caller-key-1' };
    const first = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'u-key', sync_id: 'a' }, headers });
    const same = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'u-key', sync_id: 'a' }, headers });
    const other = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'u-key', sync_id: 'b' }, headers });
    expect(first.status).toBe(202);
    expect(same.body.event_id).toBe(first.body.event_id);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_conflict');
  });

  it("keeps two users' Idempotency-Keys apart even when a user id holds ':'", async () => {
    // acme + shop:order-1 and acme:shop + order-1 once made the same inbox key.
    const first = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'acme', sync_id: 's1' }, headers: { 'idempotency-key': 'shop:order-1' } });
    const second = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'acme:shop', sync_id: 's1' }, headers: { 'idempotency-key': 'order-1' } });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.event_id).not.toBe(first.body.event_id);
    expect(second.body.user_id).toBe('acme:shop');
  });

  it('starts a new sync run when phase 1 names none', async () => {
    const r = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'u-new' } });
    expect(r.status).toBe(202);
    expect(r.body.sync_id).toMatch(/^sync_/);
  });

  // As the README says: the key derived from the body makes the same body a repeat, and only
  // another Idempotency-Key starts another run.
  it('answers the same phase 1 body again as a repeat of the first run; another Idempotency-Key starts another', async () => {
    const first = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'u-again', seller_id: 's1' } });
    const again = await t.request('/api/v1/workflow/phase/1', { body: { seller_id: 's1', user_id: 'u-again' } });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, event_id: first.body.event_id, sync_id: first.body.sync_id });
    const keyed = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'u-again', seller_id: 's1' }, headers: { 'idempotency-key': 'run-2' } });
    expect(keyed.status).toBe(202);
    expect(keyed.body.sync_id).not.toBe(first.body.sync_id);
  });

  it("takes phase 6 without a reason (it is optional)", async () => {
    const r = await t.request('/api/v1/workflow/phase/6', { body: { user_id: 'u1', claim_id: 'c-no-reason' } });
    expect(r.status).toBe(202);
  });
});

describe('the second seed document webhooks', () => {
  it.each([
    ['sync/complete', 2],
    ['detection/complete', 3],
    ['evidence-matching/complete', 4],
    ['claim/submitted', 5],
    ['claim/rejected', 6],
    ['payout/received', 7],
  ])('%s triggers phase %i', async (path, phase) => {
    const body: Record<string, unknown> = { user_id: `u-hook-${phase}`, sync_id: 's1', claim_id: 'c1', case_id: 'K1', payout_id: 'P1', amount_minor: 100, currency: 'USD' };
    const r = await t.request(`/api/v1/workflow/${path}`, { body });
    expect(r.status).toBe(202);
    expect(r.body.phase).toBe(phase);
  });
});

describe('authentication', () => {
  it('needs a token on every endpoint but the probes and the API document', async () => {
    for (const [method, path] of [
      ['POST', '/api/v1/workflow/phase/1'],
      ['POST', '/api/v1/workflow/sync/complete'],
      ['GET', '/api/v1/workflow/status/u1'],
      ['GET', '/api/v1/workflow/audit'],
      ['GET', '/api/v1/workflow/queue/stats'],
      ['POST', '/api/v1/workflow/events/x/replay'],
      ['GET', '/metrics'],
    ] as const) {
      const r = await t.request(path, { method, token: null, ...(method === 'POST' ? { body: { user_id: 'u1' } } : {}) });
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.body.error.code).toBe('unauthorized');
    }
  });

  it('serves the API document without a token: it describes, it reveals nothing', async () => {
    const r = await t.request('/docs/json', { token: null });
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    expect(r.body.paths['/docs/json'].get.security).toEqual([]);
  });

  it('refuses a wrong or tampered token with 401', async () => {
    const seller = await t.sellerToken('u1');
    const tampered = `${seller.slice(0, -4)}AAAA`;
    for (const token of ['nope', `${t.serviceToken}x`, tampered]) {
      const r = await t.request('/api/v1/workflow/status/u1', { token });
      expect(r.status).toBe(401);
    }
  });

  it('does not let a seller trigger phases or read operations endpoints', async () => {
    const seller = await t.sellerToken('u1');
    expect((await t.request('/api/v1/workflow/phase/1', { token: seller, body: { user_id: 'u1' } })).status).toBe(403);
    expect((await t.request('/api/v1/workflow/queue/stats', { token: seller })).status).toBe(403);
    expect((await t.request('/metrics', { token: seller })).status).toBe(403);
  });

  it('serves the OpenAPI document to a valid token', async () => {
    const doc = await t.request('/docs/json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/workflow/phase/{phaseNumber}');
  });
});
