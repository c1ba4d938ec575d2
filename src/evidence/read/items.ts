// What reading an evidence file yields: line items and a report of what was read and what not.
import { isCurrency, parseDecimal, type Currency, type Money } from '../../domain/money.js';

export interface ReadItem {
  /** 1-based line of the CSV, or of the PDF's text. */
  readonly lineNo: number;
  readonly documentRef: string | null;
  readonly supplier: string | null;
  readonly sku: string | null;
  readonly productName: string | null;
  readonly quantity: number | null;
  readonly unitCost: Money | null;
  /** YYYY-MM-DD. */
  readonly date: string | null;
  readonly raw: Record<string, string>;
}

export interface Skipped {
  readonly line: number;
  readonly reason: string;
}

export interface ReadResult {
  readonly items: ReadItem[];
  readonly linesRead: number;
  readonly skipped: Skipped[];
  /** What the content says it is, when it says so ("Proof of delivery", "Bill of lading"). */
  readonly kindHint?: 'invoice' | 'proof_of_delivery';
}

export type FileStatus = 'parsed' | 'partial' | 'unreadable';

export function statusOf(r: ReadResult): FileStatus {
  if (r.items.length === 0) return 'unreadable';
  return r.skipped.length > 0 ? 'partial' : 'parsed';
}

/** A calendar day from ISO (2026-03-01, or a timestamp) or US (03/01/2026) notation; undefined if impossible. */
export function parseDay(text: string): string | undefined {
  const t = text.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(t);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t))) [y, m, d] = [Number(match[3]), Number(match[1]), Number(match[2])];
  else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/** A whole, positive number of units ("40", "1,200" is refused as ambiguous). */
export function parseUnits(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,9}$/.test(t)) return undefined;
  const n = Number(t);
  return n > 0 ? n : undefined;
}

/** An amount such as "12.40", "$12.40" or "12.40 USD" in the given currency. */
export function parseAmount(text: string, cur: Currency): Money | undefined {
  const t = text.trim().replace(/^[$€£¥]\s*/, '').replace(new RegExp(`\\s*${cur}$`), '');
  return parseDecimal(t, cur);
}

export function asCurrency(text: string | undefined): Currency | undefined {
  const t = text?.trim().toUpperCase();
  return t && isCurrency(t) ? t : undefined;
}

const POD = /\b(proof of delivery|delivery (note|receipt|confirmation)|bill of lading|POD|BOL|tracking (number|id)|carrier)\b/i;

/** Guesses the kind of a document from its words (or its filename). */
export function guessKind(text: string): 'invoice' | 'proof_of_delivery' | undefined {
  text = text.replace(/[_-]/g, " ");
  if (POD.test(text)) return 'proof_of_delivery';
  if (/\binvoice\b/i.test(text)) return 'invoice';
  return undefined;
}
