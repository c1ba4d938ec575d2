// The inbox (phase_events). Each state change is ONE SQL statement: a compare-and-set on the
// event's status plus the audit, sync_progress and outbox rows (transitions.ts), so it is atomic
// without an explicit transaction and costs one round trip. A unique index allows at most one
// running event per lane, so the database itself keeps a workflow's phases from overlapping; and a
// lane runs its events in the order they were stored (store/lane-order.ts), whichever job comes first.
import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { PhaseError, PhaseErrorCode } from '../domain/errors.js';
import { isPhaseNumber } from '../domain/phase.js';
import type { PhaseStatus } from '../domain/phase-status.js';
import { type Db, type PreparedStatement, prepareStatement, rows, runPrepared } from '../store/db.js';
import { dueUnheld, heldByEarlier, laneHolds, laneOrder } from '../store/lane-order.js';
import { laneFor } from './lane.js';
import type { BusMessage } from '../realtime/bus.js';
import { publishedTransitionCtes, transitionCtes, type TransitionPart, type TransitionSpec } from './transitions.js';
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

/**
 * The lane's first pending event that may start now, locked for a completion to take: due or never
 * tried, not held by an earlier one (heldByEarlier), not of `phase` (the completion's own
 * sync_progress row), not being taken by another. (The running check of laneHolds would see the
 * completing event itself, still running in this statement's snapshot.)
 */
function laneHead(lane: SQL, phase: SQL): SQL {
  return sql`SELECT f.id FROM phase_events f
        WHERE f.id = (SELECT h.id FROM phase_events h
            WHERE h.lane = ${lane} AND h.status = 'pending' AND (h.attempts = 0 OR h.run_after <= now()) AND NOT ${heldByEarlier('h')}
            ORDER BY ${sql.raw(laneOrder('h'))} LIMIT 1)
          AND f.phase <> ${phase}
        FOR UPDATE SKIP LOCKED`;
}

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

type EventColumn = (typeof EVENT_COLUMNS)[number];

// Columns the database fills in, the same for every new event.
const EVENT_CONSTANTS = { status: sql.raw(`'pending'`), attempts: sql.raw('0'), run_after: sql.raw('now()'), created_at: sql.raw('now()'), updated_at: sql.raw('now()') };
type EventParamColumn = Exclude<EventColumn, keyof typeof EVENT_CONSTANTS>;
// The casts that type a parameter for PostgreSQL (a null one above all).
const EVENT_CASTS: Partial<Record<EventParamColumn, string>> = {
  phase: '::smallint', seller_id: '::text', sync_id: '::text', claim_id: '::text', case_id: '::text',
  payload: '::jsonb', max_attempts: '::integer', trace_parent: '::text',
};

export const columnList = (columns: readonly string[]) => sql.raw(`(${columns.join(', ')})`);

/** A new event's parameters: what varies from one event to the next. */
export type EventParams = Record<EventParamColumn, unknown>;

export function eventParams(t: TriggerInput, maxAttempts: number): EventParams {
  return { ...newEventFields(t), payload: JSON.stringify(t.payload), max_attempts: maxAttempts };
}

/** What every new event takes from its trigger, however it is inserted (a row of values, a jsonb record). */
function newEventFields(t: TriggerInput) {
  return {
    id: randomUUID(),
    idempotency_key: t.idempotencyKey,
    request_hash: t.requestHash,
    phase: t.phase,
    user_id: t.userId,
    seller_id: t.sellerId ?? null,
    sync_id: t.syncId ?? null,
    claim_id: t.claimId ?? null,
    case_id: t.caseId ?? null,
    lane: laneFor(t.phase, t),
    source: t.source,
    trace_parent: t.traceParent ?? null,
  };
}

/** A new event's row of values (in EVENT_COLUMNS order), each parameter given by `param`: a value or a placeholder. */
export function eventRow(param: (column: EventParamColumn) => SQL): SQL {
  return sql`(${sql.join(
    EVENT_COLUMNS.map((c) => (c in EVENT_CONSTANTS ? EVENT_CONSTANTS[c as keyof typeof EVENT_CONSTANTS] : sql`${param(c as EventParamColumn)}${sql.raw(EVENT_CASTS[c as EventParamColumn] ?? '')}`)),
    sql`, `,
  )})`;
}

/**
 * Stores a trigger, once. A repeat of the same idempotency key returns the first event; the same key
 * with a different request is a conflict, never a silent overwrite.
 */
export async function insertTrigger(q: Db, t: TriggerInput, maxAttempts: number): Promise<AcceptedTrigger> {
  const params = eventParams(t, maxAttempts);
  const [row] = await rows<EventRow>(q, sql`WITH e AS (
          INSERT INTO phase_events ${columnList(EVENT_COLUMNS)} VALUES ${eventRow((c) => sql`${params[c]}`)}
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
  /** `messages`: written already published, for the caller to send (publishedTransitionCtes). */
  | { readonly kind: 'acquired'; readonly event: PhaseEvent; readonly messages: BusMessage[] }
  /** Another event of the lane is running or stored before it waits, or it is not due yet: try again at `at`. */
  | { readonly kind: 'later'; readonly at: Date }
  /** Finished, parked, missing or held by a live worker: nothing to do for this delivery. */
  | { readonly kind: 'skip'; readonly reason: string };

/** A named placeholder, bound when a statement built once (prepareStatement) is run. */
export const ph = (name: string): SQL => sql`${sql.placeholder(name)}`;
const leaseInterval = (leaseMs: number) => `${leaseMs} milliseconds`;

// What the hot statements return: event rows by `kind`, and (kind 'o') the outbox rows they wrote
// already published, in the same columns (seq in `id`, the message in `payload`).
export const EVENT_FIELDS = 'id, phase, user_id, seller_id, sync_id, claim_id, case_id, lane, payload, status, attempts, max_attempts, run_after, created_at, request_hash, trace_parent';
export const OUTBOX_AS_EVENT = `seq::text, NULL::smallint, user_id, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, payload,
  NULL::text, NULL::integer, NULL::integer, NULL::timestamptz, NULL::timestamptz, NULL::text, NULL::text`;

/** The messages among a hot statement's rows, in seq order, as the relay would send them. */
export function sentMessages(result: ReadonlyArray<EventRow & { kind: string }>): BusMessage[] {
  const out: BusMessage[] = [];
  for (const r of result) {
    if (r.kind !== 'o') continue;
    const seq = Number(r.id);
    out.push({ seq, userId: r.user_id, type: String(r.payload.type), payload: { ...r.payload, seq } });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** The SET list that starts a pending event for `worker` (acquire, acquireDue, a completion's take). */
const startFor = (worker: SQL, lease: SQL) => sql`status = 'running', attempts = attempts + 1, locked_by = ${worker},
      locked_until = now() + (${lease})::interval, dispatched_until = NULL,
      started_at = coalesce(started_at, now()), updated_at = now()`;

/** Starts the pending events `which` selects for the worker, with their transitions, messages returned. */
const acquireStatement = (name: string, which: SQL) =>
  prepareStatement<EventRow & { kind: 'e' | 'o' }>(name, sql`WITH e AS (
    UPDATE phase_events SET ${startFor(ph('worker'), ph('lease'))}
    WHERE ${which}
    RETURNING *),
  ${publishedTransitionCtes('t', { source: 'e', spec: { from: 'pending', to: 'running', workerId: ph('worker') } })}
  ${sql.raw(`SELECT 'e' AS kind, ${EVENT_FIELDS} FROM e UNION ALL SELECT 'o' AS kind, ${OUTBOX_AS_EVENT} FROM t_outbox`)}`);

// The hot statements (acquire, renew, complete) are built once; see prepareStatement.
const ACQUIRE = acquireStatement('acquire', sql`id = ${ph('id')} AND status = 'pending' AND run_after <= now() AND NOT ${laneHolds('phase_events')}`);

/** Marks a pending, due event running for this worker, unless its lane holds it (laneHolds). */
export async function acquire(q: Db, id: string, workerId: string, leaseMs: number, laneBusyDelayMs: number): Promise<AcquireResult> {
  try {
    const result = await runPrepared(q, ACQUIRE, { id, worker: workerId, lease: leaseInterval(leaseMs) });
    const row = result.find((r) => r.kind === 'e');
    if (row) return { kind: 'acquired', event: toPhaseEvent(row), messages: sentMessages(result) };
  } catch (err) {
    // Another event of the lane started after this statement's snapshot: the lane holds it too.
    if (!isLaneBusy(err)) throw err;
  }
  // Still pending: a due one was held by its lane and tries again after the delay (else the queue
  // would hand it straight back); one not due yet keeps its time. Either goes back to the poller.
  const [later] = await rows<{ run_after: Date | string }>(q, sql`UPDATE phase_events SET dispatched_until = NULL,
          run_after = CASE WHEN run_after <= now() THEN now() + ${interval(laneBusyDelayMs)} ELSE run_after END
        WHERE id = ${id} AND status = 'pending' RETURNING run_after`);
  if (later) return { kind: 'later', at: new Date(later.run_after) };
  const [gone] = await rows<{ status: PhaseStatus }>(q, sql`SELECT status FROM phase_events WHERE id = ${id}`);
  return { kind: 'skip', reason: gone?.status ?? 'missing' };
}

// The events the postgres queue would dispatch (dueUnheld), started for this worker. Two due events
// of one lane in one batch are refused by the one-running-per-lane index: the statement fails, and
// the caller dispatches instead.
const ACQUIRE_DUE = acquireStatement('acquire_due', sql`id IN (${dueUnheld(sql`(${ph('limit')})::integer`)})`);

/**
 * Up to `limit` due events that their lanes let start, marked running for this worker by one
 * statement (acquire for a batch, for a queue that reads the inbox). Undefined when two of them
 * met on a lane; nothing was taken then.
 */
export async function acquireDue(q: Db, workerId: string, leaseMs: number, limit: number): Promise<{ events: PhaseEvent[]; messages: BusMessage[] } | undefined> {
  try {
    const result = await runPrepared(q, ACQUIRE_DUE, { worker: workerId, lease: leaseInterval(leaseMs), limit });
    return { events: result.filter((r) => r.kind === 'e').map(toPhaseEvent), messages: sentMessages(result) };
  } catch (err) {
    if (isLaneBusy(err)) return undefined;
    throw err;
  }
}

const RENEW = prepareStatement<{ id: string }>('renew', sql`UPDATE phase_events SET locked_until = now() + (${ph('lease')})::interval
  WHERE id = ${ph('id')} AND status = 'running' AND locked_by = ${ph('worker')} RETURNING id`);

/** Extends this worker's lease; false when the event is no longer ours. */
export async function renewLease(q: Db, id: string, workerId: string, leaseMs: number): Promise<boolean> {
  const r = await runPrepared(q, RENEW, { id, worker: workerId, lease: leaseInterval(leaseMs) });
  return r.length > 0;
}

export interface Completion {
  readonly result: Record<string, unknown> | null;
  readonly durationMs: number;
  readonly next: readonly TriggerInput[];
  readonly maxAttempts: number;
  /**
   * This worker goes on with one more event in the same slot instead of a trip through the queue:
   * the first next phase (one of the completed event's own lane first, whose lane is free now),
   * inserted already running; or, when the phase starts none, the first pending event of its lane
   * if it may start (laneHead), acquired by the same statement. Either is recorded with the commit:
   * the first as created running (one status change), the second as pending → running.
   */
  readonly continueWith?: { readonly lane: string; readonly phase: number; readonly leaseMs: number };
  /** The completion runs inside the caller's transaction: a lane conflict is retried under a savepoint. */
  readonly inTransaction?: boolean;
}

export interface CompletionResult {
  /** Next events left pending, for the queue. */
  readonly queued: AcceptedTrigger[];
  /**
   * Next events left pending behind the one this worker started in their lane: not sent to the
   * queue (they could only find the lane busy); this worker's completion of the lane takes them.
   */
  readonly held: AcceptedTrigger[];
  /** The event this worker runs next, already running for it (at most one). */
  readonly started: PhaseEvent[];
  /** The messages the commit wrote already published: the caller sends them once it is committed. */
  readonly messages: BusMessage[];
}

/**
 * running → completed, if this worker still holds the event, with the next phases' inbox rows.
 * Returns undefined when the event is no longer ours (nothing was written).
 */
export async function complete(q: Db, id: string, workerId: string, c: Completion): Promise<CompletionResult | undefined> {
  if (!c.continueWith) return completeOnce(q, id, workerId, c, undefined);
  const go = c.continueWith;
  try {
    // In a transaction a failed statement aborts it: the attempt that may conflict runs under a savepoint.
    return c.inTransaction ? await q.transaction((sp) => completeOnce(sp, id, workerId, c, go)) : await completeOnce(q, id, workerId, c, go);
  } catch (err) {
    // The lane of the phase to start is busy (a trigger from outside runs there), or another worker
    // took the lane first: everything goes to the queue instead.
    if (isLaneBusy(err)) return completeOnce(q, id, workerId, c, undefined);
    throw err;
  }
}

// A next event as one element of a jsonb array (jsonb_to_recordset): the completion's text is the
// same whatever the number of next events.
const NEXT_RECORD = sql.raw(`v(id text, idempotency_key text, request_hash text, phase smallint, user_id text, seller_id text, sync_id text,
  claim_id text, case_id text, lane text, payload jsonb, source text, trace_parent text)`);
const NEXT_VALUES = sql.raw('v.id, v.idempotency_key, v.request_hash, v.phase, v.user_id, v.seller_id, v.sync_id, v.claim_id, v.case_id, v.lane, v.payload, v.source');

function nextRecord(t: TriggerInput) {
  return { ...newEventFields(t), payload: t.payload };
}

/**
 * running → completed with, only if that happened, (q) the next events left pending, (s) the one
 * started running for this worker, and (n, `take`) the lane's first pending event if it may start
 * (laneHead: due, and not of this phase, whose sync_progress row is the one `e` completes), taken
 * for this worker.
 * EXISTS (SELECT 1 FROM e) runs the completion first, so the lane is free when s or n turns running.
 * One text per shape (which of q, s, n it has: fewer CTEs to plan and run), built the first time.
 */
type CompleteShape = { readonly q: boolean; readonly s: boolean; readonly n: boolean };
type CompleteRow = EventRow & { kind: 'e' | 'q' | 's' | 'n' | 'o' };
const completeStatements = new Map<string, PreparedStatement<CompleteRow>>();

function completeStatement(shape: CompleteShape): PreparedStatement<CompleteRow> {
  const key = `${shape.q ? 'q' : ''}${shape.s ? 's' : ''}${shape.n ? 'n' : ''}`;
  const found = completeStatements.get(key);
  if (found) return found;
  const ctes: SQL[] = [];
  const parts: TransitionPart[] = [
    { source: 'e', spec: { from: 'running', to: 'completed', workerId: ph('worker'), durationMs: ph('durationMs'), data: ph('result') } },
  ];
  if (shape.q) {
    ctes.push(sql`q AS (
    INSERT INTO phase_events (id, idempotency_key, request_hash, phase, user_id, seller_id, sync_id, claim_id, case_id, lane, payload, source,
      status, attempts, max_attempts, run_after, created_at, updated_at, trace_parent)
    SELECT ${NEXT_VALUES}, 'pending', 0, (${ph('maxAttempts')})::integer, now(), now(), now(), v.trace_parent
    FROM jsonb_to_recordset((${ph('queued')})::jsonb) AS ${NEXT_RECORD}
    WHERE EXISTS (SELECT 1 FROM e)
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING *)`);
    parts.push({ source: 'q', spec: { from: null, to: 'pending', data: { source: 'internal' } } });
  }
  if (shape.s) {
    ctes.push(sql`s AS (
    INSERT INTO phase_events (id, idempotency_key, request_hash, phase, user_id, seller_id, sync_id, claim_id, case_id, lane, payload, source,
      status, attempts, max_attempts, run_after, created_at, updated_at, trace_parent, locked_by, locked_until, started_at)
    SELECT ${NEXT_VALUES}, 'running', 1, (${ph('maxAttempts')})::integer, now(), now(), now(), v.trace_parent,
      ${ph('worker')}, now() + (${ph('lease')})::interval, now()
    FROM jsonb_to_recordset((${ph('started')})::jsonb) AS ${NEXT_RECORD}
    WHERE EXISTS (SELECT 1 FROM e)
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING *)`);
    parts.push({ source: 's', spec: { from: null, to: 'running', workerId: ph('worker'), data: { source: 'internal' } } });
  }
  if (shape.n) {
    ctes.push(sql`n AS (
    UPDATE phase_events SET ${startFor(ph('worker'), ph('lease'))}
    WHERE id = (${laneHead(ph('lane'), sql`(${ph('phase')})::smallint`)})
      AND status = 'pending' AND EXISTS (SELECT 1 FROM e)
    RETURNING *)`);
    parts.push({ source: 'n', spec: { from: 'pending', to: 'running', workerId: ph('worker') } });
  }
  const sources = parts.map((p) => p.source).filter((x, i, all) => all.indexOf(x) === i);
  const statement = prepareStatement<CompleteRow>(`complete_${key || 'e'}`, sql`WITH e AS (
    UPDATE phase_events SET status = 'completed', locked_by = NULL, locked_until = NULL, dispatched_until = NULL,
      result = (${ph('result')})::jsonb, last_error = NULL, completed_at = now(), updated_at = now()
    WHERE id = ${ph('id')} AND status = 'running' AND locked_by = ${ph('worker')}
    RETURNING *),
  ${sql.join([...ctes, publishedTransitionCtes('t', ...parts)], sql`,`)}
  ${sql.join([...sources.map((x) => sql.raw(`SELECT '${x}' AS kind, ${EVENT_FIELDS} FROM ${x}`)), sql.raw(`SELECT 'o' AS kind, ${OUTBOX_AS_EVENT} FROM t_outbox`)], sql` UNION ALL `)}`);
  completeStatements.set(key, statement);
  return statement;
}

async function completeOnce(
  q: Db,
  id: string,
  workerId: string,
  c: Completion,
  go: Completion['continueWith'],
): Promise<CompletionResult | undefined> {
  // The one next phase started here: one of this lane (free once this commit is in), else the first.
  const startAt = go === undefined || c.next.length === 0 ? -1 : Math.max(0, c.next.findIndex((t) => laneFor(t.phase, t) === go.lane));
  const queued = c.next.filter((_, i) => i !== startAt);
  // With no next phase, the lane's next pending event.
  const take = go !== undefined && c.next.length === 0;
  const statement = completeStatement({ q: queued.length > 0, s: startAt >= 0, n: take });
  const result = await runPrepared(q, statement, {
    id,
    worker: workerId,
    result: c.result === null ? null : JSON.stringify(c.result),
    durationMs: c.durationMs,
    ...(queued.length > 0 ? { maxAttempts: c.maxAttempts, queued: JSON.stringify(queued.map(nextRecord)) } : {}),
    ...(go && startAt >= 0 ? { maxAttempts: c.maxAttempts, started: JSON.stringify([nextRecord(c.next[startAt]!)]), lease: leaseInterval(go.leaseMs) } : {}),
    ...(go && take ? { lease: leaseInterval(go.leaseMs), lane: go.lane, phase: go.phase } : {}),
  });
  if (!result.some((r) => r.kind === 'e')) return undefined;
  const started = result.filter((r) => r.kind === 's' || r.kind === 'n');
  const startedLane = started[0]?.lane;
  const pending = result.filter((r) => r.kind === 'q');
  return {
    queued: pending.filter((r) => r.lane !== startedLane).map((r) => accepted(r, false)),
    held: pending.filter((r) => r.lane === startedLane).map((r) => accepted(r, false)),
    started: started.map(toPhaseEvent),
    messages: sentMessages(result),
  };
}

/** One completion of a batch (group-commit.ts). */
export interface CompletionRequest {
  readonly id: string;
  readonly workerId: string;
  readonly completion: Completion;
}

const BATCH_NEXT_RECORD = sql.raw(`v(id text, idempotency_key text, request_hash text, phase smallint, user_id text, seller_id text, sync_id text,
  claim_id text, case_id text, lane text, payload jsonb, source text, trace_parent text, parent text, max_attempts integer)`);

/**
 * Several completions in one statement: complete()'s statement for a set of events. `e` is a
 * compare-and-set per event (an event no longer ours is left out, and so are its next events); each
 * next event names its completing event (`parent`), and the one a completion takes from its lane
 * (`n`) is found per completed event. Events of one batch are of different lanes (one running per lane).
 */
const COMPLETE_MANY = prepareStatement<EventRow & { kind: 'e' | 'q' | 's' | 'n' | 'o'; parent: string | null }>('complete_many', sql`WITH e AS (
    UPDATE phase_events p SET status = 'completed', locked_by = NULL, locked_until = NULL, dispatched_until = NULL,
      result = i.result, last_error = NULL, completed_at = now(), updated_at = now()
    FROM jsonb_to_recordset((${ph('items')})::jsonb) AS i(id text, worker text, result jsonb, duration_ms integer, take boolean, lease text)
    WHERE p.id = i.id AND p.status = 'running' AND p.locked_by = i.worker
    RETURNING p.*, i.worker AS x_worker, i.duration_ms AS x_duration, i.result AS x_result, i.take AS x_take, i.lease AS x_lease),
  q AS (
    INSERT INTO phase_events (id, idempotency_key, request_hash, phase, user_id, seller_id, sync_id, claim_id, case_id, lane, payload, source,
      status, attempts, max_attempts, run_after, created_at, updated_at, trace_parent)
    SELECT ${NEXT_VALUES}, 'pending', 0, v.max_attempts, now(), now(), now(), v.trace_parent
    FROM jsonb_to_recordset((${ph('queued')})::jsonb) AS ${BATCH_NEXT_RECORD}
    WHERE v.parent IN (SELECT id FROM e)
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING *),
  s AS (
    INSERT INTO phase_events (id, idempotency_key, request_hash, phase, user_id, seller_id, sync_id, claim_id, case_id, lane, payload, source,
      status, attempts, max_attempts, run_after, created_at, updated_at, trace_parent, locked_by, locked_until, started_at)
    SELECT ${NEXT_VALUES}, 'running', 1, v.max_attempts, now(), now(), now(), v.trace_parent, e.x_worker, now() + e.x_lease::interval, now()
    FROM jsonb_to_recordset((${ph('started')})::jsonb) AS ${BATCH_NEXT_RECORD} JOIN e ON e.id = v.parent
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING *),
  n AS (
    UPDATE phase_events p SET ${startFor(sql`c.x_worker`, sql`c.x_lease`)}
    FROM (
      SELECT e.id AS parent, e.x_worker, e.x_lease, (${laneHead(sql`e.lane`, sql`e.phase`)}) AS next_id
      FROM e WHERE e.x_take) c
    WHERE p.id = c.next_id AND p.status = 'pending'
    RETURNING p.*, c.parent AS x_parent),
  ${publishedTransitionCtes(
    't',
    { source: 'e', spec: { from: 'running', to: 'completed', workerId: sql`x_worker`, durationMs: sql`x_duration`, data: sql`x_result` } },
    { source: 'q', spec: { from: null, to: 'pending', data: { source: 'internal' } } },
    { source: 's', spec: { from: null, to: 'running', workerId: sql`locked_by`, data: { source: 'internal' } } },
    { source: 'n', spec: { from: 'pending', to: 'running', workerId: sql`locked_by` } },
  )}
  ${sql.raw(`SELECT 'e' AS kind, id AS parent, ${EVENT_FIELDS} FROM e
  UNION ALL SELECT 'q' AS kind, NULL::text AS parent, ${EVENT_FIELDS} FROM q
  UNION ALL SELECT 's' AS kind, NULL::text AS parent, ${EVENT_FIELDS} FROM s
  UNION ALL SELECT 'n' AS kind, x_parent AS parent, ${EVENT_FIELDS} FROM n
  UNION ALL SELECT 'o' AS kind, NULL::text AS parent, ${OUTBOX_AS_EVENT} FROM t_outbox`)}`);

/** complete() for several events in one statement; a result per request, in order (undefined: not ours). */
export async function completeMany(q: Db, requests: readonly CompletionRequest[]): Promise<Array<CompletionResult | undefined>> {
  const planned = requests.map(({ id, workerId, completion: c }) => {
    const go = c.continueWith;
    const startAt = go === undefined || c.next.length === 0 ? -1 : Math.max(0, c.next.findIndex((t) => laneFor(t.phase, t) === go.lane));
    const next = c.next.map((t, i) => ({ ...nextRecord(t), parent: id, max_attempts: c.maxAttempts, started: i === startAt }));
    const item = { id, worker: workerId, result: c.result, duration_ms: c.durationMs, take: go !== undefined && c.next.length === 0, lease: leaseInterval(go?.leaseMs ?? 0) };
    return { id, item, next };
  });
  const all = planned.flatMap((p) => p.next);
  const result = await runPrepared(q, COMPLETE_MANY, {
    items: JSON.stringify(planned.map((p) => p.item)),
    queued: JSON.stringify(all.filter((r) => !r.started)),
    started: JSON.stringify(all.filter((r) => r.started)),
  });
  const byId = new Map(result.filter((r) => r.kind !== 'n' && r.kind !== 'o').map((r) => [r.id, r]));
  // Each completion sends the messages about its own events: the completed one and those it started.
  const messages = new Map<string, BusMessage[]>();
  for (const m of sentMessages(result)) {
    const about = String(m.payload.event_id);
    messages.set(about, [...(messages.get(about) ?? []), m]);
  }
  return planned.map((p) => {
    const done = result.find((r) => r.kind === 'e' && r.id === p.id);
    if (!done) return undefined;
    const mine = p.next.map((n) => byId.get(n.id)).filter((r) => r !== undefined);
    const started = [...mine.filter((r) => r.kind === 's'), ...result.filter((r) => r.kind === 'n' && r.parent === p.id)];
    const startedLane = started[0]?.lane;
    const pending = mine.filter((r) => r.kind === 'q');
    const about = [done, ...mine, ...started.filter((r) => r.kind === 'n')].flatMap((r) => messages.get(r.id) ?? []);
    return {
      queued: pending.filter((r) => r.lane !== startedLane).map((r) => accepted(r, false)),
      held: pending.filter((r) => r.lane === startedLane).map((r) => accepted(r, false)),
      started: started.map(toPhaseEvent),
      messages: about.sort((a, b) => a.seq - b.seq),
    };
  });
}

/**
 * running → pending (retry at `runAfter`) or failed (parked), if this worker still holds it.
 * Returns undefined when it was no longer ours; else the lane's other pending events, which may
 * have waited for this worker to take them (CompletionResult.held): the queue gets them now.
 */
export async function fail(
  q: Db,
  id: string,
  workerId: string,
  f: { to: 'pending' | 'failed'; runAfter?: Date | undefined; error: PhaseError; durationMs: number },
): Promise<{ lanePending: Array<{ id: string; runAfter: Date }> } | undefined> {
  const spec: TransitionSpec = { from: 'running', to: f.to, workerId, durationMs: f.durationMs, error: f.error, retryAt: f.runAfter };
  const r = await rows<{ kind: 'e' | 'w'; id: string; run_after: Date | string }>(q, sql`WITH e AS (
          UPDATE phase_events SET status = ${f.to}, locked_by = NULL, locked_until = NULL, dispatched_until = NULL,
            last_error = ${JSON.stringify(f.error)}::jsonb, updated_at = now()
            ${f.runAfter ? sql`, run_after = ${f.runAfter}` : sql``}
          WHERE id = ${id} AND status = 'running' AND locked_by = ${workerId}
          RETURNING *),
        ${transitionCtes('t', { source: 'e', spec })}
        SELECT 'e' AS kind, id, run_after FROM e
        UNION ALL SELECT 'w' AS kind, w.id, w.run_after FROM phase_events w
          WHERE w.lane IN (SELECT lane FROM e) AND w.status = 'pending' AND w.id <> ${id}`,
  );
  if (!r.some((x) => x.kind === 'e')) return undefined;
  return { lanePending: r.filter((x) => x.kind === 'w').map((x) => ({ id: x.id, runAfter: new Date(x.run_after) })) };
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

