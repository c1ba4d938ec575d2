// The database is the truth; queues only carry ids. Every table here is written by the workflow
// runner inside one transaction per transition (see src/workflow/run-event.ts).
import { sql } from 'drizzle-orm';
import type { ClaimStatus } from '../domain/claim-status.js';
import type { PhaseStatus } from '../domain/phase-status.js';
import {
  bigint,
  bigserial,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

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
    status: text('status').$type<PhaseStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    runAfter: ts('run_after').notNull().defaultNow(),
    lockedBy: text('locked_by'),
    lockedUntil: ts('locked_until'),
    /** The `postgres` queue driver's hand-over lease; every state change clears it. */
    dispatchedUntil: ts('dispatched_until'),
    lastError: jsonb('last_error').$type<{ code: string; message: string }>(),
    result: jsonb('result').$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    completedAt: ts('completed_at'),
  },
  (t) => [
    uniqueIndex('phase_events_idempotency_key').on(t.idempotencyKey),
    index('phase_events_due').on(t.runAfter).where(sql`status = 'pending'`),
    index('phase_events_running').on(t.lockedUntil).where(sql`status = 'running'`),
    // At most one running event per lane: the database keeps a workflow's phases from overlapping.
    uniqueIndex('phase_events_one_running_per_lane').on(t.lane).where(sql`status = 'running'`),
    index('phase_events_failed').on(t.updatedAt).where(sql`status = 'failed'`),
    index('phase_events_user').on(t.userId, t.createdAt),
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
    error: jsonb('error').$type<{ code: string; message: string }>(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    index('phase_audit_user').on(t.userId, t.id),
    index('phase_audit_sync').on(t.syncId, t.id),
    index('phase_audit_claim').on(t.claimId, t.id),
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
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    progress: jsonb('progress').$type<Record<string, unknown>>(),
    lastError: jsonb('last_error').$type<{ code: string; message: string }>(),
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

/** A sync of one seller's Amazon data: phases 1–4 run once per sync run. */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    sellerId: text('seller_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('sync_runs_user').on(t.userId, t.createdAt)],
);

/** A reimbursement claim; phases 5–7 run once per claim. */
export const claims = pgTable(
  'claims',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    syncId: text('sync_id'),
    type: text('type').notNull(),
    status: text('status').$type<ClaimStatus>().notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }),
    currency: text('currency'),
    quantity: integer('quantity'),
    deadline: date('deadline', { mode: 'string' }),
    confidence: real('confidence'),
    caseId: text('case_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('claims_user').on(t.userId, t.status),
    index('claims_deadline').on(t.deadline),
    uniqueIndex('claims_case').on(t.caseId),
  ],
);

/** A seller's Amazon authorization. The refresh token is sealed (src/security/secret-box.ts). */
export const amazonConnections = pgTable(
  'amazon_connections',
  {
    userId: text('user_id').primaryKey(),
    sellingPartnerId: text('selling_partner_id').notNull(),
    region: text('region').notNull(),
    marketplaceIds: jsonb('marketplace_ids').notNull().$type<string[]>(),
    refreshToken: text('refresh_token').notNull(),
    status: text('status').$type<'connected' | 'reconnect_required'>().notNull(),
    lastError: jsonb('last_error').$type<{ code: string; message: string }>(),
    connectedAt: ts('connected_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('amazon_connections_partner').on(t.sellingPartnerId)],
);

/** The OAuth `state` of a consent in progress: single use, short-lived, stored as a hash. */
export const oauthStates = pgTable('oauth_states', {
  stateHash: text('state_hash').primaryKey(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * Report lines as Amazon sent them, one row per distinct line per seller and source, so repeated
 * or overlapping syncs never store a line twice. `header` is the document's header line.
 */
export const reportLines = pgTable(
  'report_lines',
  {
    userId: text('user_id').notNull(),
    source: text('source').notNull(),
    lineHash: text('line_hash').notNull(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    line: text('line').notNull(),
    syncId: text('sync_id').notNull(),
    documentId: text('document_id').notNull(),
    lineNo: integer('line_no').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.source, t.lineHash] }), index('report_lines_order').on(t.userId, t.source, t.seq)],
);

/** Each source of each sync run: resumable, and the progress the seller sees. */
export const syncSources = pgTable(
  'sync_sources',
  {
    syncId: text('sync_id').notNull(),
    source: text('source').notNull(),
    userId: text('user_id').notNull(),
    status: text('status').$type<'pending' | 'done'>().notNull(),
    header: text('header'),
    documentId: text('document_id'),
    rows: integer('rows').notNull().default(0),
    newRows: integer('new_rows').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.syncId, t.source] }), index('sync_sources_user').on(t.userId, t.source)],
);

/**
 * Webhook subscriptions of the event mirror (src/mirror/). The signing secret is sealed with the
 * secret box (context `subscription:<id>`), never stored in the clear.
 */
export const subscriptions = pgTable('subscriptions', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  /** Outbox message types to deliver; empty means all. */
  eventTypes: jsonb('event_types').notNull().$type<string[]>(),
  secret: text('secret').notNull(),
  status: text('status').$type<'active' | 'disabled'>().notNull(),
  disabledReason: text('disabled_reason'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Where each subscription's delivery stands: its own cursor in outbox seq order (the WebSocket
 * relay's published_at says nothing about webhooks), retries of the current message, and a lease
 * so only one worker process delivers a subscription at a time.
 */
export const subscriptionCursors = pgTable(
  'subscription_cursors',
  {
    subscriptionId: text('subscription_id').primaryKey(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    firstFailedAt: ts('first_failed_at'),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lastError: jsonb('last_error').$type<{ code: string; message: string }>(),
    lastDeliveredAt: ts('last_delivered_at'),
    leaseToken: text('lease_token'),
    leasedUntil: ts('leased_until'),
  },
  (t) => [index('subscription_cursors_due').on(t.nextAttemptAt)],
);
