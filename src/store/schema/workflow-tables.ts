// The workflow runner's own tables, written inside one transaction per transition (see
// src/workflow/run-event.ts): the inbox of phase events, their audit, each workflow's progress, the
// outbox, and the intents of effects with consequences outside.
import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { PhaseError } from '../../domain/errors.js';
import type { PhaseStatus } from '../../domain/phase-status.js';
import { ts } from './column-types.js';

/** The inbox: one row per trigger, stored before it is acknowledged. */
export const phaseEvents = pgTable(
  'phase_events',
  {
    id: text('id').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    phase: smallint('phase').notNull(),
    userId: text('user_id').notNull(),
    sellerId: text('seller_id'),
    syncId: text('sync_id'),
    claimId: text('claim_id'),
    caseId: text('case_id'),
    /** The workflow instance: phases of one lane never run at the same time. */
    lane: text('lane').notNull(),
    payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
    source: text('source').notNull(),
    /** The W3C traceparent of the span that stored it (tracing on), so its attempt continues the trace. */
    traceParent: text('trace_parent'),
    status: text('status').$type<PhaseStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    runAfter: ts('run_after').notNull().defaultNow(),
    lockedBy: text('locked_by'),
    lockedUntil: ts('locked_until'),
    /** The `postgres` queue driver's hand-over lease; every state change clears it. */
    dispatchedUntil: ts('dispatched_until'),
    lastError: jsonb('last_error').$type<PhaseError>(),
    result: jsonb('result').$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    completedAt: ts('completed_at'),
  },
  (t) => [
    // Every transition changes `status`, so no update of a row is HOT and each one adds an entry to
    // every index whose predicate the new row meets: an index on all rows costs one per transition.
    uniqueIndex('phase_events_idempotency_key').on(t.idempotencyKey),
    // In the order due events are handed out (dueUnheld: first due first, then arrival), so taking
    // the first few reads only those, not every pending row and a sort, however long the backlog.
    index('phase_events_due_order').on(t.runAfter, t.seq).where(sql`status = 'pending'`),
    // At most one running event per lane: the database keeps a workflow's phases from overlapping.
    // Also how expired leases are found (reclaimExpired): running events are few (one per lane, at
    // most the workers' slots), so none needs an index of its own on locked_until.
    uniqueIndex('phase_events_one_running_per_lane').on(t.lane).where(sql`status = 'running'`),
    // A lane runs its events in order (lane-order.ts): its pending ones, in that order.
    index('phase_events_lane_pending').on(t.lane, t.phase, t.createdAt, t.seq).where(sql`status = 'pending'`),
    index('phase_events_failed').on(t.updatedAt).where(sql`status = 'failed'`),
    index('phase_events_failed_user').on(t.userId, t.updatedAt).where(sql`status = 'failed'`),
    // The sync scheduler's last sync of a seller; phase never changes, so other phases' rows stay out.
    index('phase_events_user_syncs').on(t.userId, t.createdAt).where(sql`phase = 1`),
  ],
);

/** Append-only: one row per status change of a phase event. */
export const phaseAudit = pgTable(
  'phase_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id').notNull(),
    phase: smallint('phase').notNull(),
    userId: text('user_id').notNull(),
    syncId: text('sync_id'),
    claimId: text('claim_id'),
    lane: text('lane').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    attempt: integer('attempt').notNull(),
    workerId: text('worker_id'),
    durationMs: integer('duration_ms'),
    error: jsonb('error').$type<PhaseError>(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    index('phase_audit_user').on(t.userId, t.id),
    // Read by equality only (which implies NOT NULL): rows without the id stay out of these.
    index('phase_audit_sync').on(t.syncId, t.id).where(sql`sync_id IS NOT NULL`),
    index('phase_audit_claim').on(t.claimId, t.id).where(sql`claim_id IS NOT NULL`),
    index('phase_audit_event').on(t.eventId, t.id),
  ],
);

/** The seeds' progress table: where each phase of each workflow stands now. */
export const syncProgress = pgTable(
  'sync_progress',
  {
    lane: text('lane').notNull(),
    phase: smallint('phase').notNull(),
    userId: text('user_id').notNull(),
    syncId: text('sync_id'),
    claimId: text('claim_id'),
    eventId: text('event_id').notNull(),
    status: text('status').$type<PhaseStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    progress: jsonb('progress').$type<Record<string, unknown>>(),
    lastError: jsonb('last_error').$type<PhaseError>(),
    startedAt: ts('started_at'),
    completedAt: ts('completed_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.lane, t.phase] }), index('sync_progress_user').on(t.userId, t.syncId)],
);

/** Messages for sellers' WebSockets and the event mirror, written in the transition's transaction. */
export const outbox = pgTable(
  'outbox',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    userId: text('user_id').notNull(),
    eventId: text('event_id'),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    publishedAt: ts('published_at'),
  },
  (t) => [
    index('outbox_unpublished').on(t.seq).where(sql`published_at IS NULL`),
    index('outbox_user').on(t.userId, t.seq),
    index('outbox_event').on(t.eventId),
  ],
);

/** Effects with consequences outside: recorded as an intent before the call, reconciled on retry. */
export const effects = pgTable('effects', {
  key: text('key').primaryKey(),
  kind: text('kind').notNull(),
  eventId: text('event_id'),
  status: text('status').notNull(),
  attempts: integer('attempts').notNull().default(0),
  request: jsonb('request').$type<unknown>(),
  response: jsonb('response').$type<unknown>(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
