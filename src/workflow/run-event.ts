// Runs one delivery of one phase event: acquire it (pending → running), run the phase's handler
// outside any transaction, then commit the outcome — business state, audit, sync_progress, outbox
// and the next phase's inbox row — in one transaction that first checks we still hold the event.
import { performance } from 'node:perf_hooks';
import { NonRetryableError, RetryAfterError, errorCode, errorMessage } from '../domain/errors.js';
import { decideRetry, type BackoffPolicy } from '../domain/retry.js';
import type { Database } from '../store/db.js';
import type { JobQueue } from '../queue/job-queue.js';
import { createEffects } from './effects.js';
import { acquire, insertTrigger, renewLease, settle } from './inbox.js';
import type { Log, WorkflowObserver } from './log.js';
import { recordProgress, recordTransition } from './transitions.js';
import type { AcceptedTrigger, NextTrigger, PhaseEvent, PhaseHandlers, TriggerInput } from './types.js';

export interface RunnerOptions {
  readonly database: Database;
  readonly queue: JobQueue;
  readonly handlers: PhaseHandlers;
  readonly workerId: string;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  readonly log: Log;
  readonly observer: WorkflowObserver;
  /** Called after each commit that wrote outbox rows. */
  readonly onCommitted: () => void;
  readonly random?: () => number;
}

class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

export function nextTriggerInput(event: PhaseEvent, next: NextTrigger): TriggerInput {
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
  };
}

export function createRunner(o: RunnerOptions): (eventId: string) => Promise<void> {
  const { db } = o.database;
  const random = o.random ?? Math.random;
  // How long an event waits when another phase of its lane is running.
  const laneBusyDelayMs = Math.min(1000, Math.max(50, Math.floor(o.backoff.baseMs / 4)));

  async function fail(event: PhaseEvent, err: unknown, durationMs: number): Promise<void> {
    const attempt = event.attempts;
    const decision = decideRetry({
      attempt,
      maxAttempts: event.maxAttempts,
      retryable: !(err instanceof NonRetryableError),
      retryAfterMs: err instanceof RetryAfterError ? err.retryAfterMs : undefined,
      policy: o.backoff,
      random: random(),
    });
    const error = { code: errorCode(err), message: errorMessage(err) };
    const runAfter = decision.kind === 'retry' ? new Date(Date.now() + decision.delayMs) : undefined;
    const to = decision.kind === 'retry' ? 'pending' : 'failed';
    const settled = await db.transaction(async (tx) => {
      const ok = await settle(tx, event.id, o.workerId, to, { lastError: error, ...(runAfter ? { runAfter } : {}) });
      if (ok) await recordTransition(tx, { event, from: 'running', to, attempt, workerId: o.workerId, durationMs, error, retryAt: runAfter });
      return ok;
    });
    if (!settled) return;
    o.onCommitted();
    o.observer.transition(event.phase, to === 'failed' ? 'failed' : 'retried', durationMs);
    const level = to === 'failed' ? 'error' : 'warn';
    o.log[level]({ eventId: event.id, phase: event.phase, attempt, error }, to === 'failed' ? 'phase parked' : 'phase will retry');
    if (runAfter) await o.queue.notify([{ id: event.id, runAt: runAfter }]);
  }

  return async function runEvent(eventId: string): Promise<void> {
    const acquired = await db.transaction((tx) => acquire(tx, eventId, o.workerId, o.leaseMs, laneBusyDelayMs));
    if (acquired.kind === 'skip') return;
    if (acquired.kind === 'later') {
      await o.queue.notify([{ id: eventId, runAt: acquired.at }]);
      return;
    }
    o.onCommitted();
    const { event } = acquired;
    const controller = new AbortController();
    const heartbeat = setInterval(() => {
      renewLease(db, event.id, o.workerId, o.leaseMs).then(
        (ours) => {
          if (!ours) controller.abort(new LeaseLostError('lease lost'));
        },
        (err: unknown) => o.log.warn({ err, eventId: event.id }, 'lease renewal failed'),
      );
    }, Math.max(100, Math.floor(o.leaseMs / 3)));
    const started = performance.now();
    try {
      const handler = o.handlers[event.phase];
      const outcome = await handler.run({
        event,
        attempt: event.attempts,
        db,
        effects: createEffects(db, event.id),
        signal: controller.signal,
        reportProgress: async (progress) => {
          await db.transaction((tx) => recordProgress(tx, event, progress));
          o.onCommitted();
        },
      });
      if (controller.signal.aborted) throw new LeaseLostError('lease lost while running');
      const durationMs = Math.round(performance.now() - started);
      const next: AcceptedTrigger[] = await db.transaction(async (tx) => {
        const ours = await settle(tx, event.id, o.workerId, 'completed', { result: outcome.data ?? null, lastError: null });
        if (!ours) throw new LeaseLostError('lease lost before commit');
        await outcome.apply?.(tx);
        await recordTransition(tx, { event, from: 'running', to: 'completed', attempt: event.attempts, workerId: o.workerId, durationMs, data: outcome.data });
        const accepted: AcceptedTrigger[] = [];
        for (const n of outcome.next ?? []) accepted.push(await insertTrigger(tx, nextTriggerInput(event, n), o.maxAttempts));
        return accepted;
      });
      o.onCommitted();
      o.observer.transition(event.phase, 'completed', durationMs);
      const fresh = next.filter((a) => !a.duplicate).map((a) => ({ id: a.eventId, runAt: a.runAfter }));
      await o.queue.notify(fresh);
    } catch (err) {
      const durationMs = Math.round(performance.now() - started);
      if (err instanceof LeaseLostError || controller.signal.aborted) {
        // Someone else owns the event now; their attempt decides. Effects are safe (ledger).
        o.observer.transition(event.phase, 'lost', durationMs);
        o.log.warn({ eventId: event.id, phase: event.phase }, 'lost the event to another worker; dropping this attempt');
        return;
      }
      await fail(event, err, durationMs);
    } finally {
      clearInterval(heartbeat);
    }
  };
}
