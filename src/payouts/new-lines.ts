// Reimbursement report lines a seller's syncs brought in since payouts last looked. The cursor is
// the highest report_lines.seq already stored in `reimbursements` (raw.line_seq): storing a line
// is what moves it, so a crash before that re-reads the line and crediting it again is a no-op.
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../store/db.js';
import { parseReimbursementLine, type ReimbursementLine } from './reimbursement-line.js';

export const REIMBURSEMENTS_SOURCE = 'GET_FBA_REIMBURSEMENTS_DATA.tsv';

/**
 * Users whose reimbursement lines go beyond what payouts has stored. Each seller's newest line is
 * one step down report_lines_order, found from the sellers that have the source (report_streams),
 * so a round costs the same however many lines are stored (grouping every line read them all).
 */
export async function usersWithNewLines(db: Db): Promise<string[]> {
  const found = await rows<{ user_id: string }>(db, sql`
    SELECT s.user_id FROM report_streams s
    WHERE s.source = ${REIMBURSEMENTS_SOURCE}
      AND (SELECT max(l.seq) FROM report_lines l WHERE l.user_id = s.user_id AND l.source = s.source)
        > coalesce((SELECT max((r.raw->>'line_seq')::bigint) FROM reimbursements r WHERE r.user_id = s.user_id), 0)
    ORDER BY s.user_id`);
  return found.map((r) => r.user_id);
}

export interface NewLines {
  readonly lines: ReimbursementLine[];
  readonly problems: Array<{ seq: number; problem: string }>;
}

export async function newReimbursementLines(db: Db, userId: string, limit = 1000): Promise<NewLines> {
  const found = await rows<{ seq: string | number; line: string; header: string | null }>(db, sql`
    SELECT l.seq, l.line, s.header FROM report_lines l
    LEFT JOIN sync_sources s ON s.sync_id = l.sync_id AND s.source = l.source
    WHERE l.user_id = ${userId} AND l.source = ${REIMBURSEMENTS_SOURCE}
      AND l.seq > coalesce((SELECT max((r.raw->>'line_seq')::bigint) FROM reimbursements r WHERE r.user_id = ${userId}), 0)
    ORDER BY l.seq LIMIT ${limit}`);
  const lines: ReimbursementLine[] = [];
  const problems: Array<{ seq: number; problem: string }> = [];
  for (const f of found) {
    // The header is recorded when the source finishes: a sync still writing this report is read
    // next time, and nothing after it either, so the cursor never jumps over it.
    if (!f.header) break;
    const seq = Number(f.seq);
    const parsed = parseReimbursementLine(f.header, f.line, seq);
    if ('line' in parsed) lines.push(parsed.line);
    else problems.push({ seq, problem: parsed.problem });
  }
  return { lines, problems };
}
