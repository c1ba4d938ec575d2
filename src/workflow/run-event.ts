// Runs one delivery of one phase event: acquire it (pending → running), run the phase's handler
// outside any transaction, then commit the outcome — completion, audit, sync_progress, outbox and
// the next phases' inbox rows in one statement, with the phase's business state in the same
// transaction when it has any. The worker then goes on with one more event in the same slot, without
// a trip through the queue: the first next phase, started by that commit, or (none started) the
// lane's next pending event, taken by it. It is committed first, so a crash leaves it for recovery.
import { performance } from 'node:perf_hooks';
import { NonRetryableError, RetryAfterError, errorCode, errorMessage } from '../domain/errors.js';
import { canFollow, PHASES, type PhaseNumber } from '../domain/phase.js';
import { decideRetry, type BackoffPolicy } from '../domain/retry.js';
import type { Database } from '../store/db.js';
import type { JobQueue, TakenJob } from '../queue/job-queue.js';
import type { BusMessage } from '../realtime/bus.js';
import { currentTraceParent, inSpan } from '../observability/tracing.js';
import { createEffects } from './effects.js';
import { createGroupCommitter } from './group-commit.js';
import { acquire, acquireDue, complete, fail, handBack, renewLease, type CompletionResult } from './inbox.js';
import type { Log, WorkflowObserver } from './log.js';
import { recordProgress } from './transitions.js';
import type { LoopStep, NextTrigger, PhaseEvent, PhaseHandlers, PhaseOutcome, TriggerInput } from './types.js';

export interface RunnerOptions {
  readonly database: Database;
  readonly queue: JobQueue;
  readonly handlers: PhaseHandlers;
  readonly workerId: string;
  readonly leaseMs: number;
  /**
   * The longest one attempt may take. Past it the worker stops renewing the lease, so recovery
   * hands the event to another attempt even if this one hangs on a promise that never settles
   * (a provider call without a timeout, say); a late commit of the old attempt is refused by the lease.
   */
  readonly attemptTimeoutMs?: number;
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  readonly log: Log;
  readonly observer: WorkflowObserver;
  /** Called after each commit that wrote outbox rows for the relay to send. */
  readonly onCommitted: () => void;
  /** Sends the messages a commit wrote already published (acquire, complete), once it is committed. */
  readonly send: (messages: readonly BusMessage[]) => void;
  /** Told, after the commit, of a phase's hand-off to a loop. */
  readonly handOff?: (step: LoopStep) => void;
  readonly random?: () => number;
}

class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

class AttemptTimeoutError extends LeaseLostError {}

class HandedBackError extends LeaseLostError {}

export interface EventRunner {
  (eventId: string): Promise<void>;
  /**
   * Gives every attempt still running here back to the inbox (pending, lease cleared, queue
   * notified) and cancels it: for a stop that cannot wait any longer. Returns how many.
   */
  handBack(): Promise<number>;
  /** The same for the attempts of interruptible phases only (PHASES), which a stop does not wait for. */
  handBackInterruptible(): Promise<number>;
  /**
   * Takes no more work in this process, once a stop has begun: an attempt completing now leaves
   * its next phases pending for the queue (another worker), a delivery is passed on unstarted, and
   * takeDue takes nothing. The attempts already running go on.
   */
  stopTaking(): void;
  /** Takes due events from the inbox, started for this worker, as jobs for the queue (TakeDue). */
  takeDue(limit: number): Promise<readonly TakenJob[] | undefined>;
}

export function nextTriggerInput(event: PhaseEvent, next: NextTrigger): TriggerInput {
  // The phase table says what may follow what. A handler asking for anything else is a bug that
  // retrying cannot fix: the event parks with this message and starts nothing.
  if (!canFollow(event.phase, next.phase)) {
    throw new NonRetryableError(`phase ${event.phase} (${PHASES[event.phase].key}) may not start phase ${next.phase}; it may start ${PHASES[event.phase].next.join(', ') || 'none'}`);
  }
  const syncId = next.syncId ?? event.syncId ?? undefined;
  const key = `next:${event.id}:${next.phase}:${next.claimId ?? syncId ?? ''}`;
  return {
    phase: next.phase,
    userId: event.userId,
    sellerId: event.sellerId ?? undefined,
    syncId,
    claimId: next.claimId,
    caseId: next.caseId,
    payload: next.payload ?? {},
    idempotencyKey: key,
    requestHash: key,
    source: 'internal',
    // Called inside the attempt's span: the next phase continues the same trace under it.
    traceParent: currentTraceParent() ?? event.traceParent ?? undefined,
  };
}

export function createRunner(options: RunnerOptions): EventRunner {
  const { db } = options.database;
  const random = options.random ?? Math.random;
  // How long an event waits when another phase of its lane is running.
  const laneBusyDelayMs = Math.min(1000, Math.max(50, Math.floor(options.backoff.baseMs / 4)));
  // The attempts running in this process, by event id: what a stop hands back.
  const running = new Map<string, { readonly controller: AbortController; readonly phase: PhaseNumber }>();
  // Next phases of a lane already held by this worker (started by a commit), not yet running.
  const waiting = new Set<string>();
  // A stop has begun (stopTaking): nothing new starts here.
  let stopping = false;
  // Completions without business state are group-committed: PGlite runs one statement at a time, so
  // one batch in flight, gathering each turn's completions (GroupCommitOptions); a server works on
  // one batch while the next forms.
  const pglite = options.database.kind === 'pglite';
  const committer = createGroupCommitter(db, { maxInFlight: pglite ? 1 : 2, maxBatch: 64, gatherTurn: pglite });

  async function failed(event: PhaseEvent, err: unknown, durationMs: number): Promise<void> {
    const attempt = event.attempts;
    const decision = decideRetry({
      attempt,
      maxAttempts: event.maxAttempts,
      retryable: !(err instanceof NonRetryableError),
      retryAfterMs: err instanceof RetryAfterError ? err.retryAfterMs : undefined,
      policy: options.backoff,
      random: random(),
    });
    const error = { code: errorCode(err), message: errorMessage(err) };
    const runAfter = decision.kind === 'retry' ? new Date(Date.now() + decision.delayMs) : undefined;
    const to = decision.kind === 'retry' ? 'pending' : 'failed';
    const done = await fail(options.database.db, event.id, options.workerId, { to, runAfter, error, durationMs });
    if (!done) return;
    options.onCommitted();
    options.observer.transition(event.phase, to === 'failed' ? 'failed' : 'retried', durationMs);
    const level = to === 'failed' ? 'error' : 'warn';
    options.log[level]({ eventId: event.id, phase: event.phase, attempt, error }, to === 'failed' ? 'phase parked' : 'phase will retry');
    // The lane is free now: events that waited for this worker to take them go to the queue.
    await options.queue.notify([...(runAfter ? [{ id: event.id, runAt: runAfter }] : []), ...done.lanePending.map((p) => ({ id: p.id, runAt: p.runAfter }))]);
  }

  async function commit(event: PhaseEvent, outcome: PhaseOutcome, durationMs: number): Promise<CompletionResult> {
    const completion = {
      result: outcome.data ?? null,
      durationMs,
      next: (outcome.next ?? []).map((n) => nextTriggerInput(event, n)),
      maxAttempts: options.maxAttempts,
      // A stopping worker starts nothing more: the next phases are all left pending and queued,
      // for a worker that stays (without this, each completion chained the next phase here).
      ...(stopping ? {} : { continueWith: { lane: event.lane, phase: event.phase, leaseMs: options.leaseMs } }),
    };
    const apply = outcome.apply;
    const done = apply
      ? await db.transaction(async (tx) => {
          // The completion first: it locks the event row, so the business state is only written
          // while this worker still holds the event.
          const c = await complete(tx, event.id, options.workerId, { ...completion, inTransaction: true });
          if (!c) throw new LeaseLostError('lease lost before commit');
          await apply(tx);
          return c;
        })
      : await committer.complete(event.id, options.workerId, completion);
    if (!done) throw new LeaseLostError('lease lost before commit');
    return done;
  }

  /** Runs an event this worker holds; returns the next events of its lane, already held. */
  async function execute(event: PhaseEvent): Promise<PhaseEvent[]> {
    const controller = new AbortController();
    running.set(event.id, { controller, phase: event.phase });
    const heartbeat = setInterval(() => {
      renewLease(options.database.db, event.id, options.workerId, options.leaseMs).then(
        (ours) => {
          if (!ours) controller.abort(new LeaseLostError('lease lost'));
        },
        (err: unknown) => options.log.warn({ err, eventId: event.id }, 'lease renewal failed'),
      );
    }, Math.max(100, Math.floor(options.leaseMs / 3)));
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut =
      options.attemptTimeoutMs === undefined
        ? undefined
        : new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              clearInterval(heartbeat);
              const err = new AttemptTimeoutError(`the attempt did not finish within ${options.attemptTimeoutMs} ms`);
              controller.abort(err);
              reject(err);
            }, options.attemptTimeoutMs);
          });
    // A stop that hands the event back does not wait for a handler that ignores its signal.
    const handedBack = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => {
        if (controller.signal.reason instanceof HandedBackError) reject(controller.signal.reason);
      });
    });
    handedBack.catch(() => undefined);
    try {
      const attempt = runAndCommit(event, controller, started);
      // The loser of the race is left to settle (or not) on its own; its commit needs the lease.
      attempt.catch(() => undefined);
      return await Promise.race([attempt, handedBack, ...(timedOut ? [timedOut] : [])]);
    } catch (err) {
      const durationMs = Math.round(performance.now() - started);
      if (err instanceof HandedBackError) {
        options.observer.transition(event.phase, 'lost', durationMs);
        options.log.warn({ eventId: event.id, phase: event.phase }, 'phase attempt handed back at shutdown');
        return [];
      }
      if (err instanceof AttemptTimeoutError) {
        options.observer.transition(event.phase, 'lost', durationMs);
        options.log.error({ eventId: event.id, phase: event.phase, timeoutMs: options.attemptTimeoutMs }, 'phase attempt timed out; its lease is left to expire so recovery retries it');
        return [];
      }
      throw err;
    } finally {
      running.delete(event.id);
      clearTimeout(timer);
      clearInterval(heartbeat);
    }
  }

  /** One attempt, as a span under the trace stored with the event (a no-op with tracing off). */
  function runAndCommit(event: PhaseEvent, controller: AbortController, started: number): Promise<PhaseEvent[]> {
    const attributes = { 'clario.phase': event.phase, 'clario.event_id': event.id, 'clario.attempt': event.attempts, 'clario.lane': event.lane };
    return inSpan(`clario.phase ${event.phase}`, { parent: event.traceParent, attributes }, () => attemptAndCommit(event, controller, started));
  }

  async function attemptAndCommit(event: PhaseEvent, controller: AbortController, started: number): Promise<PhaseEvent[]> {
    try {
      const outcome = await options.handlers[event.phase].run({
        event,
        attempt: event.attempts,
        db,
        effects: createEffects(db, event.id),
        signal: controller.signal,
        reportProgress: async (progress) => {
          await db.transaction((tx) => recordProgress(tx, event, progress));
          options.onCommitted();
        },
      });
      if (controller.signal.aborted) throw new LeaseLostError('lease lost while running');
      const durationMs = Math.round(performance.now() - started);
      const done = await commit(event, outcome, durationMs);
      options.send(done.messages);
      // The business state may have written messages of its own (publish()): the relay's.
      if (outcome.apply) options.onCommitted();
      if (outcome.handOff) options.handOff?.(outcome.handOff);
      options.observer.transition(event.phase, 'completed', durationMs);
      await options.queue.notify(done.queued.map((a) => ({ id: a.eventId, runAt: a.runAfter })));
      return done.started;
    } catch (err) {
      const durationMs = Math.round(performance.now() - started);
      // Handed back: execute() has already said so.
      if (controller.signal.reason instanceof HandedBackError) return [];
      if (err instanceof LeaseLostError || controller.signal.aborted) {
        // Someone else owns the event now; their attempt decides. Effects are safe (ledger).
        options.observer.transition(event.phase, 'lost', durationMs);
        options.log.warn({ eventId: event.id, phase: event.phase }, 'lost the event to another worker; dropping this attempt');
        return [];
      }
      await failed(event, err, durationMs);
      return [];
    }
  }

  /** One held event back to the inbox; true when it was still ours. */
  async function giveBack(id: string): Promise<boolean> {
    // The inbox first: once the lease is cleared a late commit of this attempt is refused, so
    // cancelling it after cannot race another worker's attempt.
    const at = await handBack(options.database.db, id, options.workerId);
    running.get(id)?.controller.abort(new HandedBackError('handed back at shutdown'));
    running.delete(id);
    waiting.delete(id);
    if (!at) return false;
    options.onCommitted();
    await options.queue.notify([{ id, runAt: at }]);
    return true;
  }

  async function handBackAll(): Promise<number> {
    stopping = true;
    let count = 0;
    // Until none is left: an attempt that commits meanwhile may hold the next phase of its lane.
    for (let ids = [...running.keys(), ...waiting]; ids.length > 0; ids = [...running.keys(), ...waiting]) {
      for (const id of ids) if (await giveBack(id)) count++;
    }
    return count;
  }

  async function handBackInterruptible(): Promise<number> {
    let count = 0;
    for (const [id, attempt] of [...running]) {
      if (PHASES[attempt.phase].interruptible && (await giveBack(id))) count++;
    }
    return count;
  }

  async function runEvent(eventId: string): Promise<void> {
    if (stopping) {
      // Delivered as the queue stopped taking (a fetch already under way): passed on unstarted, as
      // a fresh job for another worker; this one's consumer fetches no more.
      await options.queue.notify([{ id: eventId, runAt: new Date() }]);
      return;
    }
    const acquired = await acquire(options.database.db, eventId, options.workerId, options.leaseMs, laneBusyDelayMs);
    if (acquired.kind === 'skip') return;
    if (acquired.kind === 'later') {
      await options.queue.notify([{ id: eventId, runAt: acquired.at }]);
      return;
    }
    options.send(acquired.messages);
    await runHeld(acquired.event);
  }

  async function takeDue(limit: number): Promise<readonly TakenJob[] | undefined> {
    if (stopping) return [];
    const taken = await acquireDue(options.database.db, options.workerId, options.leaseMs, limit);
    if (!taken) return undefined;
    options.send(taken.messages);
    for (const e of taken.events) waiting.add(e.id);
    return taken.events.map((e) => ({ id: e.id, run: () => runHeld(e) }));
  }

  /** Runs an event this worker holds, then the next ones of its lane its commits start. */
  async function runHeld(first: PhaseEvent): Promise<void> {
    const held = [first];
    for (let event = held.pop(); event; event = held.pop()) {
      waiting.delete(event.id);
      // A stop is handing events back: this one goes back too rather than start now.
      if (stopping) {
        await giveBack(event.id);
        continue;
      }
      const next = await execute(event);
      for (const e of next) waiting.add(e.id);
      held.push(...next);
    }
  }

  function stopTaking(): void {
    stopping = true;
  }

  return Object.assign(runEvent, { handBack: handBackAll, handBackInterruptible, takeDue, stopTaking });
}
