// A report line stored by hand, as a sync would store it (its seller's stream, a 16-byte key), for
// tests that set up a seller's data without running a sync.
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../src/store/db.js';
import { streamId } from '../../src/sync/store-lines.js';

export interface HandLine {
  readonly userId: string;
  readonly source: string;
  readonly line: string;
  readonly syncId: string;
  readonly documentId: string;
  readonly lineNo: number;
  /** What makes the line distinct within its seller and source (default: the line itself). */
  readonly key?: string;
}

/** Stores the line; returns its seq. */
export async function storeLine(db: Db, l: HandLine): Promise<number> {
  const stream = await streamId(db, l.userId, l.source);
  const [r] = await rows<{ seq: string | number }>(db, sql`INSERT INTO report_lines (user_id, source, stream_id, line_hash, line, sync_id, document_id, line_no)
    VALUES (${l.userId}, ${l.source}, ${stream}, md5(${l.key ?? l.line})::uuid, ${l.line}, ${l.syncId}, ${l.documentId}, ${l.lineNo}) RETURNING seq`);
  return Number(r?.seq);
}
