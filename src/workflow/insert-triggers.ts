// Intake batching: triggers that arrive together are stored by one statement (event, audit,
// progress and outbox rows, as insertTrigger does for one), and each caller gets the answer it
// would have got alone: the first of an idempotency key is stored, a repeat of it is a duplicate,
// and the same key with another request is a conflict.
import { sql } from 'drizzle-orm';
import { type Db, type PreparedStatement, prepareStatement, rows, runPrepared } from '../store/db.js';
import type { Settled } from './batcher.js';
import type { BusMessage } from '../realtime/bus.js';
import { accepted, columnList, EVENT_COLUMNS, EVENT_FIELDS, eventParams, eventRow, type EventRow, IdempotencyConflictError, insertTrigger, OUTBOX_AS_EVENT, ph, sentMessages } from './inbox.js';
import { laneFor } from './lane.js';
import { publishedTransitionCtes } from './transitions.js';
import type { AcceptedTrigger, TriggerInput } from './types.js';

/** Where the messages of stored triggers go (the outbox relay's send and poke). */
export interface IntakeMessages {
  /** Messages a batch statement wrote already published (publishedTransitionCtes), once committed. */
  send(messages: BusMessage[]): void;
  /** A trigger stored alone left its message for the relay to find. */
  poke(): void;
}

/**
 * Stores `triggers` (every one before its answer); one result per trigger, in order. A batch's
 * messages are sent as the runner's are, with no second write and no relay drain.
 */
export async function insertTriggers(
  q: Db,
  triggers: readonly TriggerInput[],
  maxAttempts: number,
  messages: IntakeMessages,
): Promise<Array<Settled<AcceptedTrigger>>> {
  const results = new Array<Settled<AcceptedTrigger> | undefined>(triggers.length);
  const stored = new Map<string, EventRow>();
  const firstOfKey = new Map<string, number>();
  const repeats: number[] = [];
  triggers.forEach((t, i) => {
    if (firstOfKey.has(t.idempotencyKey)) repeats.push(i);
    else firstOfKey.set(t.idempotencyKey, i);
  });

  for (const group of statements(triggers, [...firstOfKey.values()])) {
    let found: Map<string, { row: EventRow; inserted: boolean }>;
    try {
      found = await storeGroup(q, group.map((i) => triggers[i]!), maxAttempts, messages);
    } catch {
      // Something in the statement failed (one bad row fails them all): store each alone, so each
      // caller gets its own answer or error.
      await Promise.all(group.map(async (i) => (results[i] = await settle(insertTrigger(q, triggers[i]!, maxAttempts)))));
      messages.poke();
      continue;
    }
    for (const i of group) {
      const t = triggers[i]!;
      const f = found.get(t.idempotencyKey);
      if (!f) {
        results[i] = { ok: false, error: new Error('idempotency key vanished between insert and select') };
        continue;
      }
      stored.set(t.idempotencyKey, f.row);
      results[i] = f.inserted ? { ok: true, value: accepted(f.row, false) } : answerRepeat(t, f.row);
    }
  }
  for (const i of repeats) {
    const t = triggers[i]!;
    const row = stored.get(t.idempotencyKey);
    // The first of this key failed without storing anything: this one tries on its own.
    if (row) results[i] = answerRepeat(t, row);
    else {
      results[i] = await settle(insertTrigger(q, t, maxAttempts));
      messages.poke();
    }
  }
  return results.map((r) => r ?? { ok: false, error: new Error('trigger left unanswered') });
}

function answerRepeat(t: TriggerInput, row: EventRow): Settled<AcceptedTrigger> {
  if (row.request_hash !== t.requestHash) return { ok: false, error: new IdempotencyConflictError(row.id) };
  return { ok: true, value: accepted(row, true) };
}

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
}

/**
 * Splits the triggers (indices, distinct keys) into statements. A statement writes each lane's
 * phase progress row once (ON CONFLICT DO UPDATE cannot touch a row twice), so a second trigger of
 * the same lane and phase goes into the next statement, as it would have come after alone. The
 * audit row records the trigger's source, a constant per statement, so sources do not mix.
 */
function statements(triggers: readonly TriggerInput[], indices: readonly number[]): number[][] {
  const groups = new Map<string, number[]>();
  const seen = new Map<string, number>();
  for (const i of indices) {
    const t = triggers[i]!;
    const progressKey = `${t.source}|${laneFor(t.phase, t)}|${t.phase}`;
    const round = seen.get(progressKey) ?? 0;
    seen.set(progressKey, round + 1);
    const groupKey = `${round}|${t.source}`;
    groups.set(groupKey, [...(groups.get(groupKey) ?? []), i]);
  }
  return [...groups.values()];
}

/** Lane, phase, key: the order every batch takes its locks in. */
function lockOrder(a: TriggerInput, b: TriggerInput): number {
  const [la, lb] = [laneFor(a.phase, a), laneFor(b.phase, b)];
  if (la !== lb) return la < lb ? -1 : 1;
  if (a.phase !== b.phase) return a.phase - b.phase;
  return a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0;
}

// 'e' a row this statement stored, 'p' one stored before, 'o' a message it wrote (as an event row).
type StoredRow = EventRow & { kind: 'e' | 'p' | 'o'; idempotency_key: string | null };

/**
 * The statement that stores n triggers: inserts the new keys (with their transitions) and reads the
 * keys stored before. Built and named once per n (1 to INTAKE_BATCH): a batch only binds its
 * values, instead of building the SQL text again (a tenth of the API's CPU at 1,000 triggers/s).
 * The reading SELECT sees the statement's snapshot: rows stored before, never this insert's.
 */
const STATEMENTS = new Map<number, PreparedStatement<StoredRow>>();
function storeStatement(n: number): PreparedStatement<StoredRow> {
  const known = STATEMENTS.get(n);
  if (known) return known;
  const rowsIn = Array.from({ length: n }, (_, i) => i);
  const statement = prepareStatement<StoredRow>(`intake_${n}`, sql`WITH e AS (
          INSERT INTO phase_events ${columnList(EVENT_COLUMNS)}
          VALUES ${sql.join(rowsIn.map((i) => eventRow((c) => ph(`${c}_${i}`))), sql`, `)}
          ON CONFLICT (idempotency_key) DO NOTHING RETURNING *),
        ${publishedTransitionCtes('t', { source: 'e', spec: { from: null, to: 'pending', data: sql`jsonb_build_object('source', ${ph('source')}::text)` } })}
        ${sql.raw(`SELECT 'e' AS kind, idempotency_key, ${EVENT_FIELDS} FROM e
        UNION ALL SELECT 'o' AS kind, NULL::text, ${OUTBOX_AS_EVENT} FROM t_outbox
        UNION ALL SELECT 'p' AS kind, p.idempotency_key, ${EVENT_FIELDS.split(', ').map((f) => `p.${f}`).join(', ')} FROM phase_events p`)}
          WHERE p.idempotency_key IN (${sql.join(rowsIn.map((i) => ph(`idempotency_key_${i}`)), sql`, `)})`);
  STATEMENTS.set(n, statement);
  return statement;
}

/**
 * One statement for a group. The rows go in by lane, phase and key, so two batches in flight take
 * their locks (the keys' index entries, the lanes' sync_progress rows) in one order and cannot
 * deadlock.
 */
async function storeGroup(
  q: Db,
  group: readonly TriggerInput[],
  maxAttempts: number,
  messages: IntakeMessages,
): Promise<Map<string, { row: EventRow; inserted: boolean }>> {
  const ordered = [...group].sort(lockOrder);
  const values: Record<string, unknown> = { source: group[0]!.source };
  ordered.forEach((t, i) => {
    for (const [column, value] of Object.entries(eventParams(t, maxAttempts))) values[`${column}_${i}`] = value;
  });
  const result = await runPrepared(q, storeStatement(ordered.length), values);
  messages.send(sentMessages(result));
  const found = new Map<string, { row: EventRow; inserted: boolean }>();
  for (const r of result) if (r.kind !== 'o' && r.idempotency_key !== null) found.set(r.idempotency_key, { row: r, inserted: r.kind === 'e' });
  // A key stored by a concurrent statement after this one's snapshot: the insert skipped it and the
  // snapshot did not see it. It is committed now (the insert waited for it), so read it.
  const missing = group.filter((t) => !found.has(t.idempotencyKey));
  if (missing.length > 0) {
    const later = await rows<EventRow & { idempotency_key: string }>(q, sql`SELECT * FROM phase_events
          WHERE idempotency_key IN (${sql.join(missing.map((t) => sql`${t.idempotencyKey}`), sql`, `)})`);
    for (const r of later) found.set(r.idempotency_key, { row: r, inserted: false });
  }
  return found;
}
