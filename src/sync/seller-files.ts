// Files a seller gives Clario rather than Amazon: manufacturing costs (costs.csv), which value lost
// and damaged units and reveal underpaid reimbursements, and removal receipts
// (removal-receipts.csv), what arrived of the removal shipments Amazon sent back. Each upload
// replaces the previous one of its kind.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { isCurrency } from '../domain/money.js';
import { type Db, rows } from '../store/db.js';
import type { SyncSource } from './sources.js';
import { isTooLong, LineSplitter, type SplitLine } from '../domain/split-lines.js';
import { lineWriter } from './store-lines.js';

export const COSTS_FILE = 'costs.csv';
export const RECEIPTS_FILE = 'removal-receipts.csv';

export const SELLER_SOURCES: readonly SyncSource[] = [
  { file: COSTS_FILE, kind: 'report', snapshot: true },
  { file: RECEIPTS_FILE, kind: 'report', snapshot: true },
];

export interface UploadReport {
  readonly uploadId: string;
  readonly rows: number;
  readonly problems: ReadonlyArray<{ line: number; message: string }>;
}

export class UploadError extends Error {
  override readonly name: string = 'UploadError';
}

/** The upload is over its size limit: nothing of it is kept. */
export class UploadTooLargeError extends UploadError {
  override readonly name = 'UploadTooLargeError';
}

/** A costs.csv is a line per SKU: 20 MiB is hundreds of thousands of SKUs. */
export const MAX_COSTS_BYTES = 20 * 1024 * 1024;
/** A receipt line is a few ids and a count: 20 MiB is hundreds of thousands of parcels. */
export const MAX_RECEIPTS_BYTES = 20 * 1024 * 1024;
/** Problems listed one by one; beyond, one entry says how many more. */
const MAX_LISTED_PROBLEMS = 100;
/** A line of these files is a few short fields: anything longer is not one. */
const MAX_LINE = 4096;

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s_-]/g, '');
const unquote = (v: string | undefined) => (v ?? '').trim().replace(/^"(.*)"$/, '$1').trim();

/** What one kind of seller file is: its columns, and how a line is checked. */
interface SellerCsv<C extends string> {
  readonly file: string;
  /** Each field's accepted header names, normalized (case, spaces, hyphens, underscores ignored). */
  readonly columns: Readonly<Record<C, readonly string[]>>;
  /** What the first line must name, for the error. */
  readonly expected: string;
  /** A line's problem, or the line to store (null: store it as it came). */
  readonly check: (field: (c: C) => string, width: number, fields: number) => { problem: string } | { line: string | null };
  /** The header stored; the upload's own when absent. */
  readonly header?: string;
  /** Equal lines are separate facts (two deliveries of one parcel), not one line sent twice. */
  readonly keepRepeats?: boolean;
}

const COSTS: SellerCsv<'sku' | 'cost' | 'currency'> = {
  file: COSTS_FILE,
  // manufacturing_cost is the name Amazon uses since 2025; unit_cost is the older header, still read.
  columns: { sku: ['sku'], cost: ['manufacturingcost', 'unitcost'], currency: ['currency'] },
  expected: 'sku, manufacturing_cost (or unit_cost) and currency',
  check: (f) => {
    const cost = f('cost');
    if (!f('sku')) return { problem: 'no sku' };
    if (!/^\d+(\.\d+)?$/.test(cost)) return { problem: `manufacturing cost ${JSON.stringify(cost)} is not a decimal amount` };
    // Detection refuses it too: a unit that cost nothing is reimbursed nothing.
    if (!/[1-9]/.test(cost)) return { problem: `manufacturing cost ${JSON.stringify(cost)} is not more than 0` };
    if (!isCurrency(f('currency'))) return { problem: `currency ${JSON.stringify(f('currency'))} is not an ISO 4217 code` };
    return { line: null };
  },
};

const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** The columns of a stored receipt line, in this order: answers are written the same way. */
export const RECEIPTS_HEADER = 'order_id,sku,tracking_number,received_quantity,received_date';

const RECEIPTS: SellerCsv<'order' | 'sku' | 'tracking' | 'received' | 'date'> = {
  file: RECEIPTS_FILE,
  columns: { order: ['orderid', 'removalorderid'], sku: ['sku'], tracking: ['trackingnumber'], received: ['receivedquantity'], date: ['receiveddate'] },
  expected: 'order_id, sku, tracking_number, received_quantity and received_date',
  header: RECEIPTS_HEADER,
  keepRepeats: true,
  check: (f, width, fields) => {
    // No quoting: a comma inside a field would shift every field after it.
    if (fields !== width) return { problem: `the line has ${fields} fields, the header ${width}` };
    const received = f('received');
    const date = f('date');
    if (!f('order')) return { problem: 'no order_id' };
    if (!f('sku')) return { problem: 'no sku' };
    if (!/^\d+$/.test(received) || !Number.isSafeInteger(Number(received))) return { problem: `received_quantity ${JSON.stringify(received)} is not a whole number of units` };
    if (date !== '' && !isDay(date)) return { problem: `received_date ${JSON.stringify(date)} is not a date YYYY-MM-DD` };
    // Stored in one column order, so the seller's answers can be written beside the upload's lines.
    return { line: receiptLine({ orderId: f('order'), sku: f('sku'), trackingNumber: f('tracking'), received: Number(received), date }) };
  },
};

/** One receipt as a stored line (RECEIPTS_HEADER's order). */
export function receiptLine(r: { orderId: string; sku: string; trackingNumber: string; received: number; date: string }): string {
  return [r.orderId, r.sku, r.trackingNumber, String(r.received), r.date].join(',');
}

async function* chunksOf(input: string | AsyncIterable<Uint8Array | string>, maxBytes: number): AsyncGenerator<string> {
  if (typeof input === 'string') {
    if (Buffer.byteLength(input) > maxBytes) throw new UploadTooLargeError(`the file is larger than ${maxBytes} bytes`);
    yield input;
    return;
  }
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if ((bytes += buf.length) > maxBytes) throw new UploadTooLargeError(`the file is larger than ${maxBytes} bytes`);
    yield decoder.decode(buf, { stream: true });
  }
  yield decoder.decode();
}

/**
 * Checks and stores a seller file; bad lines are reported and left out. The file streams
 * through: lines are stored in batches as they come, never the file whole. Throws
 * UploadTooLargeError past `maxBytes` (and keeps nothing of it), UploadError when no line is usable.
 */
async function storeSellerCsv<C extends string>(db: Db, userId: string, kind: SellerCsv<C>, input: string | AsyncIterable<Uint8Array | string>, maxBytes: number): Promise<UploadReport> {
  const uploadId = `upload_${randomUUID()}`;
  const writer = lineWriter(db, { userId, source: kind.file, syncId: uploadId, documentId: uploadId, perSync: true, keepRepeats: kind.keepRepeats ?? false });
  const problems: Array<{ line: number; message: string }> = [];
  let more = 0;
  const problem = (line: number, message: string) => {
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push({ line, message });
    else more++;
  };
  const noHeader = () => new UploadError(`the first line must name the columns ${kind.expected}`);
  const splitter = new LineSplitter(MAX_LINE);
  let header: string | undefined;
  let width = 0;
  let at = new Map<C, number>();
  let lineNo = 0;
  const take = async (lines: SplitLine[]) => {
    for (const raw of lines) {
      lineNo++;
      if (isTooLong(raw)) {
        if (header === undefined) throw new UploadError(`the first line is longer than ${MAX_LINE} characters; it must name the columns ${kind.expected}`);
        problem(lineNo, `the line is longer than ${MAX_LINE} characters`);
        continue;
      }
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      // PostgreSQL text cannot hold a NUL: such a line is refused here, said as the file's fault.
      if (line.includes('\u0000')) {
        if (header === undefined) throw new UploadError(`the first line contains a NUL character; it must name the columns ${kind.expected}`);
        problem(lineNo, 'the line contains a NUL character');
        continue;
      }
      if (header === undefined) {
        header = line;
        const cols = header.split(',').map((c) => norm(unquote(c)));
        width = cols.length;
        at = new Map((Object.entries(kind.columns) as Array<[C, readonly string[]]>).map(([c, names]) => [c, names.map((n) => cols.indexOf(n)).find((i) => i >= 0) ?? -1]));
        if ([...at.values()].some((i) => i < 0)) throw noHeader();
        continue;
      }
      if (line.trim() === '') continue;
      const f = line.split(',');
      const checked = kind.check((c) => unquote(f[at.get(c) ?? -1]), width, f.length);
      if ('problem' in checked) problem(lineNo, checked.problem);
      else await writer.add(checked.line ?? line, lineNo);
    }
  };
  try {
    for await (const text of chunksOf(input, maxBytes)) {
      const lines: SplitLine[] = [];
      splitter.push(text, lines);
      await take(lines);
    }
    const last: SplitLine[] = [];
    splitter.end(last);
    await take(last);
  } catch (err) {
    // Lines stored so far belong to an upload that never completes: nothing of it may stay.
    await writer.finish().catch(() => undefined);
    await rows(db, sql`DELETE FROM report_lines WHERE user_id = ${userId} AND source = ${kind.file} AND sync_id = ${uploadId}`);
    throw err;
  }
  if (header === undefined) throw noHeader();
  const { rows: lineCount } = await writer.finish();
  const refused = problems.length + more;
  if (lineCount === 0) throw new UploadError(`no usable line (${refused} refused)`);
  if (more > 0) problems.push({ line: 0, message: `and ${more} more lines refused` });
  await rows(db,
    sql`INSERT INTO sync_sources (sync_id, source, user_id, status, header, document_id, rows, new_rows)
        VALUES (${uploadId}, ${kind.file}, ${userId}, 'done', ${kind.header ?? header}, ${uploadId}, ${lineCount}::integer, ${lineCount}::integer)`,
  );
  return { uploadId, rows: lineCount, problems };
}

/** Stores a costs.csv (`sku,manufacturing_cost,currency`; `unit_cost` is read as the same column). */
export function storeCosts(db: Db, userId: string, input: string | AsyncIterable<Uint8Array | string>, maxBytes = MAX_COSTS_BYTES): Promise<UploadReport> {
  return storeSellerCsv(db, userId, COSTS, input, maxBytes);
}

/** Stores a removal-receipts.csv (`order_id,sku,tracking_number,received_quantity,received_date`). */
export function storeRemovalReceipts(db: Db, userId: string, input: string | AsyncIterable<Uint8Array | string>, maxBytes = MAX_RECEIPTS_BYTES): Promise<UploadReport> {
  return storeSellerCsv(db, userId, RECEIPTS, input, maxBytes);
}
