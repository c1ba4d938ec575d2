// The durable runner, assembled: intake, the worker loop, recovery and the outbox relay.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { BackoffPolicy } from '../domain/retry.js';
import { DEFAULT_SHUTDOWN_GRACE_MS, type JobQueue, type QueueJob, within } from '../queue/job-queue.js';
import type { MessageBus } from '../realtime/bus.js';
import type { Database } from '../store/db.js';
import { asIntake, outsideIntake } from '../store/pglite-gate.js';
import { acceptTrigger } from './accept-trigger.js';
import { createBatcher, type Settled } from './batcher.js';
import { findEvent, replayFailed } from './inbox.js';
import type { Log, WorkflowObserver } from './log.js';
import { createOutboxRelay } from './outbox-relay.js';
import { insertTriggers } from './insert-triggers.js';
import { createSweeper } from './recovery.js';
import { createRunner } from './run-event.js';
import type { AcceptedTrigger, LoopStep, PhaseEvent, PhaseHandlers, TriggerInput } from './types.js';

export interface EngineOptions {
  readonly database: Database;
  readonly queue: JobQueue;
  readonly bus: MessageBus;
  readonly handlers: PhaseHandlers;
  /** Where a phase's hand-off to a loop goes (steps.ts); loops run in worker processes. */
  readonly handOff?: (step: LoopStep) => void;
  readonly log: Log;
  readonly observer: WorkflowObserver;
  readonly worker: {
    readonly concurrency: number;
    readonly maxAttempts: number;
    readonly leaseMs: number;
    /** See RunnerOptions.attemptTimeoutMs. */
    readonly attemptTimeoutMs?: number;
    readonly backoff: BackoffPolicy;
  };
  readonly workerId?: string;
}

export interface Engine {
  readonly workerId: string;
  /** Stores a trigger (once per idempotency key) and hands it to the queue. */
  accept(trigger: TriggerInput): Promise<AcceptedTrigger>;
  /** Moves a parked event back to pending. Undefined when it is not parked. */
  replay(eventId: string): Promise<PhaseEvent | undefined>;
  findEvent(eventId: string): Promise<PhaseEvent | undefined>;
  /** Starts processing in this process: recovery first, then the queue. */
  startWorker(): Promise<void>;
  /** Relays outbox rows to the bus (API processes run this too: intake writes messages). */
  startRelay(): void;
  drainOutbox(): Promise<void>;
  /**
   * Starts nothing more in this process, once a shutdown has begun: the queue stops delivering,
   * and a phase completing here leaves its next phases pending for another worker instead of
   * running them. The attempts already running go on; stop() waits for them. stop() does this first.
   */
  stopTaking(): Promise<void>;
  /**
   * Stops taking work and waits up to `graceMs` for the attempts running here; those still
   * running then are handed back to the inbox for another worker, then the outbox is drained.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Triggers stored by one statement, at most. */
const INTAKE_BATCH = 64;
/**
 * Intake statements running at once: more than one keeps a PostgreSQL pool busy while a batch
 * commits; later triggers gather meanwhile into the next batch. Four rather than two halved the
 * median wait at 1,000 triggers/s (measured while each batch also waited for the queue's notify);
 * batches that share lanes take their locks in one order (insert-triggers.ts), so more in flight
 * cannot deadlock.
 */
const INTAKE_BATCHES_IN_FLIGHT = 4;

export function createEngine(options: EngineOptions): Engine {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const relay = createOutboxRelay({ database: options.database, bus: options.bus, log: options.log, intervalMs: 1000 });
  const onCommitted = () => relay.poke();
  const sweeper = createSweeper({
    database: options.database,
    queue: options.queue,
    intervalMs: Math.max(250, Math.floor(options.worker.leaseMs / 2)),
    log: options.log,
    onCommitted,
  });
  const run = createRunner({
    database: options.database,
    queue: options.queue,
    handlers: options.handlers,
    workerId,
    leaseMs: options.worker.leaseMs,
    ...(options.worker.attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs: options.worker.attemptTimeoutMs }),
    maxAttempts: options.worker.maxAttempts,
    backoff: options.worker.backoff,
    log: options.log,
    observer: options.observer,
    onCommitted,
    send: (messages) => relay.send(messages),
    ...(options.handOff ? { handOff: options.handOff } : {}),
  });
  // Intake batching: concurrent triggers are stored by one statement and handed to the queue by one
  // call; each caller is answered once its own trigger is stored, as when alone.
  const intake = createBatcher<TriggerInput, AcceptedTrigger>(
    async (triggers): Promise<Array<Settled<AcceptedTrigger>>> => {
      const results = await insertTriggers(options.database.db, triggers, options.worker.maxAttempts, relay);
      const fresh = results.flatMap((r) => (r.ok && !r.value.duplicate ? [r.value] : []));
      if (fresh.length > 0) notifyInBackground(fresh.map((a) => ({ id: a.eventId, runAt: a.runAfter })));
      return results;
    },
    { maxBatch: INTAKE_BATCH, maxInFlight: INTAKE_BATCHES_IN_FLIGHT },
  );
  // Callers are answered once their triggers are stored, not once the queue has heard of them: the
  // queue is a wake-up, the inbox the truth. A notify lost here (Redis down, a crash) is sent again
  // by the recovery sweep, which re-sends due events left pending (recovery.ts); stop() waits for
  // the notifies in flight, so a clean shutdown loses none.
  const notifying = new Set<Promise<void>>();
  function notifyInBackground(jobs: QueueJob[]): void {
    // What a notify wakes (a consumer's fetch) is the workers' work, not intake.
    const sent = outsideIntake(() => options.queue.notify(jobs)).then(
      () => undefined,
      (err: unknown) => options.log.error({ err, events: jobs.length }, 'queue notify failed; the recovery sweep sends these events again'),
    );
    notifying.add(sent);
    void sent.finally(() => notifying.delete(sent));
  }
  let working = false;
  let relaying = false;
  async function stopTaking(): Promise<void> {
    run.stopTaking();
    await options.queue.pause();
  }

  return {
    workerId,
    // Intake: on PGlite its queries go ahead of the workers' (store/pglite-gate.ts).
    accept: (trigger) => asIntake(() => acceptTrigger(options.database, trigger, (t) => intake.submit(t))),
    async replay(eventId) {
      const event = await replayFailed(options.database.db, eventId);
      if (event) {
        onCommitted();
        await options.queue.notify([{ id: event.id, runAt: new Date() }]);
      }
      return event;
    },
    findEvent: (id) => findEvent(options.database.db, id),
    async startWorker() {
      if (working) return;
      working = true;
      await sweeper.sweepOnce();
      sweeper.start();
      await options.queue.consume(run, { concurrency: options.worker.concurrency, take: (limit) => run.takeDue(limit) });
    },
    startRelay() {
      if (relaying) return;
      relaying = true;
      relay.start();
      relay.poke();
    },
    drainOutbox: () => relay.drain(),
    stopTaking,
    async stop(graceMs = DEFAULT_SHUTDOWN_GRACE_MS) {
      await stopTaking();
      // Bounded: a queue that never answers (Redis down) must not hold the shutdown; the recovery
      // sweep of a process still running, or of the next to start, sends those events.
      if (!(await within(Promise.all(notifying), graceMs))) {
        options.log.warn({ batches: notifying.size }, 'queue notifies still unanswered at shutdown; the recovery sweep sends their events');
      }
      await sweeper.stop();
      const closing = options.queue.close(graceMs, async () => {
        const count = await run.handBack();
        if (count > 0) options.log.warn({ count, graceMs }, 'phase attempts still running at shutdown were handed back');
      });
      // Awaited below; handled now so that a close failing while the hand-back runs is not an
      // unhandled rejection (which would end the process).
      closing.catch(() => undefined);
      // The queue takes no new jobs now (one it was already taking may still start, and is then
      // waited for up to the bound); a sync under way is not waited for (PHASES: interruptible).
      const early = await run.handBackInterruptible().catch((err: unknown) => {
        options.log.error({ err }, 'handing back the syncs under way failed; they are waited for, then handed back at the bound');
        return 0;
      });
      if (early > 0) options.log.info({ count: early }, 'syncs under way were handed back at shutdown; they resume on the next worker to start');
      await closing;
      await relay.drain();
      await relay.stop();
    },
  };
}
