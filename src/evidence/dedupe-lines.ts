// Which invoice lines are the same line, so each proves its units once: the same invoice uploaded
// again with other bytes (re-saved with CRLF line endings, exported once as CSV and once as PDF)
// has other files and other item rows, and must not prove the units twice. Pure.
//
// Two lines of different files may be the same when they have the same quantity and nothing either
// says contradicts the other: what one document leaves out (a CSV without a supplier column, a PDF without unit costs)
// is no contradiction. A different unit cost, SKU, supplier or invoice number is; so is another
// date when either lacks the invoice number (same number, same supplier: the same invoice). Two
// suppliers' invoices that share a number are two invoices. Lines of one file are never the same
// as each other: an invoice that lists a line twice sold it twice.
import { plural } from '../domain/plural.js';
import type { EvidenceLine, LinkedEvidence } from './score-claim.js';

/** One line as the evidence proves it: the file it is counted from, and the files that repeat it. */
export interface ProvenLine {
  /** The line as counted, with what its repeats add where it says nothing (a date, a unit cost). */
  readonly line: EvidenceLine;
  readonly fileId: string;
  readonly filename: string;
  readonly repeats: ReadonlyArray<{ readonly fileId: string; readonly filename: string; readonly line: EvidenceLine }>;
}

const key = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Legal forms a supplier's name is written with or without ("Acme Ltd." is "ACME"). */
const LEGAL_FORMS = new Set(['co', 'company', 'corp', 'corporation', 'inc', 'incorporated', 'llc', 'ltd', 'limited', 'plc', 'gmbh', 'ag', 'sa', 'sarl', 'srl', 'bv', 'oy', 'ab', 'pty', 'pte']);

function supplierKey(s: string): string {
  const words = s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  while (words.length > 1 && LEGAL_FORMS.has(words[words.length - 1]!)) words.pop();
  return words.join('');
}

/** Whether two lines (of different files) may be the same line of the same invoice. */
export function sameLine(a: EvidenceLine, b: EvidenceLine): boolean {
  if (a.quantity === null || a.quantity !== b.quantity) return false;
  if (a.unitCost && b.unitCost && (a.unitCost.minor !== b.unitCost.minor || a.unitCost.currency !== b.unitCost.currency)) return false;
  if (a.sku && b.sku) {
    if (key(a.sku) !== key(b.sku)) return false;
  } else if (!a.sku && !b.sku && a.productName && b.productName && key(a.productName) !== key(b.productName)) {
    return false;
  }
  if (a.supplier && b.supplier && supplierKey(a.supplier) !== supplierKey(b.supplier)) return false;
  if (a.documentRef && b.documentRef) return key(a.documentRef) === key(b.documentRef);
  return !(a.date && b.date && a.date !== b.date);
}

/** Everything sameLine reads, normalised: lines with the same twin key are the same line. */
const twinKey = (l: EvidenceLine) =>
  JSON.stringify([l.quantity, l.unitCost?.minor ?? null, l.unitCost?.currency ?? null, l.sku && key(l.sku), l.productName && key(l.productName), l.supplier && supplierKey(l.supplier), l.documentRef && key(l.documentRef), l.date]);

/**
 * The distinct lines of the linked files: a line is counted unless it may be the same as a line
 * of another file already counted. What is counted never exceeds what was invoiced (lines it
 * counts from different files are pairwise not the same, so each is a line of its own), and the
 * file proving the most units is read first, so a whole copy among partial ones proves all of
 * them. Where documents are too vague to tell two invoices apart, they count once: the claim then
 * asks for the invoice rather than being filed on units nothing proves. Files proving as many
 * units are read in the order given (upload order: the first upload proves, the later repeats).
 */
export function dedupeLines(links: readonly LinkedEvidence[]): ProvenLine[] {
  const proven: Array<{ first: EvidenceLine; fileId: string; filename: string; repeats: Array<{ fileId: string; filename: string; line: EvidenceLine }> }> = [];
  // Lines counted so far by quantity (the one field that must be known and equal), and by twin key.
  const byQuantity = new Map<number, number[]>();
  const byTwin = new Map<string, number>();
  const order = links.map((link, n) => ({ link, n, units: link.items.reduce((u, i) => u + Math.max(0, i.quantity ?? 0), 0), known: link.items.reduce((k, i) => k + knownFields(i), 0) }));
  order.sort((a, b) => b.units - a.units || b.known - a.known || a.n - b.n);
  for (const { link } of order) {
    const known = proven.length;
    for (const line of link.items) {
      const same = line.quantity === null ? undefined : (byTwin.get(twinKey(line)) ?? byQuantity.get(line.quantity)?.find((p) => sameLine(proven[p]!.first, line)));
      if (same !== undefined) proven[same]!.repeats.push({ fileId: link.fileId, filename: link.filename, line });
      else proven.push({ first: line, fileId: link.fileId, filename: link.filename, repeats: [] });
    }
    // Only now: the lines of one file are never the same as each other.
    for (let p = known; p < proven.length; p++) {
      const line = proven[p]!.first;
      if (line.quantity === null) continue;
      byQuantity.set(line.quantity, [...(byQuantity.get(line.quantity) ?? []), p]);
      const twin = twinKey(line);
      if (!byTwin.has(twin)) byTwin.set(twin, p);
    }
  }
  return proven.map((p) => ({ line: merged(p.first, p.repeats.map((r) => r.line)), fileId: p.fileId, filename: p.filename, repeats: p.repeats }));
}

const knownFields = (l: EvidenceLine) => [l.documentRef, l.supplier, l.sku, l.productName, l.unitCost, l.date].filter((v) => v !== null).length;

/** The first line, with what the repeats say where it says nothing. */
function merged(first: EvidenceLine, repeats: readonly EvidenceLine[]): EvidenceLine {
  const pick = <K extends keyof EvidenceLine>(k: K): EvidenceLine[K] => first[k] ?? repeats.find((r) => r[k] !== null)?.[k] ?? first[k];
  return { ...first, documentRef: pick('documentRef'), supplier: pick('supplier'), sku: pick('sku'), productName: pick('productName'), unitCost: pick('unitCost'), date: pick('date') };
}

/** The units each file proves that no file read before it did (a copy proves none): they add up to what is proven. */
export function unitsByFile(proven: readonly ProvenLine[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of proven) out.set(p.fileId, (out.get(p.fileId) ?? 0) + Math.max(0, p.line.quantity ?? 0));
  return out;
}

/**
 * One sentence per file that repeats lines already counted ("inv-copy.csv repeats 2 units of
 * invoice INV-7001 already in inv.csv: counted once"), so the seller sees why they count once.
 */
export function repeatSentences(proven: readonly ProvenLine[]): string[] {
  const byFile = new Map<string, { filename: string; units: number; refs: Set<string>; sources: Set<string> }>();
  for (const p of proven) {
    for (const r of p.repeats) {
      const f = byFile.get(r.fileId) ?? { filename: r.filename, units: 0, refs: new Set<string>(), sources: new Set<string>() };
      f.units += Math.max(0, r.line.quantity ?? 0);
      const ref = r.line.documentRef ?? p.line.documentRef;
      if (ref) f.refs.add(ref);
      f.sources.add(p.filename);
      byFile.set(r.fileId, f);
    }
  }
  return [...byFile.values()].map((f) => {
    const refs = [...f.refs].sort();
    const of = refs.length === 0 ? '' : ` of invoice${refs.length === 1 ? '' : 's'} ${refs.join(', ')}`;
    return `${f.filename} repeats ${plural(f.units, 'unit')}${of} already in ${[...f.sources].sort().join(', ')}: counted once`;
  });
}
