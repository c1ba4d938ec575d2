// The subscriptions and their delivery cursors. Raw statements through `rows(db, sql)` so that each
// change is one statement (atomic without a transaction) and every delivery write is a compare-
// and-set on the lease token: a worker whose lease was taken over (or reset by a replay) changes
// nothing.
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../store/db.js';

export type SubscriptionStatus = 'active' | 'disabled';
export interface DeliveryError {
  readonly code: string;
  readonly message: string;
}

export interface SubscriptionRow {
  readonly id: string;
  readonly url: string;
  readonly eventTypes: string[];
  readonly status: SubscriptionStatus;
  readonly disabledReason: string | null;
  readonly createdAt: Date;
  readonly lastSeq: number;
  readonly attempts: number;
  readonly firstFailedAt: Date | null;
  readonly nextAttemptAt: Date;
  readonly lastError: DeliveryError | null;
  readonly lastDeliveredAt: Date | null;
}

/** A subscription leased for delivery, with its sealed secret. */
export interface Claimed extends SubscriptionRow {
  readonly sealedSecret: string;
}

export interface OutboxRow {
  readonly seq: number;
  readonly userId: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly createdAt: Date;
  /** The W3C traceparent stored with the phase event that wrote it (tracing on). */
  readonly traceParent: string | null;
}

type Raw = Record<string, unknown>;
const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const maybeDate = (v: unknown) => (v === null || v === undefined ? null : date(v));
const iso = (d: Date) => d.toISOString();

function toRow(r: Raw): SubscriptionRow {
  return {
    id: String(r.id),
    url: String(r.url),
    eventTypes: (r.event_types as string[] | null) ?? [],
    status: r.status as SubscriptionStatus,
    disabledReason: (r.disabled_reason as string | null) ?? null,
    createdAt: date(r.created_at),
    lastSeq: Number(r.last_seq),
    attempts: Number(r.attempts),
    firstFailedAt: maybeDate(r.first_failed_at),
    nextAttemptAt: date(r.next_attempt_at),
    lastError: (r.last_error as DeliveryError | null) ?? null,
    lastDeliveredAt: maybeDate(r.last_delivered_at),
  };
}

const COLUMNS = sql`s.id, s.url, s.event_types, s.status, s.disabled_reason, s.created_at,
  c.last_seq, c.attempts, c.first_failed_at, c.next_attempt_at, c.last_error, c.last_delivered_at`;

/** Creates a subscription that starts after the newest outbox message: it gets what happens next. */
export async function insertSubscription(
  db: Db,
  s: { id: string; url: string; eventTypes: string[]; sealedSecret: string },
): Promise<SubscriptionRow> {
  await rows(db, sql`WITH s AS (
      INSERT INTO subscriptions (id, url, event_types, secret, status)
      VALUES (${s.id}, ${s.url}, ${JSON.stringify(s.eventTypes)}::jsonb, ${s.sealedSecret}, 'active') RETURNING id)
    INSERT INTO subscription_cursors (subscription_id, last_seq)
    SELECT id, (SELECT coalesce(max(seq), 0) FROM outbox) FROM s`);
  const row = await findSubscription(db, s.id);
  if (!row) throw new Error(`subscription ${s.id} vanished after insert`);
  return row;
}

export async function listSubscriptions(db: Db): Promise<SubscriptionRow[]> {
  const rs = await rows<Raw>(db, sql`SELECT ${COLUMNS} FROM subscriptions s JOIN subscription_cursors c ON c.subscription_id = s.id
    ORDER BY s.created_at, s.id`);
  return rs.map(toRow);
}

export async function findSubscription(db: Db, id: string): Promise<SubscriptionRow | undefined> {
  const rs = await rows<Raw>(db, sql`SELECT ${COLUMNS} FROM subscriptions s JOIN subscription_cursors c ON c.subscription_id = s.id
    WHERE s.id = ${id}`);
  return rs[0] ? toRow(rs[0]) : undefined;
}

export async function deleteSubscription(db: Db, id: string): Promise<boolean> {
  const rs = await rows<Raw>(db, sql`WITH c AS (DELETE FROM subscription_cursors WHERE subscription_id = ${id})
    DELETE FROM subscriptions WHERE id = ${id} RETURNING id`);
  return rs.length > 0;
}

/**
 * Delivers again from `fromSeq` (or retries the current message now) and re-enables the
 * subscription. Clearing the lease stops a worker that is delivering it from writing its cursor.
 */
export async function replaySubscription(db: Db, id: string, fromSeq: number | undefined, now: Date): Promise<boolean> {
  const rs = await rows<Raw>(db, sql`WITH s AS (
      UPDATE subscriptions SET status = 'active', disabled_reason = NULL, updated_at = ${iso(now)}::timestamptz
      WHERE id = ${id} RETURNING id)
    UPDATE subscription_cursors c SET
      last_seq = ${fromSeq === undefined ? sql`c.last_seq` : sql`${fromSeq - 1}::bigint`},
      attempts = 0, first_failed_at = NULL, last_error = NULL, next_attempt_at = ${iso(now)}::timestamptz,
      lease_token = NULL, leased_until = NULL
    FROM s WHERE c.subscription_id = s.id RETURNING c.subscription_id`);
  return rs.length > 0;
}

/** Leases up to `limit` active subscriptions that are due; SKIP LOCKED keeps workers apart. */
export async function claimDue(db: Db, lease: { now: Date; leaseUntil: Date; token: string; limit: number }): Promise<Claimed[]> {
  const rs = await rows<Raw>(db, sql`WITH claimed AS (
      UPDATE subscription_cursors c SET lease_token = ${lease.token}, leased_until = ${iso(lease.leaseUntil)}::timestamptz
      WHERE c.subscription_id IN (
        SELECT c2.subscription_id FROM subscription_cursors c2 JOIN subscriptions s2 ON s2.id = c2.subscription_id
        WHERE s2.status = 'active' AND c2.next_attempt_at <= ${iso(lease.now)}::timestamptz
          AND (c2.leased_until IS NULL OR c2.leased_until < ${iso(lease.now)}::timestamptz)
        ORDER BY c2.next_attempt_at LIMIT ${lease.limit} FOR UPDATE OF c2 SKIP LOCKED)
      RETURNING c.*)
    SELECT ${COLUMNS}, s.secret FROM claimed c JOIN subscriptions s ON s.id = c.subscription_id`);
  return rs.map((r) => ({ ...toRow(r), sealedSecret: String(r.secret) }));
}

export async function outboxAfter(db: Db, seq: number, limit: number): Promise<OutboxRow[]> {
  const rs = await rows<Raw>(db, sql`SELECT o.seq, o.user_id, o.type, o.payload, o.created_at, e.trace_parent
    FROM outbox o LEFT JOIN phase_events e ON e.id = o.event_id WHERE o.seq > ${seq} ORDER BY o.seq LIMIT ${limit}`);
  return rs.map((r) => ({
    seq: Number(r.seq),
    userId: String(r.user_id),
    type: String(r.type),
    payload: r.payload as Record<string, unknown>,
    createdAt: date(r.created_at),
    traceParent: (r.trace_parent as string | null) ?? null,
  }));
}

/** Moves the cursor past `seq` and clears the retry state. False when the lease is gone. */
export async function advance(db: Db, id: string, token: string, seq: number, delivered: Date | undefined): Promise<boolean> {
  const rs = await rows<Raw>(db, sql`UPDATE subscription_cursors SET last_seq = ${seq}::bigint, attempts = 0, first_failed_at = NULL,
      last_error = NULL, last_delivered_at = ${delivered ? sql`${iso(delivered)}::timestamptz` : sql`last_delivered_at`}
    WHERE subscription_id = ${id} AND lease_token = ${token} RETURNING subscription_id`);
  return rs.length > 0;
}

/** Records a failed attempt and ends the lease; `disable` switches the subscription off as well. */
export async function recordFailure(
  db: Db,
  id: string,
  token: string,
  f: { attempts: number; firstFailedAt: Date; nextAttemptAt: Date; error: DeliveryError; disable?: string },
): Promise<void> {
  await rows(db, sql`WITH c AS (
      UPDATE subscription_cursors SET attempts = ${f.attempts}, first_failed_at = ${iso(f.firstFailedAt)}::timestamptz,
        next_attempt_at = ${iso(f.nextAttemptAt)}::timestamptz, last_error = ${JSON.stringify(f.error)}::jsonb,
        lease_token = NULL, leased_until = NULL
      WHERE subscription_id = ${id} AND lease_token = ${token} RETURNING subscription_id)
    UPDATE subscriptions s SET status = 'disabled', disabled_reason = ${f.disable ?? ''}, updated_at = now()
    FROM c WHERE s.id = c.subscription_id AND ${f.disable !== undefined}`);
}

/** Ends the lease; the subscription is due again at `next` (idle ones take turns). */
export async function release(db: Db, id: string, token: string, next: Date): Promise<void> {
  await rows(db, sql`UPDATE subscription_cursors SET lease_token = NULL, leased_until = NULL, next_attempt_at = ${iso(next)}::timestamptz
    WHERE subscription_id = ${id} AND lease_token = ${token}`);
}

/**
 * A cursor of its own for a sink that is not a subscription (the EventBridge sink): a row in
 * subscription_cursors under a reserved id with no `subscriptions` row, so the webhook loop (which
 * joins subscriptions) never sees it. It starts after the newest outbox message, like a new
 * subscription does.
 */
export async function ensureCursor(db: Db, id: string): Promise<void> {
  await rows(db, sql`INSERT INTO subscription_cursors (subscription_id, last_seq)
    SELECT ${id}, (SELECT coalesce(max(seq), 0) FROM outbox) ON CONFLICT (subscription_id) DO NOTHING`);
}

export interface CursorState {
  readonly lastSeq: number;
  readonly attempts: number;
  readonly firstFailedAt: Date | null;
}

/** Leases one cursor when it is due and not leased; SKIP LOCKED keeps workers apart. */
export async function claimCursor(db: Db, id: string, lease: { now: Date; leaseUntil: Date; token: string }): Promise<CursorState | undefined> {
  const rs = await rows<Raw>(db, sql`UPDATE subscription_cursors c SET lease_token = ${lease.token}, leased_until = ${iso(lease.leaseUntil)}::timestamptz
    WHERE c.subscription_id IN (
      SELECT c2.subscription_id FROM subscription_cursors c2
      WHERE c2.subscription_id = ${id} AND c2.next_attempt_at <= ${iso(lease.now)}::timestamptz
        AND (c2.leased_until IS NULL OR c2.leased_until < ${iso(lease.now)}::timestamptz)
      FOR UPDATE SKIP LOCKED)
    RETURNING c.last_seq, c.attempts, c.first_failed_at`);
  const r = rs[0];
  return r ? { lastSeq: Number(r.last_seq), attempts: Number(r.attempts), firstFailedAt: maybeDate(r.first_failed_at) } : undefined;
}

/** A sink's cursor (the EventBridge sink's, under its reserved id) and how far it trails the outbox. */
export interface SinkState {
  readonly id: string;
  readonly lastSeq: number;
  /** Outbox messages written after the cursor: what the sink has still to send. */
  readonly lag: number;
  readonly attempts: number;
  readonly firstFailedAt: Date | null;
  readonly nextAttemptAt: Date;
  readonly lastError: DeliveryError | null;
  readonly lastDeliveredAt: Date | null;
}

/** The newest outbox seq (0 before the first event). */
export async function outboxHead(db: Db): Promise<number> {
  return Number((await rows<Raw>(db, sql`SELECT coalesce(max(seq), 0) AS head FROM outbox`))[0]?.head ?? 0);
}

/** The newest outbox seq and every cursor whose id starts with `prefix` (never a subscription's). */
export async function sinkStates(db: Db, prefix: string): Promise<{ head: number; sinks: SinkState[] }> {
  const head = await outboxHead(db);
  const rs = await rows<Raw>(db, sql`SELECT subscription_id, last_seq, attempts, first_failed_at, next_attempt_at, last_error, last_delivered_at
    FROM subscription_cursors WHERE starts_with(subscription_id, ${prefix}) ORDER BY subscription_id`);
  return {
    head,
    sinks: rs.map((r) => ({
      id: String(r.subscription_id),
      lastSeq: Number(r.last_seq),
      lag: Math.max(0, head - Number(r.last_seq)),
      attempts: Number(r.attempts),
      firstFailedAt: maybeDate(r.first_failed_at),
      nextAttemptAt: date(r.next_attempt_at),
      lastError: (r.last_error as DeliveryError | null) ?? null,
      lastDeliveredAt: maybeDate(r.last_delivered_at),
    })),
  };
}
