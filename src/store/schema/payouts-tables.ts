// Reimbursements Amazon reported.
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { ts } from './column-types.js';

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
