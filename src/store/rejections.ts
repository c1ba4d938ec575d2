import { and, eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { rejections } from './schema/learning-tables.js';

export type RejectionRow = typeof rejections.$inferSelect;

/** Amazon's recorded rejection of one case of a claim (unique per claim and case). */
export async function findRejection(q: Db, claimId: string, caseId: string): Promise<RejectionRow | undefined> {
  const [row] = await q.select().from(rejections).where(and(eq(rejections.claimId, claimId), eq(rejections.caseId, caseId)));
  return row;
}
