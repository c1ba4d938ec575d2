// Workflow engine figures: 7-phase workflows per second with no-op phases, next to raw BullMQ
// running a 7-step job chain on the same Redis in the same run.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createBullMqQueue } from '../src/queue/bullmq-queue.js';
import { createPostgresQueue } from '../src/queue/postgres-queue.js';
import type { JobQueue } from '../src/queue/job-queue.js';
import { createLocalBus, type MessageBus } from '../src/realtime/bus.js';
import { openDatabase, rows, type Database } from '../src/store/db.js';
import { createEngine } from '../src/workflow/engine.js';
import { noObserver, silentLog } from '../src/workflow/log.js';
import type { PhaseHandler, PhaseHandlers } from '../src/workflow/types.js';
import { PHASES, PHASE_NUMBERS, type PhaseNumber } from '../src/domain/phase.js';
import { sql } from 'drizzle-orm';
import { withBenchQueue } from './support.js';

/**
 * No-op phases, each starting the phases the phase table allows after it (1→2→3→4→5, then 5 starts
 * both 6 and 7): seven phase events per workflow, so what is measured is the engine's durable
 * transitions. Starting a phase the table does not allow fails the event, and the run would never end.
 */
function chainHandlers(): PhaseHandlers {
  const h = (phase: PhaseNumber): PhaseHandler => ({
    phase,
    run: (ctx) =>
      Promise.resolve({
        next: PHASES[phase].next.map((p) => ({ phase: p, syncId: ctx.event.syncId ?? undefined, claimId: p >= 5 ? `c-${ctx.event.syncId}` : undefined })),
      }),
  });
  return Object.fromEntries(PHASE_NUMBERS.map((p) => [p, h(p)])) as unknown as PhaseHandlers;
}

async function countCompleted7(database: Database): Promise<number> {
  const [r] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM phase_events WHERE phase = 7 AND status = 'completed'`);
  return r?.n ?? 0;
}

/**
 * Resolves once `workflows` phase 7 events have completed. Counted from the engine's own messages,
 * not by polling the table: a count every 20 ms scanned phase_events and took CPU from the engine
 * it measures (PGlite most of all). A slow poll of the table stays as a backstop.
 */
async function watchCompletions(bus: MessageBus, database: Database, workflows: number): Promise<{ all: Promise<void> }> {
  const done = new Set<string>();
  let resolve: () => void = () => undefined;
  const finished = new Promise<void>((r) => (resolve = r));
  const unsubscribe = await bus.subscribe((messages) => {
    for (const m of messages) {
      if (m.payload.phase === 7 && m.payload.status === 'completed') done.add(String(m.payload.event_id));
    }
    if (done.size >= workflows) resolve();
  });
  const backstop = setInterval(() => {
    void countCompleted7(database).then((n) => n >= workflows && resolve(), () => undefined);
  }, 2000);
  return {
    all: finished.finally(() => {
      clearInterval(backstop);
      unsubscribe();
    }),
  };
}

export async function engineWorkflowsPerSecond(options: { database: Database; queue: JobQueue; workflows: number; concurrency: number }) {
  const bus = createLocalBus();
  const engine = createEngine({
    database: options.database,
    queue: options.queue,
    bus,
    handlers: chainHandlers(),
    log: silentLog,
    observer: noObserver,
    worker: { concurrency: options.concurrency, maxAttempts: 3, leaseMs: 30_000, backoff: { baseMs: 100, maxMs: 1000 } },
  });
  engine.startRelay();
  await engine.startWorker();
  const tag = `b${Date.now()}`;
  const completed = await watchCompletions(bus, options.database, options.workflows);
  const start = performance.now();
  // Every workflow is handed over at the start, as raw BullMQ's addBulk hands over its chains:
  // 64 triggers in flight (the intake stores concurrent ones together), not one durable insert
  // awaited after another, which measured the accept loop rather than the runner.
  let next = 0;
  const submit = async () => {
    for (let i = next++; i < options.workflows; i = next++) {
      const key = `${tag}-${i}`;
      await engine.accept({ phase: 1, userId: `u${i % 50}`, syncId: key, payload: {}, idempotencyKey: key, requestHash: key, source: 'internal' });
    }
  };
  await Promise.all(Array.from({ length: 64 }, submit));
  await completed.all;
  const seconds = (performance.now() - start) / 1000;
  await engine.stop();
  return { workflows: options.workflows, seconds: round(seconds), workflows_per_second: round(options.workflows / seconds), transitions_per_second: round((options.workflows * 7) / seconds) };
}

export async function rawBullMqChain(options: { redisUrl: string; workflows: number; concurrency: number }) {
  const prefix = `bench${Date.now()}`;
  const conn = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const wconn = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('chain', { connection: conn, prefix });
  let done = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  const worker = new Worker(
    'chain',
    async (job) => {
      const step = job.data.step as number;
      if (step < 7) await queue.add('step', { wf: job.data.wf, step: step + 1 }, { removeOnComplete: true });
      else if (++done === options.workflows) finish();
    },
    { connection: wconn, prefix, concurrency: options.concurrency },
  );
  await worker.waitUntilReady();
  const start = performance.now();
  await queue.addBulk(Array.from({ length: options.workflows }, (_, wf) => ({ name: 'step', data: { wf, step: 1 }, opts: { removeOnComplete: true } })));
  await finished;
  const seconds = (performance.now() - start) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  conn.disconnect();
  wconn.disconnect();
  return { workflows: options.workflows, seconds: round(seconds), workflows_per_second: round(options.workflows / seconds) };
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export async function embeddedWorkflows(workflows: number, concurrency: number) {
  const database = await openDatabase({});
  try {
    const queue = createPostgresQueue(database, { pollMs: 20, log: { error: () => undefined } });
    return await engineWorkflowsPerSecond({ database, queue, workflows, concurrency });
  } finally {
    await database.close();
  }
}

export async function productionWorkflows(databaseUrl: string, redisUrl: string, workflows: number, concurrency: number) {
  const database = await openDatabase({ url: databaseUrl, poolSize: concurrency + 4 });
  try {
    return await withBenchQueue(redisUrl, 'benchq', (prefix) => {
      const queue = createBullMqQueue({ redisUrl, prefix, log: { error: () => undefined } });
      return engineWorkflowsPerSecond({ database, queue, workflows, concurrency });
    });
  } finally {
    await database.close();
  }
}
