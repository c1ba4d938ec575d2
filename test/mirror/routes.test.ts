import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, retryDelay, secretKey, signWebhook } from '../../src/mirror/index.js';
import { replayRefusal } from '../../src/mirror/routes.js';
import { EVENT_CATALOGUE } from '../../src/workflow/messages.js';
import { startMirrorClario, type MirrorClario } from './support.js';
import { rows } from '../../src/store/db.js';

let t: MirrorClario;
beforeAll(async () => {
  t = await startMirrorClario();
});
afterAll(async () => {
  await t.close();
});

describe('/api/v1/subscriptions', () => {
  it('creates a subscription and shows a generated whsec_ secret once; reads never show it', async () => {
    const created = await t.request('/api/v1/subscriptions', { body: { url: 'https://example.com/hooks', event_types: ['workflow.phase'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: 'https://example.com/hooks', event_types: ['workflow.phase'], status: 'active' });
    const secret = created.body.secret as string;
    expect(secretKey(secret)?.length).toBe(32);

    const one = await t.request(`/api/v1/subscriptions/${created.body.id}`);
    const list = await t.request('/api/v1/subscriptions');
    expect(one.status).toBe(200);
    expect(one.body.delivery).toMatchObject({ attempts: 0, last_error: null });
    expect(list.body.subscriptions.map((s: { id: string }) => s.id)).toContain(created.body.id);
    for (const body of [one.body, list.body]) {
      expect(JSON.stringify(body)).not.toContain(secret);
      expect(JSON.stringify(body)).not.toContain('secret');
    }
    // At rest it is sealed, not the secret itself.
    const [row] = await rows<{ secret: string }>(t.clario.database.db, sql`SELECT secret FROM subscriptions WHERE id = ${created.body.id}`);
    expect(row?.secret).not.toContain(secret.slice('whsec_'.length, 20));
  });

  it('stores the URL as it will be called: an international host in punycode', async () => {
    // Before: stored and shown as sent, while delivery called xn--exmple-cua.org.
    const created = await t.request('/api/v1/subscriptions', { body: { url: 'https://exämple.org/h' } });
    expect(created.status).toBe(201);
    expect(created.body.url).toBe('https://xn--exmple-cua.org/h');
    expect((await t.request(`/api/v1/subscriptions/${created.body.id}`)).body.url).toBe('https://xn--exmple-cua.org/h');
    const upper = await t.request('/api/v1/subscriptions', { body: { url: 'HTTPS://Example.COM/Hook' } });
    expect(upper.body.url).toBe('https://example.com/Hook');
  });

  it('keeps a secret the caller brings', async () => {
    const secret = 'whsec_' + Buffer.alloc(24, 4).toString('base64');
    const created = await t.request('/api/v1/subscriptions', { body: { url: 'http://127.0.0.1:9/x', secret } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBe(secret);
    expect(created.body.event_types).toEqual([]);
  });

  it.each([
    [{ url: 'ftp://example.com/x' }],
    [{ url: 'not a url' }],
    [{ url: 'https://example.com', event_types: 'workflow.phase' }],
    [{ url: 'https://example.com', event_types: ['Has Spaces'] }],
    [{ url: 'https://example.com', secret: 'plain-secret' }],
    [{ url: 'https://example.com', secret: 'whsec_c2hvcnQ=' }],
  ])('refuses %j with 400 invalid_request', async (body) => {
    const r = await t.request('/api/v1/subscriptions', { body });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
  });

  it('refuses an event type Clario does not publish, naming those it does', async () => {
    // Before: 201, and a subscription that never received anything.
    const r = await t.request('/api/v1/subscriptions', { body: { url: 'https://example.com/bogus', event_types: ['workflow.phase', 'bogus.type'] } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    const [detail] = r.body.error.details as Array<{ path: string; message: string }>;
    expect(detail?.path).toBe('/event_types/1');
    for (const e of EVENT_CATALOGUE) expect(detail?.message).toContain(e.type);
    expect((await t.request('/api/v1/subscriptions')).body.subscriptions.map((s: { url: string }) => s.url)).not.toContain('https://example.com/bogus');
  });

  it('keeps showing the types a subscription stored before the check holds', async () => {
    const created = await t.request('/api/v1/subscriptions', { body: { url: 'https://example.com/old-types' } });
    await rows(t.clario.database.db, sql`UPDATE subscriptions SET event_types = '["legacy.type"]'::jsonb WHERE id = ${created.body.id}`);
    const one = await t.request(`/api/v1/subscriptions/${created.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body.event_types).toEqual(['legacy.type']);
    expect((await t.request(`/api/v1/subscriptions/${created.body.id}/replay`, { body: {} })).status).toBe(200);
  });

  it('needs the service token', async () => {
    const seller = await t.clario.auth.issueSellerToken('u1', 60);
    for (const [method, path] of [
      ['POST', '/api/v1/subscriptions'],
      ['GET', '/api/v1/subscriptions'],
      ['GET', '/api/v1/subscriptions/sub_x'],
      ['POST', '/api/v1/subscriptions/sub_x/replay'],
      ['DELETE', '/api/v1/subscriptions/sub_x'],
    ] as const) {
      const body = method === 'POST' ? { url: 'https://example.com' } : undefined;
      const asSeller = await t.request(path, { method, token: seller, body });
      expect(asSeller.status, `${method} ${path}`).toBe(403);
      expect(asSeller.body.error.code).toBe('forbidden');
      const anonymous = await t.request(path, { method, token: null, body });
      expect(anonymous.status, `${method} ${path}`).toBe(401);
    }
  });

  it('answers 404 for an unknown subscription, and deletes one', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/subscriptions/sub_nope'],
      ['POST', '/api/v1/subscriptions/sub_nope/replay'],
      ['DELETE', '/api/v1/subscriptions/sub_nope'],
    ] as const) {
      const r = await t.request(path, { method, ...(method === 'POST' ? { body: {} } : {}) });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    const created = await t.request('/api/v1/subscriptions', { body: { url: 'https://example.com/gone' } });
    expect((await t.request(`/api/v1/subscriptions/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.request(`/api/v1/subscriptions/${created.body.id}`)).status).toBe(404);
  });
});

describe('replaying from a seq', () => {
  it('refuses a from_seq past the next event, naming the newest seq; up to the next event is taken', async () => {
    // An event of its own (already published, so no relay picks it up): a workflow run would
    // keep writing events while the test reads the head.
    await rows(t.clario.database.db, sql`INSERT INTO outbox (user_id, type, payload, published_at) VALUES ('u-replay-far', 'workflow.progress', '{}'::jsonb, now())`);
    const sub = await t.request('/api/v1/subscriptions', { body: { url: 'https://example.com/replay-far' } });
    const head = (await t.request('/api/v1/ops/event-sinks')).body.outbox_head as number;
    expect(head).toBeGreaterThan(0);

    // Before: 200 with the cursor at 999998, and nothing delivered until the outbox got there.
    const far = await t.request(`/api/v1/subscriptions/${sub.body.id}/replay`, { body: { from_seq: head + 2 } });
    expect(far.status).toBe(400);
    expect(far.body.error.code).toBe('invalid_request');
    expect(far.body.error.message).toContain(`seq ${head}`);
    expect(far.body.error.details).toEqual([{ path: '/from_seq', message: far.body.error.message }]);
    expect((await t.request(`/api/v1/subscriptions/${sub.body.id}`)).body.delivery.last_delivered_seq).toBe(head);

    const next = await t.request(`/api/v1/subscriptions/${sub.body.id}/replay`, { body: { from_seq: head + 1 } });
    expect(next.status).toBe(200);
    expect(next.body.delivery.last_delivered_seq).toBe(head);
  });

  it('says the most from_seq may be, also before any event', () => {
    expect(replayRefusal(999999, 271)).toBe('from_seq 999999 is past the next event: the newest event is seq 271, so from_seq may be at most 272');
    expect(replayRefusal(2, 0)).toMatch(/no event yet.*at most 1$/);
    expect(replayRefusal(272, 271)).toBeUndefined();
    expect(replayRefusal(1, 271)).toBeUndefined();
  });
});

describe('signing and backoff', () => {
  it('signs "{id}.{timestamp}.{body}" with the base64-decoded key, timestamp in unix seconds', () => {
    // The Standard Webhooks reference example (standard-webhooks/standard-webhooks, the spec's test vector).
    const key = secretKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(key).toBeDefined();
    const h = signWebhook(key ?? Buffer.alloc(0), 'msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330_000), '{"test": 2432232314}');
    expect(h).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('backs off exponentially with jitter, capped, over about a day', () => {
    const p = DEFAULT_RETRY;
    expect(retryDelay(1, p, () => 0)).toBe(p.baseMs / 2);
    expect(retryDelay(1, p, () => 1)).toBe(p.baseMs);
    expect(retryDelay(3, p, () => 1)).toBe(p.baseMs * 4);
    expect(retryDelay(40, p, () => 1)).toBe(p.maxMs);
    let total = 0;
    let attempts = 0;
    while (total < p.spanMs) total += retryDelay(++attempts, p, () => 0.5);
    expect(attempts).toBeGreaterThan(15);
    expect(attempts).toBeLessThan(60);
  });
});
