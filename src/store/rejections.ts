import { and, eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { rejections } from './schema/learning-tables.js';

export type RejectionRow = typeof rejections.$inferSelect;

/**
 * Amazon's recorded rejection of one case of a claim (unique per claim, case and round: '' for the
 * submission that opened the case, a reopening's filing id for a reply on it later).
 */
export async function findRejection(q: Db, claimId: string, caseId: string, roundKey = ''): Promise<RejectionRow | undefined> {
  const [row] = await q.select().from(rejections).where(and(eq(rejections.claimId, claimId), eq(rejections.caseId, caseId), eq(rejections.roundKey, roundKey)));
  return row;
}
