// With REDIS_URL, rate limits are one budget across API processes: two processes sharing Redis
// (and the database, as a deployment would) refuse the request past the limit wherever it lands.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeWithRedis, randomName, redis, type TestDatabase } from '../support/infra.js';
import { startTestClario, type TestClario } from '../support/clario.js';

describeWithRedis('rate limits in Redis', () => {
  let database: TestDatabase;
  let a: TestClario;
  let b: TestClario;
  // Unique per test file run, so parallel files (and earlier runs) never share counters.
  const prefix = randomName('rl');

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      CLARIO_SERVICE_TOKEN: `svc_${randomBytes(24).toString('hex')}`,
      CLARIO_SESSION_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '3',
      RATE_LIMIT_SELLER_PER_MINUTE: '4',
    };
    a = await startTestClario({ store: 'postgres', database, role: 'api', env });
    b = await startTestClario({ store: 'postgres', database, role: 'api', env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('share one budget per caller across two API processes', async () => {
    const seller = await a.sellerToken('shared-seller');
    const status = async (t: TestClario) => (await t.request('/api/v1/workflow/status/shared-seller', { token: seller })).status;
    // A limit of 4 a minute: 2 on each process use it up; the 5th is refused on either.
    expect([await status(a), await status(b), await status(a), await status(b)]).toEqual([200, 200, 200, 200]);
    expect(await status(b)).toBe(429);
    expect(await status(a)).toBe(429);
  });

  it('count callers without a token by address across processes too', async () => {
    const statuses: number[] = [];
    for (const t of [a, b, a, b]) statuses.push((await t.request('/api/v1/workflow/queue/stats', { token: 'guessing' })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('keep their counters under the deployment\'s prefix', async () => {
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys(`${prefix}:rate-limit:*`);
      expect(keys.sort()).toEqual([`${prefix}:rate-limit:ip:127.0.0.1`, `${prefix}:rate-limit:seller:shared-seller`]);
    } finally {
      client.disconnect();
    }
  });
});
