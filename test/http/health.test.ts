// The probes answer load balancers and Kubernetes, which send no token, and say nothing beyond
// "ok" or "unavailable".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';
import { createTestDatabase, describeWithPostgres } from '../support/infra.js';

/** The status of a GET, with the body read: an unread body keeps its keep-alive socket busy, and open. */
async function statusOf(url: string): Promise<number> {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
}

describe('health probes', () => {
  let t: TestClario;
  beforeAll(async () => {
    t = await startTestClario({ env: { RATE_LIMIT_ANONYMOUS_PER_MINUTE: '3' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(['/healthz', '/readyz'])('%s answers without a token, and only {"status":"ok"}', async (path) => {
    const res = await fetch(`${t.url}${path}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"status":"ok"}');
  });

  it('probes are outside the anonymous rate limit that other public routes keep', async () => {
    for (let i = 0; i < 8; i++) {
      expect(await statusOf(`${t.url}/healthz`)).toBe(200);
      expect(await statusOf(`${t.url}/readyz`)).toBe(200);
    }
    const docs: number[] = [];
    for (let i = 0; i < 5; i++) docs.push(await statusOf(`${t.url}/docs/json`));
    expect(docs).toContain(429);
  });

  it('a wrong token does not turn a probe into a 401', async () => {
    expect((await t.request('/healthz', { token: 'not-a-token' })).status).toBe(200);
  });

  it('the OpenAPI document marks both probes as needing no security', async () => {
    const doc = (await t.request('/docs/json')).body;
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    expect(doc.paths['/readyz'].get.security).toEqual([]);
    expect(doc.paths['/metrics'].get.security).toBeUndefined();
  });
});

describeWithPostgres('readiness when the database is gone', () => {
  it('/readyz says 503 {"status":"unavailable"} while /healthz stays ok', async () => {
    const database = await createTestDatabase();
    const t = await startTestClario({ store: 'postgres', database, role: 'api' });
    try {
      expect(await statusOf(`${t.url}/readyz`)).toBe(200);
      await database.drop();
      const res = await fetch(`${t.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('{"status":"unavailable"}');
      expect(await statusOf(`${t.url}/healthz`)).toBe(200);
    } finally {
      await t.close();
    }
  });
});
