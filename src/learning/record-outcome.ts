// One claim outcome (Amazon approved or rejected a case) updates the learning model, once: the
// history row's unique index (claim, case, outcome) turns a retry or a duplicate trigger into a
// no-op, and the counts move only when that row was inserted, in the caller's transaction.
import { and, eq, sql } from 'drizzle-orm';
import { betaEstimate, type ApprovalEstimate } from '../domain/scoring.js';
import type { Db } from '../store/db.js';
import { learningHistory, learningStats } from '../store/schema/learning-tables.js';
import { profileOf } from './profile.js';

export type Outcome = 'approved' | 'rejected';

export interface OutcomeInput {
  readonly claim: { readonly id: string; readonly type: string; readonly score: Record<string, unknown> | null };
  readonly caseId: string;
  readonly outcome: Outcome;
  readonly reasonCode?: string | undefined;
}

export interface RecordedOutcome {
  /** False when this outcome was already counted. */
  readonly counted: boolean;
  readonly claimType: string;
  readonly profile: string;
  /** The model for this claim type and profile after the outcome. */
  readonly estimate: ApprovalEstimate;
}

/** Call inside the transaction that records the outcome (phase 6's or phase 7's commit). */
export async function recordOutcome(q: Db, input: OutcomeInput): Promise<RecordedOutcome> {
  const claimType = input.claim.type;
  const profile = profileOf(input.claim.score);
  const where = and(eq(learningStats.claimType, claimType), eq(learningStats.profile, profile));
  await q.insert(learningStats).values({ claimType, profile }).onConflictDoNothing();
  // The row lock orders concurrent outcomes of one type and profile, so counts never go lost.
  const [stats] = await q.select().from(learningStats).where(where).for('update');
  if (!stats) throw new Error(`learning_stats row for ${claimType}/${profile} vanished`);
  const approvedAfter = stats.approved + (input.outcome === 'approved' ? 1 : 0);
  const rejectedAfter = stats.rejected + (input.outcome === 'rejected' ? 1 : 0);
  const inserted = await q
    .insert(learningHistory)
    .values({
      claimType,
      profile,
      claimId: input.claim.id,
      caseId: input.caseId,
      outcome: input.outcome,
      reasonCode: input.reasonCode ?? null,
      approvedAfter,
      rejectedAfter,
    })
    .onConflictDoNothing()
    .returning({ id: learningHistory.id });
  if (inserted.length === 0) return { counted: false, claimType, profile, estimate: betaEstimate(stats.approved, stats.rejected) };
  await q.update(learningStats).set({ approved: approvedAfter, rejected: rejectedAfter, updatedAt: sql`now()` }).where(where);
  return { counted: true, claimType, profile, estimate: betaEstimate(approvedAfter, rejectedAfter) };
}
