import { sql } from 'drizzle-orm';
import { type Db, rows } from '../store/db.js';

/** A source's latest completed sync for a seller (an upload counts as one): what detection reads. */
export async function latestDone(db: Db, userId: string, source: string) {
  const [row] = await rows<{ sync_id: string; header: string | null; updated_at: Date | string }>(db,
    sql`SELECT sync_id, header, updated_at FROM sync_sources WHERE user_id = ${userId} AND source = ${source} AND status = 'done'
        ORDER BY updated_at DESC LIMIT 1`,
  );
  return row;
}
