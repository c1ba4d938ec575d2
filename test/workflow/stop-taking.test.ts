// Once a stop begins a worker starts no more phases: the commit that completes the phase it was
// running leaves the next phase pending for another worker (it used to start it here, and the
// worker went on to run phases 3 and 4 before exiting), and the queue delivers it nothing more.
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createBullMqQueue } from '../../src/queue/bullmq-queue.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { createPostgresQueue } from '../../src/queue/postgres-queue.js';
import { createLocalBus } from '../../src/realtime/bus.js';
import { openDatabase, rows, type Database } from '../../src/store/db.js';
import { createEngine, type Engine } from '../../src/workflow/engine.js';
import { noObserver, silentLog } from '../../src/workflow/log.js';
import { createPhaseHandlers } from '../../src/workflow/steps.js';
import { testCapabilities } from '../support/capabilities.js';
import { createTestDatabase, describeWithRedis, openPglite, randomName, redis, type TestDatabase } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type MakeQueue = (database: Database) => JobQueue;

function engineOn(database: Database, queue: JobQueue, workerId: string, hold?: (phase: number) => Promise<void>): Engine {
  const caps = testCapabilities({ onPhase: (phase) => hold?.(phase) });
  const engine = createEngine({
    database,
    queue,
    bus: createLocalBus(),
    handlers: createPhaseHandlers(caps, { waitForFilingMs: 20 }),
    log: silentLog,
    observer: noObserver,
    worker: { concurrency: 2, maxAttempts: 3, leaseMs: 30_000, backoff: { baseMs: 10, maxMs: 40 } },
    workerId,
  });
  engine.startRelay();
  return engine;
}

interface EventRow {
  id: string;
  phase: number;
  status: string;
  attempts: number;
  locked_by: string | null;
}

async function stopsTaking(database: Database, makeQueue: MakeQueue): Promise<void> {
  // Phase 2 of this worker waits for the test to let it finish.
  let inPhase2!: () => void;
  const entered = new Promise<void>((r) => (inPhase2 = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const first = engineOn(database, makeQueue(database), 'first', async (phase) => {
    if (phase !== 2) return;
    inPhase2();
    await released;
  });
  let firstStopped = false;
  cleanups.push(async () => {
    if (!firstStopped) await first.stop(0);
  });
  await first.startWorker();
  const key = randomName('stop-taking');
  await first.accept({ phase: 1, userId: 'u1', sellerId: 'A1', syncId: key, payload: { user_id: 'u1', sync_id: key, seller_id: 'A1' }, idempotencyKey: key, requestHash: key, source: 'http' });
  await entered;

  // The stop begins while phase 2 runs; phase 2 is not interruptible, so the stop waits for it.
  const stopping = first.stop(60_000);
  release();
  await stopping;
  firstStopped = true;

  const events = async () => rows<EventRow>(database.db, sql`SELECT id, phase, status, attempts, locked_by FROM phase_events WHERE sync_id = ${key} ORDER BY phase`);
  const after = await events();
  expect(after.map((e) => [e.phase, e.status])).toEqual([[1, 'completed'], [2, 'completed'], [3, 'pending']]);
  // Never started here: not one attempt, no running transition.
  expect(after[2]).toMatchObject({ attempts: 0, locked_by: null });
  const [started] = await rows<{ n: string }>(database.db, sql`SELECT count(*) AS n FROM phase_audit WHERE event_id = ${after[2]!.id} AND to_status = 'running'`);
  expect(Number(started?.n)).toBe(0);

  // Another worker takes it from there.
  const second = engineOn(database, makeQueue(database), 'second');
  cleanups.push(() => second.stop(0));
  await second.startWorker();
  await waitFor(async () => {
    const now = await events();
    return now.length === 4 && now.every((e) => e.status === 'completed');
  }, 'phases 3 and 4 completed by the second worker');
  const workers = await rows<{ phase: number; worker_id: string }>(database.db,
    sql`SELECT phase, worker_id FROM phase_audit WHERE sync_id = ${key} AND to_status = 'running' ORDER BY phase`);
  expect(workers).toEqual([{ phase: 1, worker_id: 'first' }, { phase: 2, worker_id: 'first' }, { phase: 3, worker_id: 'second' }, { phase: 4, worker_id: 'second' }]);
}

describe('a worker that begins to stop while a phase runs (PGlite, postgres queue)', () => {
  it('completes that phase and leaves the next one pending for another worker', async () => {
    const database = await openPglite();
    cleanups.push(() => database.close());
    await stopsTaking(database, (d) => createPostgresQueue(d, { pollMs: 20, log: silentLog, channel: randomName('ch') }));
  }, 60_000);
});

describeWithRedis('a worker that begins to stop while a phase runs (PostgreSQL, BullMQ)', () => {
  it('completes that phase and leaves the next one pending for another worker', async () => {
    const tdb: TestDatabase = await createTestDatabase();
    cleanups.push(() => tdb.drop());
    const database = await openDatabase({ url: tdb.url });
    cleanups.push(() => database.close());
    const prefix = randomName('stq');
    await stopsTaking(database, () => createBullMqQueue({ redisUrl: redis.url, prefix, log: silentLog }));
  }, 60_000);
});
