// While PostgreSQL is down (connections cut, new ones refused), triggers, status and /metrics
// answer 503 unavailable, for clients to retry: they answered 500 internal. PostgreSQL is reached
// through a proxy of this test's own, which it stops and starts again; the shared server is not touched.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencyDown } from '../../src/http/dependency-down.js';
import { QueueUnavailableError } from '../../src/queue/job-queue.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/infra.js';

/** A TCP proxy to `target` on a port of its own, that can be stopped (cutting every connection) and started again. */
function proxy(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  return {
    get port() {
      return port;
    },
    async start() {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
      port = (server.address() as { port: number }).port;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      const closed = new Promise((r) => s.close(r));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

describe('a dependency that is not answering', () => {
  it('is told apart from a fault of ours', () => {
    expect(dependencyDown(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(dependencyDown(new Error('Failed query', { cause: Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }) }))).toBe(true);
    expect(dependencyDown(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(dependencyDown(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(dependencyDown(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(dependencyDown(new QueueUnavailableError('redis is not connected (reconnecting)'))).toBe(true);
    expect(dependencyDown(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(dependencyDown(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
  });
});

describeWithPostgres('triggers, status and /metrics while PostgreSQL is down', () => {
  let db: TestDatabase;
  let t: TestClario | undefined;
  let pg: ReturnType<typeof proxy>;
  beforeAll(async () => {
    db = await createTestDatabase();
    pg = proxy(new URL(db.url));
    await pg.start();
    const viaProxy = new URL(db.url);
    viaProxy.host = `127.0.0.1:${pg.port}`;
    t = await startTestClario({ store: 'postgres', role: 'api', capabilities: testCapabilities(), env: { DATABASE_URL: viaProxy.toString() } });
  }, 120_000);
  afterAll(async () => {
    // PostgreSQL back first, so that everything closes as it would.
    await pg?.start();
    await t?.close();
    await pg?.stop();
    await db?.drop();
  }, 120_000);

  it('answer 503 unavailable, for the client to retry', async () => {
    expect((await t!.request('/api/v1/workflow/status/db-down-1')).status).toBe(200);
    await pg.stop();
    const trigger = await t!.request('/api/v1/workflow/phase/1', { body: { user_id: 'db-down-1', sync_id: 'db-down-run', seller_id: 'A1' } });
    expect([trigger.status, trigger.body.error?.code]).toEqual([503, 'unavailable']);
    const status = await t!.request('/api/v1/workflow/status/db-down-1');
    expect([status.status, status.body.error?.code]).toEqual([503, 'unavailable']);
    const metrics = await t!.request('/metrics');
    expect([metrics.status, metrics.body.error?.code]).toEqual([503, 'unavailable']);
  }, 60_000);
});
