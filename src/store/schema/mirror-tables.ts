// The event mirror (src/mirror/): webhook subscriptions and where each one's delivery stands.
import { bigint, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './column-types.js';

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
