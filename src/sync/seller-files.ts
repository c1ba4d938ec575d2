// Files a seller gives Clario rather than Amazon: unit costs (costs.csv), which value lost and
// damaged units and reveal underpaid reimbursements. Each upload replaces the previous one.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { isCurrency } from '../domain/money.js';
import { type Db, rows } from '../store/db.js';
import type { SyncSource } from './sources.js';
import { isTooLong, LineSplitter, type SplitLine } from '../domain/split-lines.js';
import { lineWriter } from './store-lines.js';

export const SELLER_SOURCES: readonly SyncSource[] = [{ file: 'costs.csv', kind: 'report', snapshot: true }];

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
/** Problems listed one by one; beyond, one entry says how many more. */
const MAX_LISTED_PROBLEMS = 100;
/** A costs line is a SKU, an amount and a currency: anything longer is not one. */
const MAX_COSTS_LINE = 4096;

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s_-]/g, '');

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
 * Checks and stores a costs.csv (`sku,unit_cost,currency`); bad lines are reported and left out.
 * The file streams through: lines are stored in batches as they come, never the file whole.
 * Throws UploadTooLargeError past `maxBytes` (and keeps nothing of it), UploadError when no line is usable.
 */
export async function storeCosts(db: Db, userId: string, input: string | AsyncIterable<Uint8Array | string>, maxBytes = MAX_COSTS_BYTES): Promise<UploadReport> {
  const uploadId = `upload_${randomUUID()}`;
  const writer = lineWriter(db, { userId, source: 'costs.csv', syncId: uploadId, documentId: uploadId, perSync: true });
  const problems: Array<{ line: number; message: string }> = [];
  let more = 0;
  const problem = (line: number, message: string) => {
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push({ line, message });
    else more++;
  };
  const splitter = new LineSplitter(MAX_COSTS_LINE);
  let header: string | undefined;
  let at = { sku: -1, cost: -1, currency: -1 };
  let lineNo = 0;
  const take = async (lines: SplitLine[]) => {
    for (const raw of lines) {
      lineNo++;
      if (isTooLong(raw)) {
        if (header === undefined) throw new UploadError(`the first line is longer than ${MAX_COSTS_LINE} characters; it must name the columns sku, unit_cost and currency`);
        problem(lineNo, `the line is longer than ${MAX_COSTS_LINE} characters`);
        continue;
      }
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (header === undefined) {
        header = line;
        const cols = header.split(',').map(norm);
        at = { sku: cols.indexOf('sku'), cost: cols.indexOf('unitcost'), currency: cols.indexOf('currency') };
        if (at.sku < 0 || at.cost < 0 || at.currency < 0) throw new UploadError('the first line must name the columns sku, unit_cost and currency');
        continue;
      }
      if (line.trim() === '') continue;
      const f = line.split(',');
      const sku = f[at.sku]?.trim();
      const cost = f[at.cost]?.trim() ?? '';
      const currency = f[at.currency]?.trim() ?? '';
      if (!sku) problem(lineNo, 'no sku');
      else if (!/^\d+(\.\d+)?$/.test(cost)) problem(lineNo, `unit_cost ${JSON.stringify(cost)} is not a decimal amount`);
      else if (!isCurrency(currency)) problem(lineNo, `currency ${JSON.stringify(currency)} is not an ISO 4217 code`);
      else await writer.add(line, lineNo);
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
    await rows(db, sql`DELETE FROM report_lines WHERE user_id = ${userId} AND source = 'costs.csv' AND sync_id = ${uploadId}`);
    throw err;
  }
  if (header === undefined) throw new UploadError('the first line must name the columns sku, unit_cost and currency');
  const { rows: lineCount } = await writer.finish();
  const refused = problems.length + more;
  if (lineCount === 0) throw new UploadError(`no usable line (${refused} refused)`);
  if (more > 0) problems.push({ line: 0, message: `and ${more} more lines refused` });
  await rows(db,
    sql`INSERT INTO sync_sources (sync_id, source, user_id, status, header, document_id, rows, new_rows)
        VALUES (${uploadId}, 'costs.csv', ${userId}, 'done', ${header}, ${uploadId}, ${lineCount}::integer, ${lineCount}::integer)`,
  );
  return { uploadId, rows: lineCount, problems };
}
