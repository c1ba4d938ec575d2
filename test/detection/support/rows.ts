// Row builders for rule tests: terse, with the defaults a typical US seller would have.
import { money, parseDecimal, currency as toCurrency, type Money } from '../../../src/domain/money.js';
import { detectFromRows, formatDay, parseIsoDay, type Claim, type ClaimType, type RowSources, type SourceRef } from '../../../src/detection/index.js';
import type {
  CostRow,
  CustomerReturnRow,
  CustomerShipmentRow,
  FeePreviewRow,
  FinancialEvent,
  InboundRecord,
  LedgerRow,
  ReimbursementRow,
  RemovalReceiptRow,
  RemovalRow,
  RemovalShipmentRow,
  ReplacementRow,
  TransactionEvent,
} from '../../../src/detection/index.js';

export const AS_OF = '2026-11-22';
const asOfDay = parseIsoDay(AS_OF) ?? 0;

/** The date `n` days before the as-of day (negative: after it). */
export function ago(n: number): string {
  return formatDay(asOfDay - n);
}

function day(date: string): number {
  const d = parseIsoDay(date);
  if (d === undefined) throw new Error(`bad test date ${date}`);
  return d;
}

let nextLine = 2;
function src(file: string, line?: number): SourceRef {
  return { file, line: line ?? nextLine++ };
}

export function usd(text: string, code = 'USD'): Money {
  const m = parseDecimal(text, toCurrency(code));
  if (!m) throw new Error(`bad test amount ${text}`);
  return m;
}

export function ledger(o: {
  date: string;
  qty: number;
  event?: string;
  reason?: string;
  fnsku?: string;
  sku?: string;
  ref?: string;
  country?: string;
  fc?: string;
  disposition?: string;
  unreconciled?: number;
  line?: number;
}): LedgerRow {
  return {
    source: src('ledger.tsv', o.line),
    day: day(o.date),
    fnsku: o.fnsku ?? 'X001',
    sku: o.sku ?? 'SKU-1',
    asin: 'B001',
    eventType: o.event ?? 'Adjustments',
    referenceId: o.ref ?? '',
    quantity: o.qty,
    reason: o.reason ?? '',
    country: o.country ?? 'US',
    ...(o.fc === undefined ? {} : { fulfillmentCenter: o.fc }),
    ...(o.disposition === undefined ? {} : { disposition: o.disposition }),
    ...(o.unreconciled === undefined ? {} : { unreconciled: o.unreconciled }),
  };
}

export function reimbursement(o: {
  date: string;
  reason: string;
  id?: string;
  order?: string;
  sku?: string;
  fnsku?: string;
  perUnit?: string;
  currency?: string;
  cash?: number;
  inventory?: number;
  total?: string;
  original?: string;
  line?: number;
}): ReimbursementRow {
  const cash = o.cash ?? 1;
  const inventory = o.inventory ?? 0;
  return {
    ...(o.total === undefined ? {} : { amountTotal: usd(o.total, o.currency) }),
    ...(o.original === undefined ? {} : { originalReimbursementId: o.original }),
    source: src('reimbursements.tsv', o.line),
    day: day(o.date),
    reimbursementId: o.id ?? `R${nextLine}`,
    orderId: o.order,
    reason: o.reason,
    sku: o.sku ?? 'SKU-1',
    fnsku: o.fnsku ?? 'X001',
    amountPerUnit: usd(o.perUnit ?? '10.00', o.currency),
    quantityCash: cash,
    quantityInventory: inventory,
    quantityTotal: cash + inventory,
  };
}

export function customerReturn(o: { date: string; order: string; disposition: string; sku?: string; qty?: number; line?: number }): CustomerReturnRow {
  return { source: src('returns.tsv', o.line), day: day(o.date), orderId: o.order, sku: o.sku ?? 'SKU-1', fnsku: 'X001', quantity: o.qty ?? 1, disposition: o.disposition };
}

export function removal(o: {
  date: string;
  order: string;
  status?: string;
  sku?: string;
  requested: number;
  cancelled?: number;
  disposed?: number;
  shipped?: number;
  inProcess?: number;
  line?: number;
}): RemovalRow {
  return {
    source: src('removals.tsv', o.line),
    day: day(o.date),
    orderId: o.order,
    orderStatus: o.status ?? 'Completed',
    sku: o.sku ?? 'SKU-1',
    fnsku: 'X001',
    requested: o.requested,
    cancelled: o.cancelled ?? 0,
    disposed: o.disposed ?? 0,
    shipped: o.shipped ?? 0,
    inProcess: o.inProcess ?? 0,
    currency: 'USD',
  };
}

export function removalShipment(o: { date: string; order: string; tracking: string; shipped: number; sku?: string; carrier?: string; line?: number }): RemovalShipmentRow {
  return { source: src('removal-shipments.tsv', o.line), day: day(o.date), orderId: o.order, sku: o.sku ?? 'SKU-1', fnsku: 'X001', shipped: o.shipped, carrier: o.carrier ?? 'UPS', trackingNumber: o.tracking };
}

export function removalReceipt(o: { order: string; tracking: string; received: number; date?: string; sku?: string; line?: number }): RemovalReceiptRow {
  return {
    source: src('removal-receipts.csv', o.line),
    orderId: o.order,
    sku: o.sku ?? 'SKU-1',
    trackingNumber: o.tracking,
    received: o.received,
    ...(o.date === undefined ? {} : { day: day(o.date) }),
  };
}

export function replacement(o: { date: string; original: string; replacementOrder?: string; sku?: string; qty?: number; fc?: string; line?: number }): ReplacementRow {
  return {
    source: src('replacements.tsv', o.line),
    day: day(o.date),
    sku: o.sku ?? 'SKU-1',
    asin: 'B001',
    quantity: o.qty ?? 1,
    fulfillmentCenter: o.fc ?? 'PHX7',
    originalFulfillmentCenter: 'ONT8',
    reasonCode: '1',
    replacementOrderId: o.replacementOrder ?? `R-${o.original}`,
    originalOrderId: o.original,
  };
}

export function sale(o: { order: string; sku?: string; qty?: number; price: string; currency?: string; line?: number }): CustomerShipmentRow {
  return { source: src('shipments.tsv', o.line), orderId: o.order, sku: o.sku ?? 'SKU-1', quantity: o.qty ?? 1, itemPrice: usd(o.price, o.currency) };
}

export function feePreview(o: { fee: string; sku?: string; currency?: string; line?: number }): FeePreviewRow {
  return { source: src('fees.tsv', o.line), sku: o.sku ?? 'SKU-1', fnsku: 'X001', asin: 'B001', expectedFee: usd(o.fee, o.currency) };
}

export function cost(amount: string, o: { sku?: string; currency?: string; line?: number } = {}): CostRow {
  return { source: src('costs.csv', o.line), sku: o.sku ?? 'SKU-1', unitCost: usd(amount, o.currency) };
}

export function refund(o: { date: string; order: string; principal?: string; sku?: string; qty?: number; currency?: string; line?: number; file?: string }): TransactionEvent {
  const principal = o.principal === undefined ? undefined : usd(o.principal, o.currency);
  return {
    kind: 'refund',
    source: src(o.file ?? 'financial-events.json', o.line),
    day: day(o.date),
    orderId: o.order,
    items: [{ sku: o.sku ?? 'SKU-1', quantity: o.qty ?? 1, ...(principal ? { principal } : {}) }],
  };
}

export function charge(o: { date: string; order?: string; fee: string; sku?: string; qty?: number; currency?: string; line?: number; file?: string }): TransactionEvent {
  return {
    kind: 'shipment',
    source: src(o.file ?? 'financial-events.json', o.line),
    day: day(o.date),
    orderId: o.order ?? `O-${nextLine}`,
    items: [{ sku: o.sku ?? 'SKU-1', quantity: o.qty ?? 1, fulfillmentFee: usd(o.fee, o.currency) }],
  };
}

export function adjustment(o: { date: string; type: string; qty: number; sku?: string; fnsku?: string; line?: number }): FinancialEvent {
  return {
    kind: 'adjustment',
    source: src('financial-events.json', o.line),
    day: day(o.date),
    adjustmentType: o.type,
    items: [{ sku: o.sku ?? 'SKU-1', fnsku: o.fnsku, quantity: o.qty }],
  };
}

export function inboundShipment(id: string, status = 'CLOSED'): InboundRecord {
  return { kind: 'shipment', source: src('inbound-shipments.json'), shipmentId: id, status };
}

export function inboundItem(id: string, shipped: number, received: number, sku = 'SKU-1'): InboundRecord {
  return { kind: 'item', source: src('inbound-shipments.json'), shipmentId: id, sku, fnsku: 'X001', shipped, received };
}

/** Runs detection for one claim type over in-memory rows. */
export async function run(type: ClaimType, sources: RowSources, asOf = AS_OF): Promise<Claim[]> {
  const { claims } = await detectFromRows(sources, { asOf, types: [type] });
  return [...claims];
}

export { money };
