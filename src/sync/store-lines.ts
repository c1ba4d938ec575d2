// Report lines go into report_lines once per seller and source, whatever the number of syncs
// that bring them: a repeated or overlapping sync never stores a line twice. A line with a key
// (a Finances transaction's transactionId) is stored once per key instead, and a later version
// replaces it in place: Amazon changes a deferred transaction's status when it releases it, and
// two versions of one refund would be counted as two refunds.
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
 * the report and writing the database overlap. Returns how many lines were new (or replaced).
 */
export function lineWriter(db: Db, batch: LineBatch, size = 1000) {
  let pending: Array<{ line: string; lineNo: number; key?: string }> = [];
  let stored = 0;
  let fresh = 0;
  let inFlight: Promise<void> | undefined;
  async function flush(): Promise<void> {
    if (pending.length === 0) return;
    const scope = batch.perSync ? `${batch.source}@${batch.syncId}` : batch.source;
    // One row per hash in a statement (PostgreSQL refuses to update a row twice): the last version wins.
    const byHash = new Map(pending.map((r) => [hashLine(batch.keepRepeats ? `${scope}#${r.lineNo}` : scope, r.key === undefined ? r.line : `\u0000key\u0000${r.key}`), r]));
    const chunk = [...byHash.values()];
    const hashes = [...byHash.keys()];
    const count = pending.length;
    pending = [];
    // Three array parameters, not one per value: a batch of a thousand lines stays cheap to send
    // and to plan.
    const [result] = await rows<{ n: number }>(db,
      sql`WITH i AS (
            INSERT INTO report_lines (user_id, source, line_hash, line, sync_id, document_id, line_no)
            SELECT ${batch.userId}, ${batch.source}, h, l, ${batch.syncId}, ${batch.documentId}, n
            FROM unnest(${sql.param(hashes)}::text[], ${sql.param(chunk.map((r) => r.line))}::text[],
                        ${sql.param(chunk.map((r) => r.lineNo))}::int[]) AS u(h, l, n)
            ON CONFLICT (user_id, source, line_hash) DO UPDATE
              SET line = EXCLUDED.line, sync_id = EXCLUDED.sync_id, document_id = EXCLUDED.document_id, line_no = EXCLUDED.line_no
              WHERE report_lines.line <> EXCLUDED.line
            RETURNING 1)
          SELECT count(*)::int AS n FROM i`,
    );
    stored += count;
    fresh += result?.n ?? 0;
  }
  return {
    /** `key`: the line's identity when a later version may differ (see above); else the line itself. */
    async add(line: string, lineNo: number, key?: string): Promise<void> {
      pending.push({ line, lineNo, ...(key === undefined ? {} : { key }) });
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
