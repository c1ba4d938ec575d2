// A path that names nothing is a 404 not_found, whatever else the request carries: a path
// parameter left empty (a trailing slash) like any unknown path, and a method the path does not
// take even when its body cannot be read. A caller without a token still hears 401 first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario();
});
afterAll(async () => {
  await t.close();
});

async function send(method: string, path: string, o: { type?: string; body?: string; token?: string | null } = {}) {
  const token = o.token === undefined ? t.serviceToken : o.token;
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(o.type ? { 'content-type': o.type } : {}) },
    ...(o.body === undefined ? {} : { body: o.body }),
  });
  return { status: res.status, body: JSON.parse(await res.text()) as { error: { code: string; message: string } } };
}

describe('an empty path parameter', () => {
  // Before: 400 invalid_request ("too small") from the routes whose schema wants one character,
  // while /api/v1/workflow/status/x/ was already a 404.
  it.each([
    ['GET', '/api/v1/claims/'],
    ['GET', '/api/v1/filings/'],
    ['DELETE', '/api/v1/subscriptions/'],
    ['GET', '/api/v1/subscriptions/'],
    ['GET', '/api/v1/workflow/status/'],
    ['GET', '/api/v1/workflow/status/x/'],
  ])('%s %s is 404 not_found', async (method, path) => {
    const r = await send(method, path);
    expect([r.status, r.body.error.code]).toEqual([404, 'not_found']);
  });

  it('is 404 on every documented operation with a path parameter, each parameter in turn', async () => {
    const doc = (await t.request('/docs/json', { token: null })).body as { paths: Record<string, Record<string, unknown>> };
    const tried: string[] = [];
    for (const [template, operations] of Object.entries(doc.paths)) {
      const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
      for (const empty of names) {
        const path = template.replace(/\{([^}]+)\}/g, (_all, name: string) => (name === empty ? '' : name === 'phaseNumber' ? '1' : 'x1'));
        for (const method of Object.keys(operations).map((m) => m.toUpperCase())) {
          const r = await send(method, path, method === 'GET' || method === 'DELETE' ? {} : { type: 'application/json', body: '{}' });
          expect([r.status, r.body.error?.code], `${method} ${path}`).toEqual([404, 'not_found']);
          tried.push(`${method} ${path}`);
        }
      }
    }
    expect(tried.length).toBeGreaterThan(20);
  });

  it('is still 401 without a token, and a bad id that is not empty is still 400', async () => {
    expect((await send('GET', '/api/v1/claims/', { token: null })).status).toBe(401);
    const bad = await send('GET', '/api/v1/claims/has space');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_request']);
  });
});

describe('a method the path does not take', () => {
  // Before: 400 "Body cannot be empty…" (or the body's own refusal) instead of the route's 404.
  it.each([
    ['JSON without a body', { type: 'application/json' }],
    ['malformed JSON', { type: 'application/json', body: '{"a":' }],
    ['JSON nested too deep', { type: 'application/json', body: `${'['.repeat(100)}${']'.repeat(100)}` }],
    ['a type no parser takes', { type: 'application/xml', body: '<x/>' }],
    ['a body over the limit', { type: 'application/json', body: `"${'x'.repeat(1_100_000)}"` }],
  ])('%s: 404 not_found', async (_what, o) => {
    const r = await send('DELETE', '/api/v1/workflow/status/user_123', o);
    expect([r.status, r.body.error.code]).toEqual([404, 'not_found']);
    expect(r.body.error.message).toBe('no route DELETE /api/v1/workflow/status/user_123');
  });

  it('is still 401 for a caller without a valid token', async () => {
    for (const token of [null, 'not-a-token']) {
      const r = await send('DELETE', '/api/v1/workflow/status/user_123', { type: 'application/json', token });
      expect([r.status, r.body.error.code]).toEqual([401, 'unauthorized']);
    }
  });

  it('a route that exists still refuses a body it cannot read', async () => {
    const r = await send('DELETE', '/api/v1/subscriptions/sub_x', { type: 'application/json' });
    expect([r.status, r.body.error.code]).toEqual([400, 'invalid_request']);
  });
});
