// Recognises an invoice (or a delivery note) in a PDF's text lines: the invoice number, date,
// supplier and currency from labelled lines, and line items from the table under a header row
// (columns placed by the header's x positions), or, without a header, from lines shaped like
// "SKU  description  qty  unit price  [total]". Pure.
import type { Currency } from '../../domain/money.js';
import { asCurrency, guessKind, parseAmount, parseDay, parseUnits, type ReadItem, type ReadResult, type Skipped } from './items.js';
import type { TextCell } from './read-pdf.js';

const HEADER = {
  sku: /^(sku|seller ?sku|msku|item( code| no\.?| #)?|part ?(no\.?|number))$/i,
  product: /^(product|description|item description|name|product name|title)$/i,
  quantity: /^(qty|quantity|units)$/i,
  unitCost: /^(unit ?(cost|price)|price|cost|price per unit)$/i,
  total: /^(total|amount|line total)$/i,
} as const;
type Column = keyof typeof HEADER;

const META = {
  ref: /\b(?:invoice|inv\.?|delivery note|bill of lading|tracking)\s*(?:no\.?|number|#|id)?\s*[:#]?\s*((?=[A-Z0-9./-]*\d)[A-Z0-9][A-Z0-9./-]{2,})/i,
  date: /\b(?:invoice |delivery |ship )?date\s*[:\s]\s*(\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4})/i,
  supplier: /\b(?:supplier|vendor|sold by|from)\s*:\s*(.+)$/i,
  currency: /\bcurrency\s*:?\s*([A-Z]{3})\b/i,
  amountCurrency: /\d\s*([A-Z]{3})\b|\b([A-Z]{3})\s*\d/,
  shipment: /\b(FBA[0-9A-Z]{6,})\b/,
};

const joined = (cells: readonly TextCell[]) => cells.map((c) => c.text).join(' ');

function headerColumns(cells: readonly TextCell[]): Map<Column, number> | undefined {
  const cols = new Map<Column, number>();
  for (const c of cells) {
    for (const [name, re] of Object.entries(HEADER) as [Column, RegExp][]) {
      if (!cols.has(name) && re.test(c.text)) cols.set(name, c.x);
    }
  }
  return cols.has('quantity') && (cols.has('sku') || cols.has('product')) ? cols : undefined;
}

/** The header column a cell falls under: the right-most column starting at or left of it (2 pt slack). */
function columnOf(x: number, cols: Map<Column, number>): Column | undefined {
  let best: Column | undefined;
  let bestX = -Infinity;
  for (const [name, cx] of cols) if (cx <= x + 2 && cx > bestX) [best, bestX] = [name, cx];
  return best;
}

const LOOSE_ITEM = /^(\S*\d\S*)\s+(.+?)\s+(\d{1,9})\s+[$€£]?(\d+(?:\.\d+)?)(?:\s+[$€£]?\d+(?:\.\d+)?)?(?:\s+[A-Z]{3})?$/;

export function recogniseInvoice(lines: readonly TextCell[][], defaultCurrency: Currency): ReadResult {
  const text = lines.map(joined);
  const find = (re: RegExp) => {
    for (const t of text) {
      const m = re.exec(t);
      if (m) return m.slice(1).find((g) => g !== undefined);
    }
    return undefined;
  };
  const ref = find(META.ref) ?? null;
  const dateText = find(META.date);
  const date = dateText ? (parseDay(dateText) ?? null) : null;
  const supplier = find(META.supplier)?.trim() ?? null;
  const cur = asCurrency(find(META.currency)) ?? asCurrency(find(META.amountCurrency)) ?? defaultCurrency;
  const shipment = find(META.shipment) ?? null;
  const kindHint = guessKind(text.slice(0, 10).join(' '));

  const items: ReadItem[] = [];
  const skipped: Skipped[] = [];
  const base = { documentRef: ref ?? shipment, supplier, date };
  let cols: Map<Column, number> | undefined;
  for (const [i, cells] of lines.entries()) {
    const lineNo = i + 1;
    const line = text[i]!;
    if (!cols) {
      cols = headerColumns(cells);
      if (cols || !LOOSE_ITEM.test(line)) continue;
    } else if (/^(sub-?total|total|tax|vat|shipping|balance|amount due)\b/i.test(line)) {
      cols = undefined;
      continue;
    }
    const fields: Partial<Record<Column, string>> = {};
    if (cols) {
      for (const c of cells) {
        const col = columnOf(c.x, cols);
        if (col) fields[col] = fields[col] ? `${fields[col]} ${c.text}` : c.text;
      }
    } else {
      const m = LOOSE_ITEM.exec(line)!;
      Object.assign(fields, { sku: m[1], product: m[2], quantity: m[3], unitCost: m[4] });
    }
    const quantity = parseUnits(fields.quantity ?? '');
    if (!fields.sku && !fields.product) continue;
    if (quantity === undefined) {
      skipped.push({ line: lineNo, reason: `"${line}": quantity ${JSON.stringify(fields.quantity ?? '')} is not a whole number of units` });
      continue;
    }
    const unitCost = fields.unitCost ? parseAmount(fields.unitCost, cur) : null;
    if (unitCost === undefined) {
      skipped.push({ line: lineNo, reason: `"${line}": unit price ${JSON.stringify(fields.unitCost)} is not an amount` });
      continue;
    }
    items.push({ ...base, lineNo, sku: fields.sku ?? null, productName: fields.product ?? null, quantity, unitCost, raw: { text: line } });
  }
  // A delivery note without an item table still proves the delivery of its shipment.
  if (items.length === 0 && kindHint === 'proof_of_delivery' && (shipment ?? ref)) {
    const at = text.findIndex((t) => (shipment ? t.includes(shipment) : t.includes(ref!)));
    items.push({ ...base, lineNo: at + 1, sku: null, productName: null, quantity: null, unitCost: null, raw: { text: text[at] ?? '', ...(shipment ? { shipment_id: shipment } : {}) } });
  }
  if (items.length === 0 && lines.length > 0 && skipped.length === 0) {
    skipped.push({ line: 0, reason: 'no line items found: no table with sku (or description) and quantity columns' });
  }
  return { items, linesRead: lines.length, skipped, ...(kindHint ? { kindHint } : {}) };
}
