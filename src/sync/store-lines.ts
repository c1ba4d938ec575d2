// Report lines go into report_lines once per seller and source, whatever the number of syncs
// that bring them: a repeated or overlapping sync never stores a line twice. A line with a key
// (a Finances transaction's transactionId) is stored once per key and first field (its list's
// name) instead, and a later version replaces it in place: Amazon changes a deferred transaction's
// status when it releases it, and two versions of one refund would be counted as two refunds.
import { hash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { copyMerge, engineOf, type StageMerge } from '../store/copy-merge.js';
import { escapeCopyText } from '../store/copy-text.js';
import { type Db, rows } from '../store/db.js';

export interface LineBatch {
  readonly userId: string;
  readonly source: string;
  readonly syncId: string;
  /** The document the lines come from, unless `add` names another (a source's later pages). */
  readonly documentId: string;
  /** Snapshots (fee preview) keep one copy per sync, so the latest can be read whole. */
  readonly perSync?: boolean;
  /**
   * Keep a line repeated within the batch (a seller file where two equal lines mean two
   * deliveries); Amazon's repeated lines are the same fact and are stored once.
   */
  readonly keepRepeats?: boolean;
}

// The line's key in report_lines, as the 32 hex digits a uuid reads: 4 bytes of the SHA-256 of the
// line's first field (most reports' date; a Finances line's list name), then the first 12 bytes
// of the SHA-256 of what identifies the line. The prefix keeps one day's lines together in the
// key's index, so a batch touches a few of its pages, not one per line (merging 1,200,000 ledger
// lines in psql: 11.7 → 8.0 s). Migration 0018 computes the same in SQL.
// crypto.hash (one call, no Hash object): about 0.5 µs a line here against 2.3 for createHash's.
const lineHash = (scope: string, identity: string) => hash('sha256', `${scope}\n${identity}`, 'hex').slice(0, 24);
// Hashed for every line, not remembered: a date costs about 0.3 µs, of a sync's ~27 µs a line;
// a cache saved 0.25 µs of it and needed bounds (a CSV line has no tab: its first field is all of it).
const linePrefix = (line: string) => {
  const tab = line.indexOf('\t');
  return hash('sha256', tab === -1 ? line : line.slice(0, tab), 'hex').slice(0, 8);
};

// The batch goes in by COPY into a staging table, then one merge (see copy-merge.ts). `o` keeps the
// batch's order, so `seq` follows the report as it did with one INSERT per batch; `d` is each
// line's document, so one batch can span a source's many small pages.
const MERGE: StageMerge = {
  stage: 'clario_stage_report_lines',
  columns: 'o int NOT NULL, h uuid NOT NULL, l text NOT NULL, n int NOT NULL, d text NOT NULL',
  name: 'clario_merge_report_lines',
  merge: `INSERT INTO report_lines (user_id, source, stream_id, line_hash, line, sync_id, document_id, line_no)
          SELECT $1, $2, $4::integer, h, l, $3, d, n FROM clario_stage_report_lines ORDER BY o
          ON CONFLICT (stream_id, line_hash) DO UPDATE
            SET line = EXCLUDED.line, sync_id = EXCLUDED.sync_id, document_id = EXCLUDED.document_id, line_no = EXCLUDED.line_no
            WHERE report_lines.line <> EXCLUDED.line`,
};

/** The number that stands for this seller's lines of this source in report_lines' key, made the first time. */
export async function streamId(db: Db, userId: string, source: string): Promise<number> {
  // DO UPDATE, not DO NOTHING: it returns the row that is there, so one statement answers either way.
  const [row] = await rows<{ id: number }>(db, sql`INSERT INTO report_streams (user_id, source) VALUES (${userId}, ${source})
    ON CONFLICT (user_id, source) DO UPDATE SET user_id = EXCLUDED.user_id RETURNING id`);
  if (!row) throw new Error('report_streams returned no row');
  return Number(row.id);
}

/**
 * Lines per batch and (roughly: UTF-16 units, not bytes) characters per batch. PostgreSQL takes
 * big batches well: fewer round trips and commits. PGlite runs in this process, one query at a
 * time, so its batches stay smaller and other queries wait less behind one.
 */
export const BATCH_LIMITS = {
  postgres: { lines: 10_000, chars: 2 * 2 ** 20 },
  pglite: { lines: 2_000, chars: 2 ** 20 },
} as const;

/**
 * Buffers lines and stores them in batches, one batch in flight while the next fills, so reading
 * the report and writing the database overlap. Returns how many lines were new (or replaced).
 * `limits` overrides the engine's batch size (tests).
 */
export function lineWriter(db: Db, batch: LineBatch, limits: { lines: number; chars: number } = BATCH_LIMITS[engineOf(db)]) {
  let pending: Array<{ line: string; lineNo: number; key: string | undefined; documentId: string }> = [];
  let pendingChars = 0;
  let stored = 0;
  let fresh = 0;
  let inFlight: Promise<void> | undefined;
  let stream: Promise<number> | undefined;
  async function flush(): Promise<void> {
    if (pending.length === 0) return;
    const scope = batch.perSync ? `${batch.source}@${batch.syncId}` : batch.source;
    // One row per hash in a statement (PostgreSQL refuses to update a row twice): the last version
    // wins, in the place of the first.
    const byHash = new Map(pending.map((r) => [linePrefix(r.line) + lineHash(batch.keepRepeats ? `${scope}#${r.lineNo}` : scope, r.key === undefined ? r.line : `\u0000key\u0000${r.key}`), r]));
    const count = pending.length;
    pending = [];
    pendingChars = 0;
    // Built as one string: the hash is hex (nothing to escape), the numbers are digits.
    let data = '';
    let o = 0;
    for (const [h, r] of byHash) data += `${o++}\t${h}\t${escapeCopyText(r.line)}\t${r.lineNo}\t${escapeCopyText(r.documentId)}\n`;
    // Only now, with this batch taken out of `pending`: lines added meanwhile belong to the next.
    stream ??= streamId(db, batch.userId, batch.source);
    const streamOf = await stream;
    const n = await copyMerge(db, MERGE, data, [batch.userId, batch.source, batch.syncId, streamOf]);
    stored += count;
    fresh += n;
  }
  return {
    /**
     * `key`: the line's identity when a later version may differ (see above), within the line's
     * first field (a Finances line's list name, which its versions share); else the line itself.
     * `documentId`: the line's document when not the batch's.
     */
    async add(line: string, lineNo: number, key?: string, documentId = batch.documentId): Promise<void> {
      pending.push({ line, lineNo, key, documentId });
      pendingChars += line.length;
      if (pending.length >= limits.lines || pendingChars >= limits.chars) {
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
