// A line of GET_FBA_REIMBURSEMENTS_DATA as payouts need it, and the payout id that names it.
// The payout id is `<reimbursement-id>:<line key>`, built the same way from the report line and
// from the case API's decision, so whichever path sees a payout first, phase 7 runs once.
import { currency as toCurrency, isCurrency, parseDecimal } from '../domain/money.js';

export interface ReimbursementLine {
  readonly reimbursementId: string;
  readonly caseId: string | null;
  readonly orderId: string | null;
  /** Named by the case API's items (the report has no such column; kept from raw if present). */
  readonly shipmentId?: string | null;
  readonly transactionItemId?: string | null;
  readonly reason: string | null;
  readonly sku: string | null;
  readonly fnsku: string | null;
  readonly quantity: number | null;
  /** Cash reimbursed, signed: a reversal is negative. */
  readonly amountMinor: number;
  readonly currency: string;
  readonly approvalDate: Date | null;
  readonly originalReimbursementId: string | null;
  /** report_lines.seq of the line, when it came from a report. */
  readonly lineSeq: number | null;
  readonly raw: Record<string, string>;
}

/** Distinguishes the lines of one reimbursement id. */
export function lineKey(l: { sku: string | null; fnsku: string | null; orderId: string | null }): string {
  return `${l.sku ?? ''}|${l.fnsku ?? ''}|${l.orderId ?? ''}`;
}

/** `raw.source` of a line Clario read from Amazon's reply on a case, before any report carried it. */
export const REPLY_SOURCE = 'amazon_reply';

/**
 * The line key of every line read from a reply. A reply yields at most one line per reimbursement
 * id, and two replies worded apart (one naming the FNSKU, one only the id) must not read as two
 * lines of it: keyed by what the text happened to name, two pasted at once would be two payouts.
 */
export const REPLY_LINE_KEY = 'amazon_reply';

export function payoutId(reimbursementId: string, key: string): string {
  return `${reimbursementId}:${key}`;
}

/**
 * Amazon's reimbursement id in a payout id: the part before the first ':'. The line key after it is
 * Clario's own (SKU|FNSKU|order), never shown to a seller. An id without ':' (a payout the case API
 * or a test named by itself) is returned as it is.
 */
export function reimbursementIdOf(payout: string): string {
  const colon = payout.indexOf(':');
  return colon > 0 ? payout.slice(0, colon) : payout;
}

export function isReversal(l: Pick<ReimbursementLine, 'reason' | 'amountMinor' | 'originalReimbursementId'>): boolean {
  return l.reason === 'Reimbursement_Reversal' || (l.amountMinor < 0 && l.originalReimbursementId !== null);
}

const ALIASES: Readonly<Record<string, readonly string[]>> = {
  approvalDate: ['approval-date'],
  reimbursementId: ['reimbursement-id'],
  caseId: ['case-id'],
  orderId: ['amazon-order-id', 'order-id'],
  shipmentId: ['shipment-id', 'fba-shipment-id'],
  transactionItemId: ['transaction-item-id'],
  reason: ['reason'],
  sku: ['sku', 'seller-sku', 'msku'],
  fnsku: ['fnsku'],
  currency: ['currency-unit', 'currency'],
  amountPerUnit: ['amount-per-unit'],
  amountTotal: ['amount-total'],
  quantityCash: ['quantity-reimbursed-cash'],
  quantityTotal: ['quantity-reimbursed-total'],
  original: ['original-reimbursement-id'],
};

/** Parses one TSV line under its header; undefined (with why) when it is not a usable line. */
export function parseReimbursementLine(header: string, line: string, lineSeq: number | null): { line: ReimbursementLine } | { problem: string } {
  const names = header.split('\t').map((h) => h.trim().toLowerCase());
  const fields = line.split('\t');
  const raw: Record<string, string> = {};
  names.forEach((n, i) => (raw[n] = (fields[i] ?? '').trim()));
  const get = (k: keyof typeof ALIASES) => {
    for (const a of ALIASES[k] ?? []) if (raw[a] !== undefined && raw[a] !== '') return raw[a];
    return null;
  };
  const reimbursementId = get('reimbursementId');
  if (!reimbursementId) return { problem: 'no reimbursement-id' };
  const code = get('currency');
  if (!code || !isCurrency(code)) return { problem: `currency ${JSON.stringify(code)} is not ISO 4217` };
  const cur = toCurrency(code);
  const quantity = Number.parseInt(get('quantityCash') ?? get('quantityTotal') ?? '', 10);
  const total = get('amountTotal');
  let amountMinor: number | undefined;
  if (total !== null) amountMinor = parseDecimal(total, cur)?.minor;
  else {
    const perUnit = get('amountPerUnit');
    const unit = perUnit === null ? undefined : parseDecimal(perUnit, cur)?.minor;
    if (unit !== undefined && Number.isSafeInteger(quantity)) amountMinor = unit * quantity;
  }
  if (amountMinor === undefined) return { problem: 'no readable amount' };
  const dateText = get('approvalDate');
  const date = dateText ? new Date(dateText) : null;
  return {
    line: {
      reimbursementId,
      caseId: get('caseId'),
      orderId: get('orderId'),
      shipmentId: get('shipmentId'),
      transactionItemId: get('transactionItemId'),
      reason: get('reason'),
      sku: get('sku'),
      fnsku: get('fnsku'),
      quantity: Number.isSafeInteger(quantity) ? quantity : null,
      amountMinor,
      currency: cur,
      approvalDate: date && !Number.isNaN(date.getTime()) ? date : null,
      originalReimbursementId: get('original'),
      lineSeq,
      raw,
    },
  };
}
