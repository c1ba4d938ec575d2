// Cases filed at Amazon.
import { sql } from 'drizzle-orm';
import { date, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ReplyOutcome } from '../../domain/amazon-reply.js';
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
    /**
     * A reopening: the seller replies on this Amazon case (rejected, or asking for documents) with
     * what Clario now has, rather than opening a new case. Its case id, once recorded, is this one.
     */
    reopensCaseId: text('reopens_case_id'),
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
    // One filing opens a seller's Amazon case; its reopenings carry the same case id (a submission
    // each). Case ids are Amazon's per seller account, so two sellers may hold the same one.
    uniqueIndex('filings_case').on(t.userId, t.caseId).where(sql`${t.reopensCaseId} IS NULL`),
    index('filings_user_day').on(t.userId, t.filedOn),
    index('filings_open').on(t.status, t.lastCheckedAt),
  ],
);

/**
 * Amazon's replies on a case, as pasted by the person who filed it: every one kept, read into an
 * outcome. The same text pasted twice (whitespace aside) is one reply: `text_hash` is unique per
 * filing, and what the reply triggered is stored with it, so a repeat answers the same.
 */
export const filingReplies = pgTable(
  'filing_replies',
  {
    id: text('id').primaryKey(),
    filingId: text('filing_id').notNull(),
    userId: text('user_id').notNull(),
    caseId: text('case_id').notNull(),
    text: text('text').notNull(),
    textHash: text('text_hash').notNull(),
    outcome: text('outcome').$type<ReplyOutcome>().notNull(),
    /** The reading (amount, reimbursement ids, items, reason, needs): src/domain/amazon-reply.ts. */
    reading: jsonb('reading').notNull().$type<Record<string, unknown>>(),
    /** What it set off, per claim: the phase event accepted (or none, and why). */
    effects: jsonb('effects').notNull().$type<Array<Record<string, unknown>>>(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('filing_replies_once').on(t.filingId, t.textHash), index('filing_replies_case').on(t.caseId, t.receivedAt)],
);
