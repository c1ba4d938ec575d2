// One contract, every queue driver: what the runner relies on.
import { afterAll, beforeAll, afterEach, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createBullMqQueue } from '../../src/queue/bullmq-queue.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { createPostgresQueue } from '../../src/queue/postgres-queue.js';
import { openDatabase, type Database } from '../../src/store/db.js';
import { phaseEvents } from '../../src/store/schema/workflow-tables.js';
import { insertTrigger } from '../../src/workflow/inbox.js';
import { createTestDatabase, describeWithPostgres, describeWithRedis, randomName, redis, type TestDatabase } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

const log = { error: () => undefined };

interface Driver {
  readonly name: 'postgres' | 'bullmq';
  readonly describe: typeof describeWithPostgres;
  make(database: Database, prefix: string, o?: { leaseMs?: number }): JobQueue;
}

const drivers: Driver[] = [
  { name: 'postgres', describe: describeWithPostgres, make: (d, _p, o) => createPostgresQueue(d, { pollMs: 20, dispatchLeaseMs: o?.leaseMs ?? 300, log, channel: randomName('ch') }) },
  { name: 'bullmq', describe: describeWithRedis, make: (_d, prefix) => createBullMqQueue({ redisUrl: redis.url, prefix, log }) },
];

for (const driver of drivers) {
  driver.describe(`the ${driver.name} queue driver`, () => {
    let tdb: TestDatabase;
    let database: Database;
    let prefix: string;
    const open: JobQueue[] = [];
    const queue = (o?: { leaseMs?: number }) => {
      const q = driver.make(database, prefix, o);
      open.push(q);
      return q;
    };

    beforeAll(async () => {
      tdb = await createTestDatabase();
      database = await openDatabase({ url: tdb.url });
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((q) => q.close()));
    });
    afterAll(async () => {
      await database?.close();
      await tdb?.drop();
    });

    let n = 0;
    async function events(count: number, runAt?: Date): Promise<string[]> {
      prefix = prefix ?? randomName('cq');
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const key = `${prefix}-${n++}`;
        const a = await insertTrigger(database.db, { phase: 1, userId: 'u', syncId: key, payload: {}, idempotencyKey: key, requestHash: key, source: 'internal' }, 3);
        if (runAt) await database.db.update(phaseEvents).set({ runAfter: runAt }).where(eq(phaseEvents.id, a.eventId));
        ids.push(a.eventId);
      }
      return ids;
    }
    /** What the runner does with a delivery: finish the event, so the inbox stops offering it. */
    const complete = (id: string) => database.db.update(phaseEvents).set({ status: 'completed' }).where(eq(phaseEvents.id, id));

    it('delivers every notified job', async () => {
      prefix = randomName('cq');
      const q = queue();
      const ids = await events(20);
      const seen = new Set<string>();
      await q.consume(async (id) => {
        seen.add(id);
        await complete(id);
      }, { concurrency: 4 });
      await q.notify(ids.map((id) => ({ id, runAt: new Date() })));
      await waitFor(() => ids.every((id) => seen.has(id)), 'every job');
    });

    it('delivers a job due later after the jobs due now', async () => {
      prefix = randomName('cq');
      const q = queue();
      const [later] = await events(1, new Date(Date.now() + 400));
      const [now] = await events(1);
      const order: string[] = [];
      await q.notify([{ id: later!, runAt: new Date(Date.now() + 400) }, { id: now!, runAt: new Date() }]);
      await q.consume(async (id) => {
        order.push(id);
        await complete(id);
      }, { concurrency: 1 });
      await waitFor(() => order.length >= 2, 'both jobs');
      expect(order.slice(0, 2)).toEqual([now, later]);
    });

    it('two consumers on one queue share the jobs: both take some, and no job runs twice', async () => {
      prefix = randomName('cq');
      // A lease far longer than any handler here: a second delivery could only be the driver's fault.
      const a = queue({ leaseMs: 120_000 });
      const b = queue({ leaseMs: 120_000 });
      const ids = await events(30);
      const runs = new Map<string, Array<'a' | 'b'>>();
      const took = { a: 0, b: 0 };
      // Each consumer holds its first jobs until the other has taken one, so neither can drain the
      // queue alone however fast it is: the test proves sharing without depending on timing.
      let bothTook!: () => void;
      const both = new Promise<void>((resolve) => (bothTook = resolve));
      const handler = (who: 'a' | 'b') => async (id: string) => {
        runs.set(id, [...(runs.get(id) ?? []), who]);
        took[who]++;
        if (took.a > 0 && took.b > 0) bothTook();
        await both;
        await complete(id);
      };
      await a.consume(handler('a'), { concurrency: 2 });
      await b.consume(handler('b'), { concurrency: 2 });
      await a.notify(ids.map((id) => ({ id, runAt: new Date() })));
      await waitFor(() => ids.every((id) => runs.has(id)), 'every job');
      // Stopped, both consumers have finished everything they took: nothing more can arrive.
      await Promise.all([a.close(), b.close()]);
      expect([...runs.keys()].sort()).toEqual([...ids].sort());
      expect([...runs].filter(([, by]) => by.length > 1)).toEqual([]);
      expect(took.a).toBeGreaterThan(0);
      expect(took.b).toBeGreaterThan(0);
      expect(took.a + took.b).toBe(ids.length);
    });

    it('delivers again a job whose handler failed', async () => {
      prefix = randomName('cq');
      const q = queue();
      const [id] = await events(1);
      let calls = 0;
      await q.consume(async (got) => {
        if (got !== id) return;
        calls++;
        if (calls === 1) throw new Error('database blip');
        await complete(got);
      }, { concurrency: 1 });
      await q.notify([{ id: id!, runAt: new Date() }]);
      await waitFor(() => calls >= 2, 'the second delivery', 30_000);
    });

    /** A consumer (one slot) holding `held` in its handler until released; what it was given. */
    async function holding(q: JobQueue, held: string) {
      const state = { delivered: [] as string[], finished: false, release: () => undefined as void };
      await q.consume(async (id) => {
        state.delivered.push(id);
        if (id === held) {
          await new Promise<void>((r) => (state.release = r));
          state.finished = true;
        }
        await complete(id);
      }, { concurrency: 1 });
      await q.notify([{ id: held, runAt: new Date() }]);
      await waitFor(() => state.delivered.includes(held), 'the held job');
      return state;
    }

    /** A second consumer, as the next process; the jobs it was given. */
    async function successorTaking(id: string): Promise<string[]> {
      const next: string[] = [];
      const successor = queue();
      await successor.consume(async (job) => {
        next.push(job);
        await complete(job);
      }, { concurrency: 1 });
      await successor.notify([{ id, runAt: new Date() }]);
      return next;
    }

    it('waits for the handler in flight when closed, and delivers nothing after', async () => {
      prefix = randomName('cq');
      const q = queue();
      const [first, second] = await events(2);
      const held = await holding(q, first!);
      const closing = q.close();
      held.release();
      await closing;
      expect(held.finished).toBe(true);
      await q.notify([{ id: second!, runAt: new Date() }]).catch(() => undefined);
      // The next consumer gets the job (no sleep to see whether the closed one would take it).
      const next = await successorTaking(second!);
      await waitFor(() => next.includes(second!), 'the second job, by the next consumer');
      expect(held.delivered).not.toContain(second);
    });

    it('once paused, lets the handler in flight finish and takes no more jobs', async () => {
      prefix = randomName('cq');
      const q = queue();
      const [first, second] = await events(2);
      const held = await holding(q, first!);
      await q.pause();
      held.release();
      await waitFor(() => held.finished, 'the first job to finish');
      // Its slot is free and it was there first, yet the paused consumer takes no more.
      await q.notify([{ id: second!, runAt: new Date() }]);
      const next = await successorTaking(second!);
      await waitFor(() => next.includes(second!) || held.delivered.includes(second!), 'the second job');
      expect(held.delivered).not.toContain(second);
      expect(next).toContain(second);
    });

    it('counts jobs that wait for a later time', async () => {
      prefix = randomName('cq');
      const q = queue();
      const at = new Date(Date.now() + 3_600_000);
      const ids = await events(3, at);
      await q.notify(ids.map((id) => ({ id, runAt: at })));
      const stats = await q.stats();
      expect(stats.delayed).toBeGreaterThanOrEqual(3);
      await database.db.execute(sql`UPDATE phase_events SET status = 'completed' WHERE status = 'pending'`);
    });
  });
}
