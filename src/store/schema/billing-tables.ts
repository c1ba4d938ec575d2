// Money: the double-entry ledger, fees and their Stripe charges, customers, webhook events.
import { bigint, bigserial, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './column-types.js';

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
