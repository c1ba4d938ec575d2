// The database is the truth; queues only carry ids. Every table here is written by the workflow
// runner inside one transaction per transition (see src/workflow/run-event.ts).
import { sql } from 'drizzle-orm';
import type { ClaimStatus } from '../domain/claim-status.js';
import type { PhaseStatus } from '../domain/phase-status.js';
import {
  bigint,
  bigserial,
  boolean,
  customType,
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
    /** The case (src: filings) this claim was filed in; several claims can share one case. */
    filingId: text('filing_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    /** The confidence score's reasons and inputs (evidence coverage, cost, dates, learned rate). */
    score: jsonb('score').$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('claims_user').on(t.userId, t.status),
    index('claims_deadline').on(t.deadline),
    index('claims_case').on(t.caseId),
    index('claims_filing').on(t.filingId),
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

/**
 * The OAuth `state` of a sign-in or consent in progress: single use, short-lived, stored as a hash.
 * It is bound to the browser that started it (`browser_hash`: the hash of a random HttpOnly cookie)
 * and, for a consent, to the signed-in account that started it (`user_id`).
 */
export const oauthStates = pgTable('oauth_states', {
  stateHash: text('state_hash').primaryKey(),
  purpose: text('purpose').$type<'sign_in' | 'connect'>(),
  browserHash: text('browser_hash'),
  userId: text('user_id'),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * A seller's Clario account, keyed by the Login with Amazon `user_id` (amzn1.account…). Nothing
 * else of the Amazon profile is kept: the id is all Clario needs to know who comes back.
 */
export const accounts = pgTable('accounts', {
  userId: text('user_id').primaryKey(),
  lwaUserId: text('lwa_user_id').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastSignInAt: ts('last_sign_in_at').notNull().defaultNow(),
});

/**
 * Seller sessions. A seller token names its session (`sid`); the session, not the token, decides
 * whether it is still good: revoked at sign-out, and never past `expires_at`, however often the
 * page refreshes its token.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** What operators must see about sign-in and connect: refused attempts to take over a seller. */
export const securityEvents = pgTable(
  'security_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    userId: text('user_id'),
    sellingPartnerId: text('selling_partner_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('security_events_at').on(t.at)],
);

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

// ---------------------------------------------------------------------------------------------
// Phases 3–7: evidence, routing, filing, payouts, learning, billing, proof packets.
// ---------------------------------------------------------------------------------------------

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** Uploaded evidence, content-addressed: identical bytes are stored once. */
export const evidenceBlobs = pgTable('evidence_blobs', {
  sha256: text('sha256').primaryKey(),
  bytes: bytea('bytes').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** A seller's evidence file (supplier invoice, proof of delivery) and the report of what was read. */
export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    sha256: text('sha256').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    kind: text('kind').$type<'invoice' | 'proof_of_delivery' | 'other'>().notNull(),
    status: text('status').$type<'parsed' | 'partial' | 'unreadable'>().notNull(),
    /** Per-file report: lines read, lines skipped with why. */
    report: jsonb('report').notNull().$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('evidence_files_user_sha').on(t.userId, t.sha256), index('evidence_files_user').on(t.userId, t.createdAt)],
);

/** A line item read from an evidence file. */
export const evidenceItems = pgTable(
  'evidence_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    fileId: text('file_id').notNull(),
    userId: text('user_id').notNull(),
    lineNo: integer('line_no').notNull(),
    /** Invoice number, delivery note or tracking number. */
    documentRef: text('document_ref'),
    supplier: text('supplier'),
    sku: text('sku'),
    productName: text('product_name'),
    quantity: integer('quantity'),
    unitCostMinor: bigint('unit_cost_minor', { mode: 'number' }),
    currency: text('currency'),
    date: date('date', { mode: 'string' }),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
  },
  (t) => [index('evidence_items_user_sku').on(t.userId, t.sku), index('evidence_items_file').on(t.fileId)],
);

/** Which evidence supports which claim, and how much of it. */
export const claimEvidence = pgTable(
  'claim_evidence',
  {
    claimId: text('claim_id').notNull(),
    fileId: text('file_id').notNull(),
    userId: text('user_id').notNull(),
    role: text('role').$type<'invoice' | 'proof_of_delivery' | 'other'>().notNull(),
    itemIds: jsonb('item_ids').notNull().$type<number[]>(),
    units: integer('units'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.claimId, t.fileId] }), index('claim_evidence_file').on(t.fileId)],
);

/** A smart prompt: what Clario needs from the seller about one claim. One open prompt per claim. */
export const prompts = pgTable(
  'prompts',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    claimId: text('claim_id').notNull(),
    status: text('status').$type<'open' | 'answered' | 'dismissed' | 'superseded'>().notNull(),
    /** What is missing: [{ need: 'confirm' | 'upload_invoice' | 'upload_proof_of_delivery' | ..., message }]. */
    asks: jsonb('asks').notNull().$type<Array<Record<string, unknown>>>(),
    answer: jsonb('answer').$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    answeredAt: ts('answered_at'),
  },
  (t) => [
    uniqueIndex('prompts_one_open_per_claim').on(t.claimId).where(sql`status = 'open'`),
    index('prompts_user').on(t.userId, t.status),
  ],
);

/**
 * A case at Amazon holding one or more claims (at most N items per case). `caseId` is Amazon's id,
 * null while a manual-channel case waits for the seller to file it and record the id.
 */
export const filings = pgTable(
  'filings',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    channel: text('channel').$type<'simulator' | 'manual'>().notNull(),
    caseId: text('case_id'),
    status: text('status').$type<'prepared' | 'filed' | 'approved' | 'rejected'>().notNull(),
    claimIds: jsonb('claim_ids').notNull().$type<string[]>(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    attachments: jsonb('attachments').notNull().$type<Array<Record<string, unknown>>>(),
    /** The seller's calendar day the case counts against for pacing. */
    filedOn: date('filed_on', { mode: 'string' }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    filedAt: ts('filed_at'),
    lastCheckedAt: ts('last_checked_at'),
    decidedAt: ts('decided_at'),
    followUpAt: ts('follow_up_at'),
    followUpReason: text('follow_up_reason'),
  },
  (t) => [
    uniqueIndex('filings_case').on(t.caseId),
    index('filings_user_day').on(t.userId, t.filedOn),
    index('filings_open').on(t.status, t.lastCheckedAt),
  ],
);

/**
 * Every reimbursement row Amazon reported for a seller. `attributed` is true only when its case id
 * is one Clario filed; Amazon's own reimbursements are shown but never billed.
 */
export const reimbursements = pgTable(
  'reimbursements',
  {
    userId: text('user_id').notNull(),
    reimbursementId: text('reimbursement_id').notNull(),
    /** Distinguishes the lines of one reimbursement id (sku, fnsku, order). */
    lineKey: text('line_key').notNull(),
    caseId: text('case_id'),
    claimId: text('claim_id'),
    kind: text('kind').$type<'reimbursement' | 'reversal'>().notNull(),
    reason: text('reason'),
    sku: text('sku'),
    fnsku: text('fnsku'),
    quantity: integer('quantity'),
    /** Cash reimbursed, signed (a reversal is negative). */
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    approvalDate: ts('approval_date'),
    originalReimbursementId: text('original_reimbursement_id'),
    attributed: boolean('attributed').notNull(),
    /**
     * Set when the line is on one of Clario's cases but names no single claim of it (or would pay a
     * claim's units twice): parked for an operator, no phase 7, nothing charged. Null otherwise.
     */
    unmatchedReason: text('unmatched_reason'),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    seenAt: ts('seen_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.reimbursementId, t.lineKey] }),
    index('reimbursements_case').on(t.caseId),
    index('reimbursements_claim').on(t.claimId),
  ],
);

/** Amazon's rejections, classified into the fixed taxonomy (src/domain), with the raw text. */
export const rejections = pgTable(
  'rejections',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: text('user_id').notNull(),
    claimId: text('claim_id').notNull(),
    caseId: text('case_id').notNull(),
    reasonCode: text('reason_code').notNull(),
    rawText: text('raw_text'),
    /** What Clario did about it: re-prompt the seller, refile, or close. */
    action: text('action').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('rejections_claim_case').on(t.claimId, t.caseId), index('rejections_user').on(t.userId, t.at)],
);

/** The learning model: approvals and rejections per claim type and evidence profile (Beta-Binomial). */
export const learningStats = pgTable(
  'learning_stats',
  {
    claimType: text('claim_type').notNull(),
    profile: text('profile').notNull(),
    approved: integer('approved').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.claimType, t.profile] })],
);

/** Every update of the learning model, once per claim outcome (the unique index makes retries safe). */
export const learningHistory = pgTable(
  'learning_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    claimType: text('claim_type').notNull(),
    profile: text('profile').notNull(),
    claimId: text('claim_id').notNull(),
    caseId: text('case_id').notNull(),
    outcome: text('outcome').$type<'approved' | 'rejected'>().notNull(),
    reasonCode: text('reason_code'),
    approvedAfter: integer('approved_after').notNull(),
    rejectedAfter: integer('rejected_after').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('learning_history_once').on(t.claimId, t.caseId, t.outcome), index('learning_history_type').on(t.claimType, t.id)],
);

/**
 * The double-entry ledger: every journal's entries sum to zero per currency. Positive amounts are
 * debits, negative credits. (journal_id, account) is unique so a retried posting is a no-op.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    journalId: text('journal_id').notNull(),
    userId: text('user_id').notNull(),
    account: text('account').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    claimId: text('claim_id'),
    payoutId: text('payout_id'),
    memo: text('memo'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ledger_entries_journal_account').on(t.journalId, t.account), index('ledger_entries_user').on(t.userId, t.at)],
);

/** The fee on one payout (or its refund on a reversal), and where its Stripe charge stands. */
export const feeCharges = pgTable(
  'fee_charges',
  {
    payoutId: text('payout_id').primaryKey(),
    userId: text('user_id').notNull(),
    claimId: text('claim_id').notNull(),
    caseId: text('case_id').notNull(),
    kind: text('kind').$type<'charge' | 'refund'>().notNull(),
    /** For a refund: the payout whose fee it gives back. */
    reversesPayoutId: text('reverses_payout_id'),
    reimbursedMinor: bigint('reimbursed_minor', { mode: 'number' }).notNull(),
    feeMinor: bigint('fee_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    rateBp: integer('rate_bp').notNull(),
    // deferred: earned and owed, below the processor's minimum charge, so not charged on its own;
    // collected: a deferred fee later charged in a batch (batchId); cancelled: a reversal gave back a
    // fee that was never collected, so there was nothing to refund.
    status: text('status').$type<'pending' | 'charged' | 'refunded' | 'failed' | 'deferred' | 'collected' | 'cancelled'>().notNull(),
    /** The batch charge (fee_batches.id) that collected this deferred fee. */
    batchId: text('batch_id'),
    /** Stripe's object id, sealed with the secret box. */
    stripeRef: text('stripe_ref'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('fee_charges_user').on(t.userId, t.createdAt)],
);

/**
 * One charge collecting a seller's owed (deferred) fees in one currency once they reach Stripe's
 * minimum. The id is derived from the fee rows it covers, and is the charge's idempotency key.
 */
export const feeBatches = pgTable(
  'fee_batches',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    currency: text('currency').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    /** The fee_charges payout ids it collects. */
    payoutIds: jsonb('payout_ids').notNull().$type<string[]>(),
    status: text('status').$type<'pending' | 'charged' | 'failed'>().notNull(),
    /** Stripe's PaymentIntent id, sealed with the secret box. */
    stripeRef: text('stripe_ref'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('fee_batches_user').on(t.userId, t.currency)],
);

/** A seller's Stripe customer; the id is sealed with the secret box. */
export const billingCustomers = pgTable('billing_customers', {
  userId: text('user_id').primaryKey(),
  customerRef: text('customer_ref').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Stripe webhook events already handled (Stripe delivers at least once): only what deduplication and an audit need, never the raw event. */
export const billingEvents = pgTable('billing_events', {
  /** Stripe's event id: the deduplication key (equality is needed, so it cannot be sealed); no customer data. */
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  /** When Stripe created the event (null for events recorded before this column). */
  createdAt: ts('created_at'),
  /** The payment intent or charge the event is about, sealed like every other Stripe id. */
  objectRef: text('object_ref'),
  /** Clario's payout id from the object's metadata: which fee the event settled. */
  payoutId: text('payout_id'),
  receivedAt: ts('received_at').notNull().defaultNow(),
});

/** The proof packet of a paid claim: the PDF itself and its SHA-256. */
export const proofPackets = pgTable('proof_packets', {
  claimId: text('claim_id').primaryKey(),
  userId: text('user_id').notNull(),
  payoutId: text('payout_id').notNull(),
  sha256: text('sha256').notNull(),
  bytes: bytea('bytes').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});
