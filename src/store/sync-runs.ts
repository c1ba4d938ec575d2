import { desc, eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { syncRuns } from './schema/sync-tables.js';

export type SyncRun = typeof syncRuns.$inferSelect;

export async function findSyncRun(q: Db, id: string): Promise<SyncRun | undefined> {
  const [row] = await q.select().from(syncRuns).where(eq(syncRuns.id, id));
  return row;
}

export async function latestSyncRun(q: Db, userId: string): Promise<SyncRun | undefined> {
  const [row] = await q.select().from(syncRuns).where(eq(syncRuns.userId, userId)).orderBy(desc(syncRuns.createdAt)).limit(1);
  return row;
}

export async function insertSyncRun(q: Db, run: { id: string; userId: string; sellerId: string | null }): Promise<void> {
  await q.insert(syncRuns).values(run).onConflictDoNothing();
}
