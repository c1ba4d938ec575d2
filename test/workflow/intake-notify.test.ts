// Intake answers once a trigger is stored: the queue's notify is a wake-up that follows, so a slow
// or failing queue neither delays nor fails the answer. A failed notify is logged; the recovery
// sweep sends the event again (a queue that does not read the inbox), and stop() waits for the
// notifies still in flight.
import { afterEach, expect, it } from 'vitest';
import { createLocalBus } from '../../src/realtime/bus.js';
import type { JobQueue, QueueJob } from '../../src/queue/job-queue.js';
import type { Database } from '../../src/store/db.js';
import { createEngine, type Engine } from '../../src/workflow/engine.js';
import { findEvent } from '../../src/workflow/inbox.js';
import { noObserver, silentLog, type Log } from '../../src/workflow/log.js';
import { createPhaseHandlers } from '../../src/workflow/steps.js';
import type { TriggerInput } from '../../src/workflow/types.js';
import { testCapabilities } from '../support/capabilities.js';
import { openPglite } from '../support/infra.js';

let database: Database | undefined;
let engine: Engine | undefined;

afterEach(async () => {
  await engine?.stop();
  await database?.close();
  engine = undefined;
  database = undefined;
});

/** A queue that does not read the inbox, whose notifies the test settles by hand. */
function heldQueue() {
  const calls: Array<{ jobs: readonly QueueJob[]; settled: boolean; resolve(): void; reject(err: Error): void }> = [];
  const openAtClose: number[] = [];
  const queue: JobQueue = {
    driver: 'bullmq',
    readsInbox: false,
    notify: (jobs) =>
      new Promise<void>((resolve, reject) => {
        const call = {
          jobs,
          settled: false,
          resolve: () => ((call.settled = true), resolve()),
          reject: (err: Error) => ((call.settled = true), reject(err)),
        };
        calls.push(call);
      }),
    consume: () => Promise.resolve(),
    stats: () => Promise.resolve({ waiting: 0, delayed: 0, active: 0, failed: 0 }),
    pause: () => Promise.resolve(),
    close: () => {
      openAtClose.push(calls.filter((c) => !c.settled).length);
      return Promise.resolve();
    },
  };
  return { queue, calls, openAtClose };
}

async function start(queue: JobQueue, log: Log = silentLog) {
  database = await openPglite();
  engine = createEngine({
    database,
    queue,
    bus: createLocalBus(),
    handlers: createPhaseHandlers(testCapabilities(), { waitForFilingMs: 20 }),
    log,
    observer: noObserver,
    worker: { concurrency: 1, maxAttempts: 3, leaseMs: 5000, backoff: { baseMs: 10, maxMs: 40 } },
  });
  return engine;
}

const trigger = (key: string): TriggerInput => ({
  phase: 1, userId: 'u-notify', syncId: `s-${key}`, payload: {}, idempotencyKey: key, requestHash: key, source: 'http',
});

it('answers a stored trigger while the queue has not yet taken its notify', async () => {
  const { queue, calls } = heldQueue();
  const engine = await start(queue);
  const accepted = await engine.accept(trigger('held-1'));
  expect(accepted.duplicate).toBe(false);
  expect((await findEvent(database!.db, accepted.eventId))?.status).toBe('pending');
  // The notify was made (and is still open): the answer did not wait for it.
  expect(calls.map((c) => c.jobs.map((j) => j.id))).toEqual([[accepted.eventId]]);
  calls[0]!.resolve();
});

it('logs a failed notify and still answers; the stored event stays pending for the recovery sweep', async () => {
  const { queue, calls } = heldQueue();
  const errors: Array<{ obj: object; msg: string }> = [];
  const engine = await start(queue, { ...silentLog, error: (obj, msg) => errors.push({ obj, msg }) });
  const accepted = await engine.accept(trigger('fails-1'));
  calls[0]!.reject(new Error('redis is down'));
  await expect.poll(() => errors.length).toBe(1);
  expect(errors[0]!.msg).toMatch(/recovery sweep/);
  expect((await findEvent(database!.db, accepted.eventId))?.status).toBe('pending');
});

it('stop() waits for the notifies in flight before it closes the queue', async () => {
  const { queue, calls, openAtClose } = heldQueue();
  const engine = await start(queue);
  await engine.accept(trigger('stop-1'));
  const stopping = engine.stop();
  // Event-loop turns, not time: a stop() that did not wait would reach the queue's close meanwhile.
  for (let turn = 0; turn < 50; turn++) await new Promise((r) => setImmediate(r));
  expect(openAtClose).toEqual([]);
  calls[0]!.resolve();
  await stopping;
  expect(openAtClose).toEqual([0]);
});

it('stop() does not wait past its grace for a queue that never answers, and says so', async () => {
  const { queue, calls, openAtClose } = heldQueue();
  const warnings: string[] = [];
  const engine = await start(queue, { ...silentLog, warn: (_obj, msg) => warnings.push(msg) });
  await engine.accept(trigger('never-1'));
  await engine.stop(0);
  expect(warnings).toEqual([expect.stringMatching(/recovery sweep/)]);
  expect(openAtClose).toEqual([1]);
  calls[0]!.resolve();
});
