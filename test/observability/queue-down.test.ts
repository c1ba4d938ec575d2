// While Redis is down, GET /metrics and GET /api/v1/workflow/queue/stats answer at once: they hung
// for a minute and more (BullMQ's count waits for Redis for ever on its connection). /metrics
// leaves the queue's counts out and says so (clario_queue_up 0); the stats are a 503.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullMqQueue } from '../../src/queue/bullmq-queue.js';
import { QueueUnavailableError } from '../../src/queue/job-queue.js';
import { closedPort } from '../support/closed-port.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { describeWithPostgres, randomName } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

/** A Redis of this test's own, on `port`, answering once this resolves. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // Refused until the server listens: connect() says so, the event need not.
  probe.on('error', () => undefined);
  try {
    await waitFor(async () => {
      try {
        if (probe.status !== 'ready') await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      }
    }, 'our redis-server to answer');
  } finally {
    probe.disconnect();
  }
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

describeWithPostgres('GET /metrics and queue stats while Redis is down', () => {
  let port: number;
  let redis: ChildProcess | undefined;
  let t: TestClario | undefined;
  beforeAll(async () => {
    port = await closedPort();
    redis = await startRedis(port);
    t = await startTestClario({
      store: 'postgres',
      queue: 'bullmq',
      role: 'api',
      capabilities: testCapabilities(),
      env: { REDIS_URL: `redis://127.0.0.1:${port}` },
    });
  }, 120_000);
  afterAll(async () => {
    // Redis back first, so that everything closes as it would.
    if (redis && (redis.exitCode !== null || redis.signalCode !== null)) redis = await startRedis(port);
    await t?.close();
    if (redis) await stopRedis(redis);
  }, 120_000);

  it('answers at once: /metrics without the queue counts, saying the queue could not be read; queue stats 503 unavailable', async () => {
    const up = await t!.request('/metrics');
    expect(up.status).toBe(200);
    expect(up.body).toMatch(/^clario_queue_up 1$/m);
    expect(up.body).toMatch(/^clario_queue_jobs\{state="waiting"\} \d+$/m);

    await stopRedis(redis!);
    const metrics = await t!.request('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^clario_queue_up 0$/m);
    expect(metrics.body).not.toMatch(/^clario_queue_jobs\{/m);
    // The rest of the scrape is there.
    expect(metrics.body).toMatch(/^clario_phase_events\{status="failed"\} \d+$/m);

    const stats = await t!.request('/api/v1/workflow/queue/stats');
    expect(stats.status).toBe(503);
    expect(stats.body.error.code).toBe('unavailable');
  }, 60_000);
});

describe('the bullmq queue at a server that never answers', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('gives up on its counts within its bound', async () => {
    const { port: silent } = server.address() as { port: number };
    const queue = createBullMqQueue({ redisUrl: `redis://127.0.0.1:${silent}`, prefix: randomName('qd'), log: { error: () => undefined }, statsTimeoutMs: 100 });
    try {
      await expect(queue.stats()).rejects.toBeInstanceOf(QueueUnavailableError);
    } finally {
      await queue.close(0);
    }
  });
});
