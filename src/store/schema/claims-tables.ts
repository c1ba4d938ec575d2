// The claims detection finds; phases 5–7 run once per claim.
import { bigint, date, index, integer, jsonb, pgTable, real, text } from 'drizzle-orm/pg-core';
import type { ClaimStatus } from '../../domain/claim-status.js';
import { ts } from './column-types.js';

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
