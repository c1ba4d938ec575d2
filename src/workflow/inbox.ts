// The inbox (phase_events). Each state change is ONE SQL statement: a compare-and-set on the
// event's status plus the audit, sync_progress and outbox rows (transitions.ts), so it is atomic
// without an explicit transaction and costs one round trip. A unique index allows at most one
// running event per lane, so the database itself keeps a workflow's phases from overlapping.
import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { PhaseError, PhaseErrorCode } from '../domain/errors.js';
import { isPhaseNumber } from '../domain/phase.js';
import type { PhaseStatus } from '../domain/phase-status.js';
import { type Db, rows } from '../store/db.js';
import { laneFor } from './lane.js';
import { transitionCtes, type TransitionPart, type TransitionSpec } from './transitions.js';
import type { AcceptedTrigger, PhaseEvent, TriggerInput } from './types.js';

/** A phase_events row as raw SQL returns it. */
export interface EventRow {
  id: string;
  phase: number;
  user_id: string;
  seller_id: string | null;
  sync_id: string | null;
  claim_id: string | null;
  case_id: string | null;
  lane: string;
  payload: Record<string, unknown>;
  status: PhaseStatus;
  attempts: number;
  max_attempts: number;
  run_after: Date | string;
  created_at: Date | string;
  request_hash: string;
  trace_parent?: string | null;
}

export function toPhaseEvent(r: EventRow): PhaseEvent {
  if (!isPhaseNumber(r.phase)) throw new Error(`corrupt phase_events row ${r.id}: phase ${r.phase}`);
  return {
    id: r.id,
    phase: r.phase,
    userId: r.user_id,
    sellerId: r.seller_id,
    syncId: r.sync_id,
    claimId: r.claim_id,
    caseId: r.case_id,
    lane: r.lane,
    payload: r.payload,
    status: r.status,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    runAfter: new Date(r.run_after),
    createdAt: new Date(r.created_at),
    traceParent: r.trace_parent ?? null,
  };
}

const RUNNING_PER_LANE = 'phase_events_one_running_per_lane';

/** True for the unique violation that means "another phase of this lane is running". */
function isLaneBusy(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const x = e as { code?: unknown; constraint?: unknown; message?: unknown };
    if (x.code === '23505' && (x.constraint === RUNNING_PER_LANE || String(x.message).includes(RUNNING_PER_LANE))) return true;
  }
  return false;
}

export class IdempotencyConflictError extends Error {
  override readonly name = 'IdempotencyConflictError';
  readonly code = 'idempotency_conflict' satisfies PhaseErrorCode;
  constructor(readonly eventId: string) {
    super('this Idempotency-Key was already used for a different request');
  }
}

export function accepted(r: EventRow, duplicate: boolean): AcceptedTrigger {
  const e = toPhaseEvent(r);
  return { eventId: e.id, phase: e.phase, userId: e.userId, syncId: e.syncId, claimId: e.claimId, duplicate, runAfter: e.runAfter };
}

const interval = (ms: number) => sql`${`${ms} milliseconds`}::interval`;

// A new event's columns, named once: the column list and each row's values are both built from
// these arrays, and the value records are typed by them, so the two cannot drift apart.
export const EVENT_COLUMNS = ['id', 'idempotency_key', 'request_hash', 'phase', 'user_id', 'seller_id', 'sync_id', 'claim_id', 'case_id',
  'lane', 'payload', 'source', 'status', 'attempts', 'max_attempts', 'run_after', 'created_at', 'updated_at', 'trace_parent'] as const;
/** An event inserted already running (started on the same lane): it also carries its lease. */
const RUNNING_EVENT_COLUMNS = [...EVENT_COLUMNS, 'locked_by', 'locked_until', 'started_at'] as const;

type EventValues = Record<(typeof EVENT_COLUMNS)[number], SQL>;
type RunningEventValues = Record<(typeof RUNNING_EVENT_COLUMNS)[number], SQL>;

export const columnList = (columns: readonly string[]) => sql.raw(`(${columns.join(', ')})`);
export const valueRow = <C extends string>(columns: readonly C[], values: Record<C, SQL>) => sql`(${sql.join(columns.map((c) => values[c]), sql`, `)})`;

export function eventValues(t: TriggerInput, maxAttempts: number): EventValues {
  return {
    id: sql`${randomUUID()}`,
    idempotency_key: sql`${t.idempotencyKey}`,
    request_hash: sql`${t.requestHash}`,
    phase: sql`${t.phase}::smallint`,
    user_id: sql`${t.userId}`,
    seller_id: sql`${t.sellerId ?? null}::text`,
    sync_id: sql`${t.syncId ?? null}::text`,
    claim_id: sql`${t.claimId ?? null}::text`,
    case_id: sql`${t.caseId ?? null}::text`,
    lane: sql`${laneFor(t.phase, t)}`,
    payload: sql`${JSON.stringify(t.payload)}::jsonb`,
    source: sql`${t.source}`,
    status: sql`'pending'`,
    attempts: sql`0`,
    max_attempts: sql`${maxAttempts}::integer`,
    run_after: sql`now()`,
    created_at: sql`now()`,
    updated_at: sql`now()`,
    trace_parent: sql`${t.traceParent ?? null}::text`,
  };
}

function runningValues(t: TriggerInput, maxAttempts: number, workerId: string, leaseMs: number): RunningEventValues {
  return {
    ...eventValues(t, maxAttempts),
    status: sql`'running'`,
    attempts: sql`1`,
    locked_by: sql`${workerId}::text`,
    locked_until: sql`now() + ${interval(leaseMs)}`,
    started_at: sql`now()`,
  };
}

/**
 * Stores a trigger, once. A repeat of the same idempotency key returns the first event; the same key
 * with a different request is a conflict, never a silent overwrite.
 */
export async function insertTrigger(q: Db, t: TriggerInput, maxAttempts: number): Promise<AcceptedTrigger> {
  const [row] = await rows<EventRow>(q, sql`WITH e AS (
          INSERT INTO phase_events ${columnList(EVENT_COLUMNS)} VALUES ${valueRow(EVENT_COLUMNS, eventValues(t, maxAttempts))}
          ON CONFLICT (idempotency_key) DO NOTHING RETURNING *),
        ${transitionCtes('t', { source: 'e', spec: { from: null, to: 'pending', data: { source: t.source } } })}
        SELECT * FROM e`,
  );
  if (row) return accepted(row, false);
  const [existing] = await rows<EventRow>(q, sql`SELECT * FROM phase_events WHERE idempotency_key = ${t.idempotencyKey}`);
  if (!existing) throw new Error('idempotency key vanished between insert and select');
  if (existing.request_hash !== t.requestHash) throw new IdempotencyConflictError(existing.id);
  return accepted(existing, true);
}

export async function findEvent(q: Db, id: string): Promise<PhaseEvent | undefined> {
  const [row] = await rows<EventRow>(q, sql`SELECT * FROM phase_events WHERE id = ${id}`);
  return row ? toPhaseEvent(row) : undefined;
}

export type AcquireResult =
  | { readonly kind: 'acquired'; readonly event: PhaseEvent }
  /** Another event of the lane is running, or it is not due yet: try again at `at`. */
  | { readonly kind: 'later'; readonly at: Date }
  /** Finished, parked, missing or held by a live worker: nothing to do for this delivery. */
  | { readonly kind: 'skip'; readonly reason: string };

/** Marks a pending, due event running for this worker. */
export async function acquire(q: Db, id: string, workerId: string, leaseMs: number, laneBusyDelayMs: number): Promise<AcquireResult> {
  try {
    const [row] = await rows<EventRow>(q, sql`WITH e AS (
            UPDATE phase_events SET status = 'running', attempts = attempts + 1, locked_by = ${workerId},
              locked_until = now() + ${interval(leaseMs)}, dispatched_until = NULL,
              started_at = coalesce(started_at, now()), updated_at = now()
            WHERE id = ${id} AND status = 'pending' AND run_after <= now()
            RETURNING *),
          ${transitionCtes('t', { source: 'e', spec: { from: 'pending', to: 'running', workerId } })}
          SELECT * FROM e`,
    );
    if (row) return { kind: 'acquired', event: toPhaseEvent(row) };
  } catch (err) {
    if (!isLaneBusy(err)) throw err;
    const at = new Date(Date.now() + laneBusyDelayMs);
    // Hand it back to the poller at that time.
    await rows(q, sql`UPDATE phase_events SET run_after = ${at}, dispatched_until = NULL WHERE id = ${id} AND status = 'pending'`);
    return { kind: 'later', at };
  }
  const [again] = await rows<{ status: PhaseStatus; run_after: Date | string }>(q, sql`SELECT status, run_after FROM phase_events WHERE id = ${id}`);
  if (!again || again.status !== 'pending') return { kind: 'skip', reason: again?.status ?? 'missing' };
  await rows(q, sql`UPDATE phase_events SET dispatched_until = NULL WHERE id = ${id} AND status = 'pending'`);
  return { kind: 'later', at: new Date(again.run_after) };
}

/** Extends this worker's lease; false when the event is no longer ours. */
export async function renewLease(q: Db, id: string, workerId: string, leaseMs: number): Promise<boolean> {
  const r = await rows<{ id: string }>(q, sql`UPDATE phase_events SET locked_until = now() + ${interval(leaseMs)}
        WHERE id = ${id} AND status = 'running' AND locked_by = ${workerId} RETURNING id`,
  );
  return r.length > 0;
}

export interface Completion {
  readonly result: Record<string, unknown> | null;
  readonly durationMs: number;
  readonly next: readonly TriggerInput[];
  readonly maxAttempts: number;
  /**
   * Start the next phases of the same lane right away, for this worker: they are inserted already
   * running (pending → running recorded too), which saves their acquisition.
   */
  readonly startSameLane?: { readonly lane: string; readonly leaseMs: number };
}

export interface CompletionResult {
  /** Next events left pending, for the queue. */
  readonly queued: AcceptedTrigger[];
  /** Next events of the same lane, already running for this worker. */
  readonly started: PhaseEvent[];
}

/**
 * running → completed, if this worker still holds the event, with the next phases' inbox rows.
 * Returns undefined when the event is no longer ours (nothing was written).
 */
export async function complete(q: Db, id: string, workerId: string, c: Completion): Promise<CompletionResult | undefined> {
  try {
    return await completeOnce(q, id, workerId, c, c.startSameLane);
  } catch (err) {
    // Another phase of the lane is running (triggered from outside): queue ours behind it.
    if (c.startSameLane && isLaneBusy(err)) return completeOnce(q, id, workerId, c, undefined);
    throw err;
  }
}

async function completeOnce(
  q: Db,
  id: string,
  workerId: string,
  c: Completion,
  start: Completion['startSameLane'],
): Promise<CompletionResult | undefined> {
  const startNow = (t: TriggerInput) => start !== undefined && laneFor(t.phase, t) === start.lane;
  const queuedNext = c.next.filter((t) => !startNow(t));
  const startedNext = c.next.filter(startNow);
  const completed: TransitionPart = {
    source: 'e',
    spec: { from: 'running', to: 'completed', workerId, durationMs: c.durationMs, data: c.result ?? undefined },
  };
  const parts: TransitionPart[] = [completed];
  const ctes: SQL[] = [];
  if (queuedNext.length > 0) {
    ctes.push(sql`q AS (
      INSERT INTO phase_events ${columnList(EVENT_COLUMNS)}
      SELECT * FROM (VALUES ${sql.join(queuedNext.map((t) => valueRow(EVENT_COLUMNS, eventValues(t, c.maxAttempts))), sql`, `)}) v
      WHERE EXISTS (SELECT 1 FROM e)
      ON CONFLICT (idempotency_key) DO NOTHING RETURNING *)`);
    parts.push({ source: 'q', spec: { from: null, to: 'pending', data: { source: 'internal' } } });
  }
  if (start && startedNext.length > 0) {
    ctes.push(sql`s AS (
      INSERT INTO phase_events ${columnList(RUNNING_EVENT_COLUMNS)}
      SELECT * FROM (VALUES ${sql.join(startedNext.map((t) => valueRow(RUNNING_EVENT_COLUMNS, runningValues(t, c.maxAttempts, workerId, start.leaseMs))), sql`, `)}) v
      WHERE EXISTS (SELECT 1 FROM e)
      ON CONFLICT (idempotency_key) DO NOTHING RETURNING *)`);
    parts.push({ source: 's', spec: { from: null, to: 'pending', data: { source: 'internal' }, attempt: 0 }, progress: false });
    parts.push({ source: 's', spec: { from: 'pending', to: 'running', workerId } });
  }
  const result = await rows<EventRow & { kind: 'e' | 'q' | 's' }>(q, sql`WITH e AS (
          UPDATE phase_events SET status = 'completed', locked_by = NULL, locked_until = NULL, dispatched_until = NULL,
            result = ${c.result === null ? null : JSON.stringify(c.result)}::jsonb, last_error = NULL, completed_at = now(), updated_at = now()
          WHERE id = ${id} AND status = 'running' AND locked_by = ${workerId}
          RETURNING *),
        ${sql.join([...ctes, transitionCtes('t', ...parts)], sql`,`)}
        SELECT 'e' AS kind, e.* FROM e
        ${queuedNext.length > 0 ? sql`UNION ALL SELECT 'q' AS kind, q.* FROM q` : sql``}
        ${start && startedNext.length > 0 ? sql`UNION ALL SELECT 's' AS kind, s.* FROM s` : sql``}`,
  );
  if (!result.some((r) => r.kind === 'e')) return undefined;
  return {
    queued: result.filter((r) => r.kind === 'q').map((r) => accepted(r, false)),
    started: result.filter((r) => r.kind === 's').map(toPhaseEvent),
  };
}

/** running → pending (retry at `runAfter`) or failed (parked), if this worker still holds it. */
export async function fail(
  q: Db,
  id: string,
  workerId: string,
  f: { to: 'pending' | 'failed'; runAfter?: Date | undefined; error: PhaseError; durationMs: number },
): Promise<boolean> {
  const spec: TransitionSpec = { from: 'running', to: f.to, workerId, durationMs: f.durationMs, error: f.error, retryAt: f.runAfter };
  const r = await rows<{ id: string }>(q, sql`WITH e AS (
          UPDATE phase_events SET status = ${f.to}, locked_by = NULL, locked_until = NULL, dispatched_until = NULL,
            last_error = ${JSON.stringify(f.error)}::jsonb, updated_at = now()
            ${f.runAfter ? sql`, run_after = ${f.runAfter}` : sql``}
          WHERE id = ${id} AND status = 'running' AND locked_by = ${workerId}
          RETURNING *),
        ${transitionCtes('t', { source: 'e', spec })}
        SELECT id FROM e`,
  );
  return r.length > 0;
}

/**
 * running → pending at once, if this worker still holds the event: a stopping worker gives back an
 * attempt it could not finish in time, so another worker takes it now rather than when the lease
 * expires. The attempt is not counted (it was interrupted, not failed). Returns the run time.
 */
export async function handBack(q: Db, id: string, workerId: string): Promise<Date | undefined> {
  const error: PhaseError = { code: 'worker_stopping', message: 'the worker stopped before this attempt finished; handed back' };
  const [row] = await rows<{ run_after: Date | string }>(q, sql`WITH e AS (
          UPDATE phase_events SET status = 'pending', attempts = greatest(attempts - 1, 0), locked_by = NULL, locked_until = NULL,
            dispatched_until = NULL, run_after = now(), last_error = ${JSON.stringify(error)}::jsonb, updated_at = now()
          WHERE id = ${id} AND status = 'running' AND locked_by = ${workerId}
          RETURNING *),
        ${transitionCtes('t', { source: 'e', spec: { from: 'running', to: 'pending', workerId, error } })}
        SELECT run_after FROM e`,
  );
  return row ? new Date(row.run_after) : undefined;
}

/** Events whose worker vanished (lease expired): back to pending, or parked if out of attempts. */
export async function reclaimExpired(q: Db, limit: number): Promise<Array<{ event: PhaseEvent; to: PhaseStatus }>> {
  const out: Array<{ event: PhaseEvent; to: PhaseStatus }> = [];
  for (const to of ['pending', 'failed'] as const) {
    const error: PhaseError = { code: 'worker_lost', message: 'the worker running this phase stopped answering (lease expired)' };
    const found = await rows<EventRow>(q, sql`WITH e AS (
            UPDATE phase_events SET status = ${to}, locked_by = NULL, locked_until = NULL, dispatched_until = NULL,
              run_after = now(), last_error = ${JSON.stringify(error)}::jsonb, updated_at = now()
            WHERE id IN (
              SELECT id FROM phase_events WHERE status = 'running' AND locked_until < now()
                AND ${to === 'failed' ? sql`attempts >= max_attempts` : sql`attempts < max_attempts`}
              ORDER BY locked_until LIMIT ${limit} FOR UPDATE SKIP LOCKED)
            RETURNING *),
          ${transitionCtes('t', { source: 'e', spec: { from: 'running', to, error } })}
          SELECT * FROM e`,
    );
    for (const row of found) out.push({ event: toPhaseEvent(row), to });
  }
  return out;
}

/** A parked event goes back to pending with a fresh set of attempts. */
export async function replayFailed(q: Db, id: string): Promise<PhaseEvent | undefined> {
  const [row] = await rows<EventRow>(q, sql`WITH e AS (
          UPDATE phase_events SET status = 'pending', attempts = 0, run_after = now(), dispatched_until = NULL, updated_at = now()
          WHERE id = ${id} AND status = 'failed' RETURNING *),
        ${transitionCtes('t', { source: 'e', spec: { from: 'failed', to: 'pending', data: { replayed: true } } })}
        SELECT * FROM e`,
  );
  return row ? toPhaseEvent(row) : undefined;
}

/** Pending events that are due and were not touched for a while: their queue message may be lost. */
export async function staleDue(q: Db, olderThanMs: number, limit: number): Promise<Array<{ id: string; runAfter: Date }>> {
  const r = await rows<{ id: string; run_after: Date | string }>(q, sql`SELECT id, run_after FROM phase_events WHERE status = 'pending' AND run_after <= now()
        AND updated_at < now() - ${interval(olderThanMs)} ORDER BY run_after LIMIT ${limit}`,
  );
  return r.map((x) => ({ id: x.id, runAfter: new Date(x.run_after) }));
}

