// Writes a seller's stored report lines back out as the folder DETECTION.md describes, so the
// service runs exactly the detection that `clario detect` runs on files. Each written line
// remembers which stored line it came from, so claims can cite Amazon's documents.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../store/db.js';
import { receiptLine, RECEIPTS_FILE, RECEIPTS_HEADER, SELLER_SOURCES } from './seller-files.js';
import { REMOVAL_SHIPMENTS_FILE, removalReceipts } from './removal-shipments.js';
import { SYNC_SOURCES, type SyncSource } from './sources.js';
import { latestDone } from './latest-sync.js';
import { FINANCIAL_LISTS } from '../detection/read/financial-events.js';
import { TRANSACTION_LISTS } from '../detection/read/transactions.js';
import { SOURCE_FILES } from '../detection/read/folder.js';

const PAGE = 5000;

/** For each written file: the stored line's seq at each 1-based line number (0: not a stored line). */
export type Lineage = Map<string, number[]>;

async function* stored(db: Db, userId: string, source: SyncSource, onlySync: string | undefined, prefix?: string) {
  let after = 0;
  for (;;) {
    const page = await rows<{ seq: string | number; line: string }>(db,
      sql`SELECT seq, line FROM report_lines WHERE user_id = ${userId} AND source = ${source.file} AND seq > ${after}
          ${onlySync ? sql`AND sync_id = ${onlySync}` : sql``} ${prefix ? sql`AND line LIKE ${`${prefix}\t%`}` : sql``}
          ORDER BY seq LIMIT ${PAGE}`,
    );
    for (const r of page) yield { seq: Number(r.seq), line: prefix ? r.line.slice(prefix.length + 1) : r.line };
    if (page.length < PAGE) return;
    after = Number(page[page.length - 1]?.seq ?? after);
  }
}

async function writeLines(path: string, lines: AsyncIterable<{ text: string; seq: number }>): Promise<number[]> {
  const out = createWriteStream(path);
  const seqs: number[] = [0];
  try {
    for await (const l of lines) {
      if (!out.write(`${l.text}\n`)) await once(out, 'drain');
      seqs.push(l.seq);
    }
  } finally {
    out.end();
    await once(out, 'finish');
  }
  return seqs;
}

async function* tsv(db: Db, userId: string, source: SyncSource, header: string, onlySync: string | undefined) {
  yield { text: header, seq: 0 };
  for await (const r of stored(db, userId, source, onlySync)) yield { text: r.line, seq: r.seq };
}

/** A JSON object of arrays, one element per line, so line numbers point at single items. */
async function* jsonOfLists(db: Db, userId: string, source: SyncSource, lists: readonly string[]) {
  yield { text: '{', seq: 0 };
  for (const [i, list] of lists.entries()) {
    yield { text: `${JSON.stringify(list)}: [`, seq: 0 };
    let first = true;
    for await (const r of stored(db, userId, source, undefined, list)) {
      yield { text: `${first ? '' : ','}${r.line}`, seq: r.seq };
      first = false;
    }
    yield { text: `]${i < lists.length - 1 ? ',' : ''}`, seq: 0 };
  }
  yield { text: '}', seq: 0 };
}

/**
 * The removal shipments and the seller's receipts, written together: a shipment the seller has
 * not spoken for (no receipt row, no answer, not due before their last upload) is held back, so
 * that "no row means nothing arrived" never turns an unanswered question into a claim. The
 * receipts are the latest upload's lines, then the answers for shipments it has no row for.
 */
async function writeRemovals(db: Db, userId: string, dir: string, lineage: Lineage): Promise<void> {
  const view = await removalReceipts(db, userId);
  const shipments = await latestDone(db, userId, REMOVAL_SHIPMENTS_FILE);
  if (shipments?.header) {
    const held = new Set(view.shipments.filter((s) => s.state === 'awaiting').flatMap((s) => s.seqs));
    const header = shipments.header;
    const lines = async function* () {
      yield { text: header, seq: 0 };
      for await (const r of stored(db, userId, { file: REMOVAL_SHIPMENTS_FILE, kind: 'report' }, undefined)) if (!held.has(r.seq)) yield { text: r.line, seq: r.seq };
    };
    lineage.set(REMOVAL_SHIPMENTS_FILE, await writeLines(join(dir, REMOVAL_SHIPMENTS_FILE), lines()));
  }
  if (view.uploadSyncId === undefined && view.answerLines.length === 0) return;
  const { uploadSyncId, answerLines } = view;
  const receipts = async function* () {
    yield { text: RECEIPTS_HEADER, seq: 0 };
    if (uploadSyncId) for await (const r of stored(db, userId, { file: RECEIPTS_FILE, kind: 'report' }, uploadSyncId)) yield { text: r.line, seq: r.seq };
    // An answer says how many arrived, not when: no date, so it counts whatever the as-of day.
    for (const a of answerLines) yield { text: receiptLine({ ...a, date: '' }), seq: 0 };
  };
  lineage.set(RECEIPTS_FILE, await writeLines(join(dir, RECEIPTS_FILE), receipts()));
}

/**
 * The file to write for a source and its latest completed sync. Finance data comes from one of
 * two APIs (finance-lines.ts): only the file of the API the latest sync used is written. Each
 * file holds its own API's whole history (each is fetched from its own last sync on, the first
 * time from the start), so the latest is complete; writing both would hand detection the same
 * refunds twice, and it would read v0's file even when that stopped being updated.
 */
async function chosen(db: Db, userId: string, source: SyncSource) {
  const latest = await latestDone(db, userId, source.file);
  const fallback = source.fallback ? await latestDone(db, userId, source.fallback) : undefined;
  if (fallback && source.fallback && (!latest || new Date(fallback.updated_at).getTime() > new Date(latest.updated_at).getTime())) {
    return { source: { ...source, file: source.fallback }, latest: fallback };
  }
  return latest ? { source, latest } : undefined;
}

/**
 * The lists of a JSON source that detection reads (its readers' own names), in the order written.
 * Only those are written: finding every list a source holds took a read of all its lines, and each
 * list written takes another (Finances v0 names many event lists besides the three detection reads).
 */
const LISTS_READ: Readonly<Record<string, readonly string[]>> = {
  // The names the sync stores inbound lists under (sync-seller.ts).
  [SOURCE_FILES.inbound]: ['shipments', 'items'],
  [SOURCE_FILES.transactions]: Object.values(TRANSACTION_LISTS).flat(),
  [SOURCE_FILES.financialEvents]: Object.values(FINANCIAL_LISTS).flat().sort(),
};

export async function materialize(db: Db, userId: string, dir: string): Promise<Lineage> {
  const lineage: Lineage = new Map();
  await writeRemovals(db, userId, dir, lineage);
  for (const listed of [...SYNC_SOURCES, ...SELLER_SOURCES]) {
    // Written above, together.
    if (listed.file === REMOVAL_SHIPMENTS_FILE || listed.file === RECEIPTS_FILE) continue;
    const found = await chosen(db, userId, listed);
    if (!found) continue;
    const { source, latest } = found;
    const path = join(dir, source.file);
    if (source.kind === 'report') {
      if (!latest.header) continue;
      lineage.set(source.file, await writeLines(path, tsv(db, userId, source, latest.header, source.snapshot ? latest.sync_id : undefined)));
    } else {
      const lists = LISTS_READ[source.file];
      if (!lists) throw new Error(`no lists are known for ${source.file}`);
      lineage.set(source.file, await writeLines(path, jsonOfLists(db, userId, source, lists)));
    }
  }
  return lineage;
}

/**
 * A cited line: Amazon's document and line number when it is a stored line, else the file's own
 * line. `seq` is the stored line's place in report_lines, so a proof packet reads it back by index.
 */
export type CitedLine = { file: string; document_id: string; line: number; sync_id: string; seq: number } | { file: string; line: number };

/**
 * Where each claim's cited lines came from: Amazon's document and line number. One statement for
 * every claim of a run, by seller, source and seq: `seq` alone has no index (another index would
 * slow every sync), so asking by seq read the whole table, once per claim (267 ms a claim at a
 * million stored lines on PostgreSQL, against about 2 ms for 300 lines asked this way).
 */
export async function resolveLineage(
  db: Db,
  userId: string,
  lineage: Lineage,
  claims: ReadonlyArray<ReadonlyArray<{ file: string; line: number }>>,
): Promise<CitedLine[][]> {
  const seqOf = (r: { file: string; line: number }) => lineage.get(r.file)?.[r.line] ?? 0;
  const stored = claims.flat().filter((r) => seqOf(r) > 0);
  const wanted = [...new Set(stored.map(seqOf))];
  // A written file's lines come from the source of its name (materialize), so seller, source and
  // seq make an index lookup (report_lines_order) whatever the table's size.
  const sources = [...new Set(stored.map((r) => r.file))];
  const found = wanted.length
    ? await rows<{ seq: string | number; document_id: string; line_no: number; sync_id: string }>(db,
        sql`SELECT seq, document_id, line_no, sync_id FROM report_lines
            WHERE user_id = ${userId} AND source IN (${sql.join(sources.map((f) => sql`${f}`), sql`, `)}) AND seq = ANY(${`{${wanted.join(',')}}`}::bigint[])`,
      )
    : [];
  const bySeq = new Map(found.map((f) => [Number(f.seq), f]));
  return claims.map((refs) =>
    refs.map((r) => {
      const f = bySeq.get(seqOf(r));
      return f ? { file: r.file, document_id: f.document_id, line: f.line_no, sync_id: f.sync_id, seq: Number(f.seq) } : { file: r.file, line: r.line };
    }),
  );
}
