// The shared rate-limit store counts a busy caller locally and sends the counts to Redis in one
// call; near the limit, or with a stale view, every request asks Redis. One process is exact;
// several together never lose a count. Real Redis; time is a virtual clock and sends are nudged.
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedRateLimitStore, type RateLimitStore } from '../../src/http/rate-limit-store.js';
import { describeWithRedis, randomName, redis } from '../support/infra.js';

const WINDOW = 60_000;
const FLUSH = 50;

describeWithRedis('the shared rate-limit store', () => {
  const connections: Redis[] = [];
  let reader: Redis;
  beforeAll(() => {
    reader = new Redis(redis.url);
  });
  afterAll(() => {
    for (const c of [reader, ...connections]) c.disconnect();
  });

  function store(prefix: string, clock: { t: number }, errors: unknown[] = [], maxCallers?: number): RateLimitStore & { count(key: string, max: number): Promise<number> } {
    const connection = new Redis(redis.url);
    connections.push(connection);
    const s = sharedRateLimitStore(connection, prefix, (err) => errors.push(err), { flushMs: FLUSH, now: () => clock.t, ...(maxCallers ? { maxCallers } : {}) });
    const instance = new s.Store({});
    return {
      ...s,
      count: (key, max) =>
        new Promise((resolve, reject) => instance.incr(key, (err, r) => (err || !r ? reject(err ?? new Error('no result')) : resolve(r.current)), WINDOW, max)),
    };
  }
  const stored = async (prefix: string, key: string) => Number((await reader.get(`${prefix}${key}`)) ?? 0);

  it('counts a busy caller here and sends the counts in one call', async () => {
    const prefix = `${randomName('rl')}:`;
    const clock = { t: 1_000 };
    const s = store(prefix, clock);
    expect(await s.count('service', 10_000)).toBe(1); // the first asks Redis: nothing known yet
    const currents = await Promise.all(Array.from({ length: 99 }, () => s.count('service', 10_000)));
    expect(currents).toEqual(Array.from({ length: 99 }, (_, i) => i + 2));
    expect(await stored(prefix, 'service')).toBe(1); // 99 requests, no call
    await s.flush();
    expect(await stored(prefix, 'service')).toBe(100);
    expect(await reader.pttl(`${prefix}service`)).toBeGreaterThan(0);
  });

  it('still counts what it has sent and Redis has not answered yet', async () => {
    const prefix = `${randomName('rl')}:`;
    const clock = { t: 1_000 };
    const s = store(prefix, clock);
    await s.count('service', 10_000);
    expect(await Promise.all([s.count('service', 10_000), s.count('service', 10_000)])).toEqual([2, 3]);
    const sent = s.flush(); // in flight
    expect(await Promise.all([s.count('service', 10_000), s.count('service', 10_000)])).toEqual([4, 5]);
    await sent;
    expect(await s.count('service', 10_000)).toBe(6);
    await s.flush();
    expect(await stored(prefix, 'service')).toBe(6);
  });

  it('sends, after a send in flight, what was counted meanwhile when asked to again', async () => {
    const prefix = `${randomName('rl')}:`;
    const clock = { t: 1_000 };
    const s = store(prefix, clock);
    await s.count('service', 10_000);
    await s.count('service', 10_000);
    const first = s.flush(); // in flight
    await Promise.all([s.count('service', 10_000), s.count('service', 10_000)]);
    await s.flush(); // waits for the first, then sends these two
    await first;
    expect(await stored(prefix, 'service')).toBe(4);
  });

  it('asks Redis for every request past half the limit, and for a low limit', async () => {
    const prefix = `${randomName('rl')}:`;
    const clock = { t: 1_000 };
    const s = store(prefix, clock);
    await reader.set(`${prefix}busy`, 499, 'PX', WINDOW); // another process's count
    expect(await s.count('busy', 1_000)).toBe(500);
    expect(await s.count('busy', 1_000)).toBe(501);
    expect(await stored(prefix, 'busy')).toBe(501);
    expect(await s.count('ip:203.0.113.9', 60)).toBe(1);
    expect(await s.count('ip:203.0.113.9', 60)).toBe(2);
    expect(await stored(prefix, 'ip:203.0.113.9')).toBe(2);
  });

  it('keeps at most maxCallers callers; past it a new caller asks Redis every time, until windows end', async () => {
    const prefix = `${randomName('rl')}:`;
    const clock = { t: 1_000 };
    const s = store(prefix, clock, [], 3);
    for (const k of ['a', 'b', 'c']) await s.count(k, 10_000);
    await s.count('d', 10_000);
    await s.count('d', 10_000);
    expect(await stored(prefix, 'd')).toBe(2); // not kept: each request went to Redis
    await s.count('a', 10_000);
    expect(await stored(prefix, 'a')).toBe(1); // kept: counted here
    clock.t += WINDOW + 1;
    await s.flush(); // sends a's count, drops b and c, whose windows are over
    await s.count('d', 10_000);
    await s.count('d', 10_000);
    expect(await stored(prefix, 'd')).toBe(3); // kept now: its second request was counted here
  });

  it('asks Redis again once its view is older than two flush intervals', async () => {
    const prefix = `${randomName('rl')}:`;
    const clock = { t: 1_000 };
    const s = store(prefix, clock);
    await s.count('seller:a', 10_000);
    await s.count('seller:a', 10_000);
    expect(await stored(prefix, 'seller:a')).toBe(1);
    await reader.incrby(`${prefix}seller:a`, 40); // others meanwhile
    clock.t += 2 * FLUSH + 1;
    expect(await s.count('seller:a', 10_000)).toBe(43); // its unsent count went with it
    expect(await stored(prefix, 'seller:a')).toBe(43);
  });

  it('lets a request through when Redis fails, and counts it with the next send', async () => {
    const prefix = `${randomName('rl')}:`;
    const clock = { t: 1_000 };
    const errors: unknown[] = [];
    const s = store(prefix, clock, errors);
    await s.count('service', 10_000);
    await s.count('service', 10_000);
    const add = (s.redis as unknown as { clarioRateLimitAdd: (...a: unknown[]) => Promise<unknown> }).clarioRateLimitAdd;
    (s.redis as unknown as { clarioRateLimitAdd: unknown }).clarioRateLimitAdd = () => Promise.reject(new Error('redis is down'));
    await s.flush();
    expect(errors).toHaveLength(1);
    clock.t += 2 * FLUSH + 1;
    await expect(s.count('service', 10_000)).rejects.toThrow('redis is down');
    (s.redis as unknown as { clarioRateLimitAdd: unknown }).clarioRateLimitAdd = add;
    await s.flush();
    expect(await stored(prefix, 'service')).toBe(3);
  });

  it('one process alone: the counts it answers are 1…n and every one reaches Redis (random sends, clock and limits)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1_000, max: 1_400 }),
        // A send is awaited, or left in flight while more requests come; `settle` waits for the answers so far.
        fc.array(
          fc.oneof(fc.record({ incr: fc.integer({ min: 1, max: 120 }) }), fc.record({ flush: fc.boolean() }), fc.record({ advance: fc.integer({ min: 0, max: 150 }) }), fc.constant({ settle: true })),
          { maxLength: 25 },
        ),
        async (max, ops) => {
          const prefix = `${randomName('rl')}:`;
          const clock = { t: 1_000 };
          const s = store(prefix, clock);
          const answers: Array<Promise<number>> = [];
          for (const op of ops) {
            if ('incr' in op) for (let i = 0; i < op.incr; i++) answers.push(s.count('k', max));
            else if ('flush' in op) await (op.flush ? s.flush() : Promise.resolve(void s.flush()));
            else if ('settle' in op) await Promise.all(answers);
            else clock.t += op.advance;
          }
          const currents = (await Promise.all(answers)).sort((a, b) => a - b);
          expect(currents).toEqual(currents.map((_, i) => i + 1));
          expect(currents.filter((c) => c <= max).length).toBe(Math.min(currents.length, max));
          await s.close();
          expect(await stored(prefix, 'k')).toBe(currents.length);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('two processes: no count is lost, and together they pass at most half a limit more than it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(fc.record({ incr: fc.integer({ min: 1, max: 300 }), on: fc.integer({ min: 0, max: 1 }) }), fc.record({ flush: fc.integer({ min: 0, max: 1 }), wait: fc.boolean() }), fc.constant({ settle: true })),
          { maxLength: 20 },
        ),
        async (ops) => {
          const max = 1_000;
          const prefix = `${randomName('rl')}:`;
          const clock = { t: 1_000 };
          const both = [store(prefix, clock), store(prefix, clock)];
          const answers: Array<Promise<number>> = [];
          for (const op of ops) {
            if ('incr' in op) for (let i = 0; i < op.incr; i++) answers.push(both[op.on]!.count('k', max));
            else if ('settle' in op) await Promise.all(answers);
            else if (op.wait) await both[op.flush]!.flush();
            else void both[op.flush]!.flush();
          }
          const currents = await Promise.all(answers);
          expect(currents.filter((c) => c <= max).length).toBeLessThanOrEqual(max * 1.5);
          for (const s of both) await s.close();
          expect(await stored(prefix, 'k')).toBe(currents.length);
        },
      ),
      { numRuns: 25 },
    );
  });
});
