// Amazon's recent decisions per claim type, from the learning history (one row per claim outcome,
// counted once): what FILING_MIN_APPROVAL judges a claim type by. The cumulative counts in
// learning_stats cannot say "recent"; the history's rows, with their time, can.
import { and, gte, inArray, sql } from 'drizzle-orm';
import type { RecentDecisions } from '../domain/filing-holds.js';
import type { Db } from '../store/db.js';
import { learningHistory } from '../store/schema/learning-tables.js';

/** Approvals and rejections of each claim type decided at or after `since` (types with none are absent). */
export async function recentDecisions(q: Db, claimTypes: readonly string[], since: Date): Promise<Map<string, RecentDecisions>> {
  const out = new Map<string, RecentDecisions>();
  if (claimTypes.length === 0) return out;
  const rows = await q
    .select({
      type: learningHistory.claimType,
      approved: sql<number>`count(*) FILTER (WHERE ${learningHistory.outcome} = 'approved')::int`,
      rejected: sql<number>`count(*) FILTER (WHERE ${learningHistory.outcome} = 'rejected')::int`,
    })
    .from(learningHistory)
    .where(and(inArray(learningHistory.claimType, [...claimTypes]), gte(learningHistory.at, since)))
    .groupBy(learningHistory.claimType);
  for (const r of rows) out.set(r.type, { approved: Number(r.approved), rejected: Number(r.rejected) });
  return out;
}
