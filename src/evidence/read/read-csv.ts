// Reads an invoice or delivery CSV into line items. Headers are matched leniently (case, spaces,
// punctuation ignored; the aliases below); a row that cannot be read is reported with its line
// and skipped, never fatal.
import { parse } from 'csv-parse/sync';
import type { Currency } from '../../domain/money.js';
import { asCurrency, guessKind, parseAmount, parseDay, parseUnits, type ReadItem, type ReadResult, type Skipped } from './items.js';

const ALIASES = {
  sku: ['sku', 'sellersku', 'msku', 'item', 'itemsku', 'itemcode', 'productcode', 'partnumber'],
  product: ['product', 'name', 'description', 'productname', 'itemname', 'itemdescription', 'title'],
  quantity: ['qty', 'quantity', 'units', 'unitsshipped', 'quantityshipped', 'quantitydelivered'],
  unitCost: ['unitcost', 'price', 'unitprice', 'cost', 'priceperunit', 'costperunit'],
  date: ['date', 'invoicedate', 'deliverydate', 'deliveredon', 'shipdate'],
  supplier: ['supplier', 'vendor', 'seller', 'suppliername', 'vendorname', 'carrier'],
  document: ['invoice', 'invoicenumber', 'invoiceno', 'invoiceid', 'document', 'documentnumber', 'shipmentid', 'shipment', 'trackingnumber', 'tracking', 'bol', 'pod'],
  currency: ['currency', 'currencycode'],
} as const;

type Field = keyof typeof ALIASES;
/** Line items read per file: an invoice has dozens; beyond this it is an export to split. */
export const MAX_ITEMS = 10_000;
const norm = (h: string) => h.trim().toLowerCase().replace(/[^a-z0-9]/g, '');

export class NotCsvError extends Error {
  override readonly name = 'NotCsvError';
}

/** Parses the bytes as CSV (UTF-8, comma, semicolon or tab separated); throws NotCsvError if they are not. */
export function parseCsvRecords(bytes: Uint8Array): { records: string[][]; lines: number[] } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NotCsvError('the file is not UTF-8 text');
  }
  // Binary data decodes as UTF-8 surprisingly often; control characters give it away.
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw new NotCsvError('the file is not text');
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].map((d) => [d, first.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  try {
    const rows = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    if (rows.length === 0) throw new NotCsvError('the file is empty');
    return { records: rows.map((r) => r.record), lines: rows.map((r) => r.info.lines) };
  } catch (err) {
    if (err instanceof NotCsvError) throw err;
    throw new NotCsvError(`the file is not valid CSV: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
}

export function readCsv(bytes: Uint8Array, defaultCurrency: Currency): ReadResult {
  const { records, lines } = parseCsvRecords(bytes);
  const header = (records[0] ?? []).map(norm);
  const col = Object.fromEntries(
    (Object.keys(ALIASES) as Field[]).map((f) => [f, header.findIndex((h) => (ALIASES[f] as readonly string[]).includes(h))]),
  ) as Record<Field, number>;
  const skipped: Skipped[] = [];
  const items: ReadItem[] = [];
  const linesRead = records.length - 1;
  if ((col.sku < 0 && col.product < 0) || col.quantity < 0) {
    skipped.push({ line: lines[0] ?? 1, reason: 'the header names no sku (or product) and quantity column' });
    return { items, linesRead, skipped };
  }
  for (let r = 1; r < records.length; r++) {
    if (items.length >= MAX_ITEMS) {
      skipped.push({ line: lines[r] ?? r + 1, reason: `only the first ${MAX_ITEMS} line items of a file are read; split the file` });
      break;
    }
    const rec = records[r]!;
    const line = lines[r] ?? r + 1;
    const get = (f: Field) => (col[f] >= 0 ? (rec[col[f]] ?? '').trim() : '');
    const raw = Object.fromEntries((records[0] ?? []).map((h, i) => [h, rec[i] ?? '']));
    const sku = get('sku') || null;
    const product = get('product') || null;
    if (!sku && !product) {
      skipped.push({ line, reason: 'no sku or product' });
      continue;
    }
    const quantity = parseUnits(get('quantity'));
    if (quantity === undefined) {
      skipped.push({ line, reason: `quantity ${JSON.stringify(get('quantity'))} is not a whole number of units` });
      continue;
    }
    const curText = get('currency');
    const cur = curText ? asCurrency(curText) : defaultCurrency;
    if (!cur) {
      skipped.push({ line, reason: `currency ${JSON.stringify(curText)} is not an ISO 4217 code` });
      continue;
    }
    const costText = get('unitCost');
    const unitCost = costText ? parseAmount(costText, cur) : null;
    if (unitCost === undefined || (unitCost && unitCost.minor < 0)) {
      skipped.push({ line, reason: `unit cost ${JSON.stringify(costText)} is not an amount` });
      continue;
    }
    const dateText = get('date');
    const date = dateText ? parseDay(dateText) : null;
    if (date === undefined) {
      skipped.push({ line, reason: `date ${JSON.stringify(dateText)} is not a date (YYYY-MM-DD or MM/DD/YYYY)` });
      continue;
    }
    items.push({ lineNo: line, documentRef: get('document') || null, supplier: get('supplier') || null, sku, productName: product, quantity, unitCost, date, raw });
  }
  const kindHint = guessKind((records[0] ?? []).join(' '));
  return { items, linesRead, skipped, ...(kindHint ? { kindHint } : {}) };
}
