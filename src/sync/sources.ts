// What a sync brings in: exactly the inputs detection needs (DETECTION.md), each from its API.
export type SourceKind = 'report' | 'inbound' | 'finances';

export interface SyncSource {
  /** The file name detection reads it as. */
  readonly file: string;
  readonly kind: SourceKind;
  readonly reportType?: string;
  /** Amazon serves at most this many days per request (fulfilled shipments: one month). */
  readonly maxDays?: number;
  /** A snapshot (fee preview): only the latest sync's copy counts. */
  readonly snapshot?: boolean;
  /**
   * How far back a first sync reaches when less than the default 18 months will do: shipments
   * only give sale prices for recent returns, and each month of them costs a createReport call
   * (burst 15, then one a minute).
   */
  readonly lookbackDays?: number;
  /**
   * Finances: the older API's file (v0's financial-events.json), fetched instead for a sync in
   * which Amazon refuses the current one (finance-lines.ts). Detection reads one of the two only.
   */
  readonly fallback?: string;
}

export const SYNC_SOURCES: readonly SyncSource[] = [
  { file: 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA.tsv', kind: 'report', reportType: 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA', snapshot: true },
  { file: 'inbound-shipments.json', kind: 'inbound' },
  { file: 'transactions.json', kind: 'finances', fallback: 'financial-events.json' },
  { file: 'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.tsv', kind: 'report', reportType: 'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA' },
  { file: 'GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA.tsv', kind: 'report', reportType: 'GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA' },
  { file: 'GET_FBA_REIMBURSEMENTS_DATA.tsv', kind: 'report', reportType: 'GET_FBA_REIMBURSEMENTS_DATA' },
  { file: 'GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL.tsv', kind: 'report', reportType: 'GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL', maxDays: 30, lookbackDays: 180 },
  { file: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', kind: 'report', reportType: 'GET_LEDGER_DETAIL_VIEW_DATA' },
  // Removal parcels and free replacements: what Amazon no longer pays by itself (DETECTION.md v2).
  { file: 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv', kind: 'report', reportType: 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA' },
  { file: 'GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA.tsv', kind: 'report', reportType: 'GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA' },
];

const DAY = 86_400_000;

/** Splits [start, end) into pieces Amazon accepts. */
export function windows(start: Date, end: Date, maxDays: number | undefined): Array<{ start: Date; end: Date }> {
  if (!maxDays) return [{ start, end }];
  const out: Array<{ start: Date; end: Date }> = [];
  for (let t = start.getTime(); t < end.getTime(); t += maxDays * DAY) {
    out.push({ start: new Date(t), end: new Date(Math.min(end.getTime(), t + maxDays * DAY)) });
  }
  return out;
}
