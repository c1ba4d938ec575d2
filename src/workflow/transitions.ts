// Recording a status change: an audit row, the sync_progress row and an outbox message, written by
// the same SQL statement that changes the event, so they can never disagree. `source` names a CTE
// (or table expression) that yields the changed phase_events rows.
import { is, SQL, sql } from 'drizzle-orm';
import type { PhaseError } from '../domain/errors.js';
import { PHASES, PHASE_NUMBERS } from '../domain/phase.js';
import { canCreate, canTransition, type PhaseStatus } from '../domain/phase-status.js';
import type { Db } from '../store/db.js';
import { syncProgress } from '../store/schema/workflow-tables.js';
import type { PhaseMessage } from './messages.js';
import { messageSql, publish } from './publish.js';

export const WORKFLOW_MESSAGE = 'workflow.phase';

export interface TransitionSpec {
  readonly from: PhaseStatus | null;
  readonly to: PhaseStatus;
  // workerId, durationMs and data may be SQL (a placeholder) in a statement built once (inbox.ts).
  readonly workerId?: string | SQL | undefined;
  readonly durationMs?: number | SQL | undefined;
  readonly error?: PhaseError | undefined;
  /** As SQL: a jsonb expression, NULL for none. */
  readonly data?: Record<string, unknown> | SQL | undefined;
  /** For a retry: when the next attempt is due. */
  readonly retryAt?: Date | undefined;
}

// A constant expression (no caller input), so it is safe to inline.
const PHASE_NAME = sql.raw(`(CASE phase ${PHASE_NUMBERS.map((p) => `WHEN ${p} THEN '${PHASES[p].key}'`).join(' ')} END)`);
const ISO_NOW = sql.raw(`to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

const json = (v: unknown) => (v === undefined || v === null ? sql`NULL::jsonb` : is(v, SQL) ? sql`(${v})::jsonb` : sql`${JSON.stringify(v)}::jsonb`);

/** The message's `data`: what the phase found or did, with the error and retry time when there are. */
function messageData(t: TransitionSpec): SQL {
  const extra: PhaseMessage['data'] = { ...(t.error ? { error: t.error } : {}), ...(t.retryAt ? { retry_at: t.retryAt.toISOString() } : {}) };
  if (!is(t.data, SQL)) return json({ ...(t.data ?? {}), ...extra });
  return sql`coalesce(${json(t.data)}, '{}'::jsonb) || ${json(extra)}`;
}

export interface TransitionPart {
  /** A CTE yielding the changed phase_events rows. */
  readonly source: string;
  readonly spec: TransitionSpec;
}

/**
 * The CTEs (comma-separated, no leading WITH) that record every part. Data-modifying CTEs run in
 * no defined order, so the audit rows and outbox messages of all parts are written by one INSERT
 * each, ordered by part: a completion is always logged (and sent) before the phase it starts.
 * The outbox rows are left for the relay (outbox-relay.ts) to mark published and send.
 */
export function transitionCtes(name: string, ...parts: TransitionPart[]): SQL {
  return recordParts(name, parts, false);
}

/**
 * transitionCtes for a statement whose caller sends its messages itself once it has committed
 * (the runner's hot statements, intake's batch statement): the outbox rows are written already marked published, and the
 * CTE `<name>_outbox` returns them (seq, user_id, payload), so the relay needs no second write
 * and no second statement. A crash between commit and send loses the live message, as a crash of
 * the relay between its mark and its send does; a reconnecting seller reads it with ?since=.
 */
export function publishedTransitionCtes(name: string, ...parts: TransitionPart[]): SQL {
  return recordParts(name, parts, true);
}

function recordParts(name: string, parts: readonly TransitionPart[], published: boolean): SQL {
  // Every status change is written here, so this is where the status machine is enforced: an
  // event is created as canCreate allows, and moves only as canTransition allows.
  if (parts.length === 0) throw new Error('a transition records at least one status change');
  for (const { spec } of parts) {
    if (spec.from === null ? !canCreate(spec.to) : !canTransition(spec.from, spec.to)) {
      throw new Error(`a phase event cannot move from ${spec.from ?? '(new)'} to ${spec.to}`);
    }
  }
  const n = (suffix: string) => sql.raw(`${name}_${suffix}`);
  const ordered = (select: (part: TransitionPart, ord: number) => SQL) =>
    sql.join(parts.map((part, i) => sql`(${select(part, i)})`), sql` UNION ALL `);
  const audit = ordered((part, i) => {
    const t = part.spec;
    return sql`SELECT id, phase, user_id, sync_id, claim_id, lane, ${t.from}::text AS from_status, ${t.to}::text AS to_status, attempts,
        (${t.workerId ?? null})::text AS worker_id, (${t.durationMs ?? null})::integer AS duration_ms, ${json(t.error)} AS error,
        ${json(t.data)} AS data, ${i} AS ord, seq FROM ${sql.raw(part.source)}`;
  });
  // One message per changed row, in the statement that changes it: the fields are columns here, so
  // messageSql (checked against the message's type) stands in for publish(), which takes a value.
  const messages = ordered((part, i) => {
    const t = part.spec;
    const payload = messageSql(WORKFLOW_MESSAGE, {
      event_id: sql`id`,
      phase: sql`phase`,
      name: PHASE_NAME,
      status: sql`${t.to}::text`,
      user_id: sql`user_id`,
      sync_id: sql`sync_id`,
      claim_id: sql`claim_id`,
      attempt: sql`attempts`,
      data: messageData(t),
      at: ISO_NOW,
    });
    return sql`SELECT user_id, id, ${payload} AS payload, ${i} AS ord, seq FROM ${sql.raw(part.source)}`;
  });
  const progress = parts.map((part, i) => {
    const t = part.spec;
    return sql`
  ${n(`progress${i}`)} AS (
    INSERT INTO sync_progress AS sp (lane, phase, user_id, sync_id, claim_id, event_id, status, attempts, last_error, started_at, completed_at, updated_at)
    SELECT lane, phase, user_id, sync_id, claim_id, id, ${t.to}::text, attempts, ${json(t.error)},
           ${t.to === 'running' ? sql`now()` : sql`NULL::timestamptz`}, ${t.to === 'completed' ? sql`now()` : sql`NULL::timestamptz`}, now()
    FROM ${sql.raw(part.source)}
    ON CONFLICT (lane, phase) DO UPDATE SET
      event_id = excluded.event_id, status = excluded.status, attempts = excluded.attempts,
      sync_id = coalesce(excluded.sync_id, sp.sync_id),
      last_error = ${t.to === 'completed' ? sql`NULL::jsonb` : sql`coalesce(excluded.last_error, sp.last_error)`},
      started_at = ${t.to === 'running' ? sql`coalesce(sp.started_at, excluded.started_at)` : sql`sp.started_at`},
      completed_at = excluded.completed_at, updated_at = excluded.updated_at)`;
  });
  return sql`
  ${n('audit')} AS (
    INSERT INTO phase_audit (event_id, phase, user_id, sync_id, claim_id, lane, from_status, to_status, attempt, worker_id, duration_ms, error, data, at)
    SELECT id, phase, user_id, sync_id, claim_id, lane, from_status, to_status, attempts, worker_id, duration_ms, error, data, now()
    FROM (${audit}) x ORDER BY ord, seq),
  ${n('outbox')} AS (
    INSERT INTO outbox (user_id, event_id, type, payload, created_at${sql.raw(published ? ', published_at' : '')})
    SELECT user_id, id, ${WORKFLOW_MESSAGE}, payload, now()${sql.raw(published ? ', now()' : '')} FROM (${messages}) x ORDER BY ord, seq
    ${sql.raw(published ? 'RETURNING seq, user_id, payload' : '')}),
  ${sql.join(progress, sql`,`)}`;
}

/** A progress report of a running phase: sync_progress and the seller's WebSocket, no audit row. */
export async function recordProgress(
  tx: Db,
  event: { id: string; phase: number; userId: string; syncId: string | null; claimId: string | null; lane: string },
  progress: Record<string, unknown>,
): Promise<void> {
  const now = new Date();
  await tx
    .update(syncProgress)
    .set({ progress, updatedAt: now })
    .where(sql`${syncProgress.lane} = ${event.lane} AND ${syncProgress.phase} = ${event.phase}`);
  await publish(
    tx,
    {
      type: 'workflow.progress',
      event_id: event.id,
      phase: event.phase,
      name: PHASES[event.phase as 1].key,
      status: 'running',
      user_id: event.userId,
      sync_id: event.syncId,
      claim_id: event.claimId,
      data: progress,
      at: now.toISOString(),
    },
    { createdAt: now },
  );
}
