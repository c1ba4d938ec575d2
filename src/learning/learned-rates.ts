// The learning model as the scorer sees it (the `LearnedRates` port of src/domain/scoring.ts).
// It reads learning_stats every time: one primary-key lookup, and always right across processes.
import { and, eq } from 'drizzle-orm';
import { betaEstimate, type ApprovalEstimate, type EvidenceProfile, type LearnedRates } from '../domain/scoring.js';
import type { Db } from '../store/db.js';
import { learningStats } from '../store/schema/learning-tables.js';

export async function readEstimate(q: Db, claimType: string, profile: EvidenceProfile): Promise<ApprovalEstimate | undefined> {
  const [row] = await q
    .select({ approved: learningStats.approved, rejected: learningStats.rejected })
    .from(learningStats)
    .where(and(eq(learningStats.claimType, claimType), eq(learningStats.profile, profile)));
  // No answer yet for this type and profile: no opinion, so the evidence alone decides.
  if (!row || row.approved + row.rejected === 0) return undefined;
  return betaEstimate(row.approved, row.rejected);
}

/** Reads through `q` (the database, or a transaction to see its own writes). */
export function learnedRates(q: Db): LearnedRates {
  return { estimate: (claimType, profile) => readEstimate(q, claimType, profile) };
}
