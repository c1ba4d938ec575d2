// Text PostgreSQL cannot store (NUL, a lone UTF-16 surrogate) and JSON nested deeper than any
// caller needs are refused at the edge with 400 in the error format, never a 500 from below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario();
});
afterAll(async () => {
  await t.close();
});

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

async function raw(method: string, path: string, body?: string, token: string | null = t.serviceToken, type = 'application/json'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': type }) },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) };
}

function expect400(r: { status: number; body: any }) {
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe('invalid_request');
  expect(typeof r.body.error.message).toBe('string');
}

// The body's raw text: JSON escapes, so the bytes on the wire are what an attacker sends.
const trigger = (extra: string) => `{"user_id":"u-bad","sync_id":"s1","note":${extra}}`;
const NUL = '"a\\u0000b"';
const LONE_SURROGATE = '"a\\ud800b"';

describe('bad JSON is a 400 in the error format', () => {
  const JSON_ENDPOINTS: Array<[string, (extra: string) => string]> = [
    ['/api/v1/workflow/phase/1', trigger],
    ['/api/v1/workflow/phase/6', (x) => `{"user_id":"u-bad","claim_id":"c1","reason":"r","note":${x}}`],
    ['/api/v1/workflow/sync/complete', trigger],
    ['/api/v1/workflow/payout/received', (x) => `{"user_id":"u-bad","claim_id":"c1","payout_id":"p1","amount_minor":1,"currency":"USD","note":${x}}`],
    ['/api/v1/subscriptions', (x) => `{"url":"https://example.com/hook","event_types":[${x}]}`],
  ];

  it.each(JSON_ENDPOINTS)('%s: NUL in a string', async (path, body) => {
    expect400(await raw('POST', path, body(NUL)));
  });

  it.each(JSON_ENDPOINTS)('%s: a lone surrogate in a string', async (path, body) => {
    expect400(await raw('POST', path, body(LONE_SURROGATE)));
  });

  it.each(JSON_ENDPOINTS)('%s: NUL in a key', async (path, body) => {
    expect400(await raw('POST', path, body('{"k\\u0000":1}')));
  });

  it.each(JSON_ENDPOINTS)('%s: 5,000 levels of nesting', async (path, body) => {
    expect400(await raw('POST', path, body(nested(5000))));
  });

  it('a body nested a little still passes', async () => {
    expect((await raw('POST', '/api/v1/workflow/phase/1', trigger(nested(20)))).status).toBe(202);
  });

  it('the replay body too', async () => {
    expect400(await raw('POST', '/api/v1/subscriptions/sub_x/replay', nested(5000)));
  });
});

describe('keys that poison prototypes are refused, and said to be', () => {
  // Before: "the body is not valid JSON", though it was.
  it.each([
    ['__proto__', '{"user_id":"u-bad","sync_id":"s1","__proto__":{"admin":true}}'],
    ['__proto__ nested', '{"user_id":"u-bad","sync_id":"s1","note":{"__proto__":{"x":1}}}'],
    ['constructor.prototype', '{"user_id":"u-bad","sync_id":"s1","constructor":{"prototype":{"admin":true}}}'],
  ])('%s: 400 naming the key', async (_what, body) => {
    const r = await raw('POST', '/api/v1/workflow/phase/1', body);
    expect400(r);
    expect(r.body.error.message).toContain('"__proto__"');
    expect(r.body.error.message).not.toContain('not valid JSON');
  });

  it('broken JSON is still called broken, and a constructor key alone passes', async () => {
    expect((await raw('POST', '/api/v1/workflow/phase/1', '{"__proto__":')).body.error.message).toBe('the body is not valid JSON');
    expect((await raw('POST', '/api/v1/workflow/phase/1', '{"user_id":"u-ctor","sync_id":"s1","constructor":"x"}')).status).toBe(202);
  });
});

describe('NUL and lone surrogates in ids and queries are a 400', () => {
  it.each([
    '/api/v1/workflow/events/a%00b',
    '/api/v1/workflow/events/%ED%A0%80',
    '/api/v1/workflow/audit?event_id=a%00b',
    '/api/v1/workflow/audit?user_id=a%00b',
    '/api/v1/subscriptions/sub%00x',
    '/api/v1/claims/c%00',
  ])('GET %s', async (path) => {
    const r = await raw('GET', path);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error.code).toMatch(/invalid_request|not_found/);
  });

  it.each(['/api/v1/workflow/events/a%00b', '/api/v1/workflow/audit?event_id=a%00b', '/api/v1/workflow/events/x/replay'.replace('x', 'a%00b')])(
    '%s is refused as invalid, not looked up',
    async (path) => {
      expect400(await raw(path.endsWith('replay') ? 'POST' : 'GET', path, path.endsWith('replay') ? '{}' : undefined));
    },
  );
});

describe('a caller without a valid token is refused before its body is read', () => {
  // Before: the body was parsed and checked first, so a stranger learned which input is refused
  // (400, 413, 415) and made the server parse up to the body limit for nothing.
  it.each([
    ['deep nesting', trigger(nested(40)), 'application/json'],
    ['NUL in a string', trigger(NUL), 'application/json'],
    ['a body over the limit', trigger(`"${'x'.repeat(1_100_000)}"`), 'application/json'],
    ['an unsupported media type', '<x/>', 'application/xml'],
    ['malformed JSON', '{"user_id":', 'application/json'],
  ])('%s: 401', async (_what, body, type) => {
    for (const token of [null, 'not-a-token']) {
      const r = await raw('POST', '/api/v1/workflow/phase/1', body, token, type);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('unauthorized');
    }
  });
});
