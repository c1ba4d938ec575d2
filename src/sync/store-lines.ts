// Report lines go into report_lines once per seller and source, whatever the number of syncs
// that bring them: a repeated or overlapping sync never stores a line twice.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../store/db.js';

export interface LineBatch {
  readonly userId: string;
  readonly source: string;
  readonly syncId: string;
  readonly documentId: string;
  /** Snapshots (fee preview) keep one copy per sync, so the latest can be read whole. */
  readonly perSync?: boolean;
  /**
   * Keep a line repeated within the batch (a seller file where two equal lines mean two
   * deliveries); Amazon's repeated lines are the same fact and are stored once.
   */
  readonly keepRepeats?: boolean;
}

const hashLine = (source: string, line: string) => createHash('sha256').update(source).update('\n').update(line).digest('base64url').slice(0, 32);

/**
 * Buffers lines and stores them in batches, one batch in flight while the next fills, so reading
 * the report and writing the database overlap. Returns how many lines were new.
 */
export function lineWriter(db: Db, batch: LineBatch, size = 1000) {
  let pending: Array<{ line: string; lineNo: number }> = [];
  let stored = 0;
  let fresh = 0;
  let inFlight: Promise<void> | undefined;
  async function flush(): Promise<void> {
    if (pending.length === 0) return;
    const chunk = pending;
    pending = [];
    const scope = batch.perSync ? `${batch.source}@${batch.syncId}` : batch.source;
    // Three array parameters, not one per value: a batch of a thousand lines stays cheap to send
    // and to plan.
    const [result] = await rows<{ n: number }>(db,
      sql`WITH i AS (
            INSERT INTO report_lines (user_id, source, line_hash, line, sync_id, document_id, line_no)
            SELECT ${batch.userId}, ${batch.source}, h, l, ${batch.syncId}, ${batch.documentId}, n
            FROM unnest(${sql.param(chunk.map((r) => hashLine(batch.keepRepeats ? `${scope}#${r.lineNo}` : scope, r.line)))}::text[], ${sql.param(chunk.map((r) => r.line))}::text[],
                        ${sql.param(chunk.map((r) => r.lineNo))}::int[]) AS u(h, l, n)
            ON CONFLICT (user_id, source, line_hash) DO NOTHING RETURNING 1)
          SELECT count(*)::int AS n FROM i`,
    );
    stored += chunk.length;
    fresh += result?.n ?? 0;
  }
  return {
    async add(line: string, lineNo: number): Promise<void> {
      pending.push({ line, lineNo });
      if (pending.length >= size) {
        await inFlight;
        inFlight = flush();
      }
    },
    async finish(): Promise<{ rows: number; newRows: number }> {
      await inFlight;
      await flush();
      return { rows: stored, newRows: fresh };
    },
  };
}
