// Rejections and the learning model built from claim outcomes.
import { bigserial, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './column-types.js';

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
    /**
     * Which submission on the case was answered: '' for the one that opened it, a reopening's
     * filing id for a reply on the same case later (src/filing: reopenings).
     */
    roundKey: text('round_key').notNull().default(''),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('rejections_claim_case').on(t.claimId, t.caseId, t.roundKey), index('rejections_user').on(t.userId, t.at)],
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
