/**
 * Builds a report document from the seller folder's file: the rows inside the report's data
 * window, then the rows the simulator added (approved cases' reimbursements), streamed through
 * GZIP without ever holding the file in memory.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, createGzip } from 'node:zlib';
import { fileLines } from './folder-lines.js';

/** The column a report is filtered on by dataStartTime/dataEndTime; reports without one are not filtered. */
const DATE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  GET_LEDGER_DETAIL_VIEW_DATA: ['date'],
  GET_FBA_REIMBURSEMENTS_DATA: ['approvaldate'],
  GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA: ['returndate'],
  GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA: ['lastupdateddate', 'requestdate'],
  GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA: ['shipmentdate', 'requestdate'],
  GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA: ['shipmentdate'],
  GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL: ['shipmentdate', 'purchasedate'],
};

/** Amazon's header for a reimbursements report, used when the folder has none but cases were approved. */
export const REIMBURSEMENTS_HEADER = [
  'approval-date', 'reimbursement-id', 'case-id', 'amazon-order-id', 'reason', 'sku', 'fnsku', 'asin', 'product-name', 'condition',
  'currency-unit', 'amount-per-unit', 'amount-total', 'quantity-reimbursed-cash', 'quantity-reimbursed-inventory',
  'quantity-reimbursed-total', 'original-reimbursement-id', 'original-reimbursement-type',
] as const;

/** The folder's file for a report type (gzipped copies too), or undefined. */
export function reportFile(folder: string, reportType: string): { path: string; gzip: boolean } | undefined {
  for (const [name, gzip] of [[`${reportType}.tsv`, false], [`${reportType}.tsv.gz`, true], [`${reportType}.txt`, false]] as const) {
    const path = join(folder, name);
    if (existsSync(path)) return { path, gzip };
  }
  return undefined;
}

const normalize = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * A row's time span: a whole day for `MM/DD/YYYY` (Seller Central's ledger) or a bare date,
 * an instant for a timestamp. Undefined when unreadable: such rows are kept, since dropping
 * them would hide exactly the bad data a parser must report.
 */
export function rowSpan(text: string): { from: number; to: number } | undefined {
  const us = /^(\d{2})\/(\d{2})\/(\d{4})/.exec(text);
  if (us) {
    const from = Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]));
    return Number.isNaN(from) ? undefined : { from, to: from + 86_400_000 };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const from = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(from) ? undefined : { from, to: from + 86_400_000 };
  }
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : { from: at, to: at + 1 };
}

export interface DocumentSource {
  readonly folder: string;
  readonly reportType: string;
  readonly start?: number;
  readonly end?: number;
  readonly extraRows: readonly Readonly<Record<string, string>>[];
}

/** The report's lines (header first), filtered to the data window. */
export async function* documentLines(source: DocumentSource): AsyncGenerator<string> {
  const file = reportFile(source.folder, source.reportType);
  let header: string[] | undefined;
  if (file) {
    let dateIndex = -1;
    // Amazon serves whatever the folder holds: a test's over-long line must reach Clario's bound.
    for await (const line of fileLines(file.path, file.gzip)) {
      if (!header) {
        header = line.split('\t');
        const wanted = DATE_COLUMNS[source.reportType] ?? [];
        const names = header.map(normalize);
        dateIndex = wanted.map((w) => names.indexOf(w)).find((i) => i >= 0) ?? -1;
        yield line;
        continue;
      }
      if (dateIndex >= 0 && !inWindow(line.split('\t')[dateIndex] ?? '', source)) continue;
      yield line;
    }
  }
  if (source.extraRows.length === 0) return;
  if (!header) {
    header = [...REIMBURSEMENTS_HEADER];
    yield header.join('\t');
  }
  const columns = header;
  for (const row of source.extraRows) {
    if (!inWindow(row['approval-date'] ?? '', source)) continue;
    yield columns.map((c) => row[c] ?? row[normalizedKey(row, c)] ?? '').join('\t');
  }
}

/** Finds the added row's key matching a header written with other spacing or case. */
function normalizedKey(row: Readonly<Record<string, string>>, column: string): string {
  const n = normalize(column);
  return Object.keys(row).find((k) => normalize(k) === n) ?? column;
}

function inWindow(text: string, source: DocumentSource): boolean {
  const span = rowSpan(text.trim());
  if (!span) return true;
  if (source.start !== undefined && span.to <= source.start) return false;
  if (source.end !== undefined && span.from > source.end) return false;
  return true;
}

/** The document as a GZIP byte stream, as Amazon's S3 serves a compressed report. */
export function gzippedDocument(source: DocumentSource): Readable {
  // Lines are batched into ~64 KiB chunks: one chunk per line would make a million-row ledger
  // crawl through the stream machinery.
  const text = Readable.from((async function* () {
    let batch = '';
    for await (const line of documentLines(source)) {
      batch += `${line}\n`;
      if (batch.length >= 65_536) {
        yield batch;
        batch = '';
      }
    }
    if (batch !== '') yield batch;
  })());
  // The fastest level: the simulator's documents are read once, by a client on this machine, and
  // the default level made gzip a large part of a big sync's time.
  const gzip = createGzip({ level: constants.Z_BEST_SPEED });
  text.on('error', (err) => gzip.destroy(err));
  return text.pipe(gzip);
}
