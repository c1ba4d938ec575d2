// What the operator view reads beyond the existing status endpoints.
import { and, desc, eq } from 'drizzle-orm';
import type { Queryable } from '../store/db.js';
import { phaseEvents } from '../store/schema.js';

/** Parked events (all users, or one), newest first: what an operator may replay. */
export async function parkedEvents(q: Queryable, userId: string | undefined, limit: number) {
  const failed = eq(phaseEvents.status, 'failed');
  return q
    .select()
    .from(phaseEvents)
    .where(userId ? and(failed, eq(phaseEvents.userId, userId)) : failed)
    .orderBy(desc(phaseEvents.updatedAt))
    .limit(limit);
}
