// Cases filed at Amazon.
import { date, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './column-types.js';

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
