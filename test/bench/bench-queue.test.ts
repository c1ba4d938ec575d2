// A bench run's queue prefix leaves nothing in Redis: the API-alone runs store jobs for a worker
// that never comes, and before this they stayed in the developer's Redis, run after run.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withBenchQueue } from '../../bench/support.js';
import { describeWithRedis, redis } from '../support/infra.js';

describeWithRedis('a bench queue prefix', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redis.url);
  });
  afterAll(() => client?.disconnect());

  it("removes every key under its prefix after the run, whether it ends or throws, and no other key", async () => {
    const other = `bench-queue-test-other-${Date.now()}`;
    await client.set(other, '1');
    let used = '';
    const result = await withBenchQueue(redis.url, 'bqtest', async (prefix) => {
      used = prefix;
      // More keys than one SCAN page holds.
      for (let i = 0; i < 2500; i += 500) await client.mset(...Array.from({ length: 500 }, (_, j) => [`${prefix}:phase-events:${i + j}`, 'x']).flat());
      return 'done';
    });
    expect(result).toBe('done');
    expect(await client.keys(`${used}:*`)).toEqual([]);
    await expect(
      withBenchQueue(redis.url, 'bqtest', async (prefix) => {
        used = prefix;
        await client.set(`${prefix}:phase-events:id`, '1');
        throw new Error('the run failed');
      }),
    ).rejects.toThrow('the run failed');
    expect(await client.keys(`${used}:*`)).toEqual([]);
    expect(await client.get(other)).toBe('1');
    await client.del(other);
  });
});
