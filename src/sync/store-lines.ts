// Report lines go into report_lines once per seller and source, whatever the number of syncs
// that bring them: a repeated or overlapping sync never stores a line twice.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Runner } from '../store/db.js';

export interface LineBatch {
  readonly userId: string;
  readonly source: string;
  readonly syncId: string;
  readonly documentId: string;
  /** Snapshots (fee preview) keep one copy per sync, so the latest can be read whole. */
  readonly perSync?: boolean;
}

const hashLine = (source: string, line: string) => createHash('sha256').update(source).update('\n').update(line).digest('base64url').slice(0, 32);

/** Buffers lines and stores them in batches; returns how many were new. */
export function lineWriter(db: Runner, batch: LineBatch, size = 500) {
  let pending: Array<{ line: string; lineNo: number }> = [];
  let stored = 0;
  let fresh = 0;
  async function flush(): Promise<void> {
    if (pending.length === 0) return;
    const rows = pending;
    pending = [];
    const values = sql.join(
      rows.map((r) => sql`(${batch.userId}, ${batch.source}, ${hashLine(batch.perSync ? `${batch.source}@${batch.syncId}` : batch.source, r.line)}, ${r.line}, ${batch.syncId}, ${batch.documentId}, ${r.lineNo}::integer)`),
      sql`, `,
    );
    const inserted = await db.run(
      sql`INSERT INTO report_lines (user_id, source, line_hash, line, sync_id, document_id, line_no) VALUES ${values}
          ON CONFLICT (user_id, source, line_hash) DO NOTHING RETURNING line_no`,
    );
    stored += rows.length;
    fresh += inserted.length;
  }
  return {
    async add(line: string, lineNo: number): Promise<void> {
      pending.push({ line, lineNo });
      if (pending.length >= size) await flush();
    },
    async finish(): Promise<{ rows: number; newRows: number }> {
      await flush();
      return { rows: stored, newRows: fresh };
    },
  };
}
