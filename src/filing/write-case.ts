// The case as a person at Amazon reads it: a subject, the facts of each claim with the report
// lines they rest on, the evidence, and the items the case API (or Seller Central) takes. Pure:
// the same claims and evidence always give the same text, so a retried filing sends the same body.
import { formatMoney, isCurrency, money } from '../domain/money.js';
import type { ClaimType } from '../detection/types.js';

export interface CaseClaim {
  readonly id: string;
  readonly type: string;
  readonly quantity: number | null;
  readonly amountMinor: number | null;
  readonly currency: string | null;
  readonly deadline: string | null;
  readonly details: Record<string, unknown> | null;
}

export interface CaseEvidence {
  readonly claimId: string;
  readonly fileId: string;
  readonly filename: string;
  readonly contentType: string;
  readonly kind: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

export interface CaseItem {
  readonly claim_id: string;
  readonly claim_type: string;
  readonly sku?: string;
  readonly fnsku?: string;
  readonly asin?: string;
  readonly order_id?: string;
  readonly shipment_id?: string;
  readonly quantity: number;
  readonly amount_minor?: number;
  readonly currency?: string;
}

export interface WrittenCase {
  readonly subject: string;
  readonly body: string;
  readonly attachments: Array<Record<string, unknown>>;
  readonly items: CaseItem[];
}

const WHAT: Readonly<Record<ClaimType, string>> = {
  lost_warehouse: 'units lost in a fulfillment center',
  damaged_warehouse: 'units damaged in a fulfillment center',
  inbound_shortage: 'units missing from an inbound shipment',
  refund_not_returned: 'units refunded to customers and never returned',
  return_damaged: 'units returned by customers and damaged by Amazon or the carrier',
  removal_shortfall: 'units missing from a removal order',
  fee_overcharge: 'FBA fees charged above the published rate',
  underpaid_reimbursement: 'reimbursements paid below the unit value',
  replacement_not_returned: 'replacements shipped whose original units were never returned',
  removal_lost_in_transit: 'units of a removal shipment that never arrived',
  reimbursement_reversal: 'a reimbursement taken back for units never found',
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function keyOf(c: CaseClaim): Record<string, unknown> {
  const key = c.details?.key;
  return key && typeof key === 'object' ? (key as Record<string, unknown>) : {};
}

export function caseItem(c: CaseClaim): CaseItem {
  const key = keyOf(c);
  const d = c.details ?? {};
  const sku = str(d.sku) ?? str(key.sku);
  const fnsku = str(d.fnsku) ?? str(key.fnsku);
  const asin = str(d.asin);
  const orderId = str(key.order_id) ?? str(key.removal_order_id);
  const shipmentId = str(key.shipment_id);
  return {
    claim_id: c.id,
    claim_type: c.type,
    ...(sku ? { sku } : {}),
    ...(fnsku ? { fnsku } : {}),
    ...(asin ? { asin } : {}),
    ...(orderId ? { order_id: orderId } : {}),
    ...(shipmentId ? { shipment_id: shipmentId } : {}),
    quantity: Math.max(1, c.quantity ?? 1),
    ...(c.amountMinor !== null && c.currency ? { amount_minor: c.amountMinor, currency: c.currency } : {}),
  };
}

function amountText(c: CaseClaim): string {
  return c.amountMinor !== null && c.currency && isCurrency(c.currency) ? formatMoney(money(c.amountMinor, c.currency)) : 'value to be assessed';
}

function sourcesText(c: CaseClaim): string[] {
  const sources = Array.isArray(c.details?.sources) ? (c.details.sources as Array<Record<string, unknown>>) : [];
  return sources.map((s) => {
    const doc = str(s.document_id) ? `, report document ${str(s.document_id)}` : '';
    const line = typeof s.line === 'number' ? String(s.line) : '?';
    return `     Source: ${str(s.file) ?? 'report'}${doc}, line ${line}`;
  });
}

/** The total per currency, "37.20 USD + 12.00 EUR" when a case mixes them (it should not). */
function totalText(claims: readonly CaseClaim[]): string {
  const totals = new Map<string, number>();
  for (const c of claims) if (c.amountMinor !== null && c.currency && isCurrency(c.currency)) totals.set(c.currency, (totals.get(c.currency) ?? 0) + c.amountMinor);
  return totals.size === 0 ? 'to be assessed' : [...totals].map(([cur, minor]) => formatMoney(money(minor, cur))).join(' + ');
}

export function writeCase(claims: readonly CaseClaim[], evidence: readonly CaseEvidence[], downloadUrl: (fileId: string) => string): WrittenCase {
  const first = claims[0];
  if (!first) throw new RangeError('a case needs at least one claim');
  const what = (WHAT as Readonly<Record<string, string>>)[first.type] ?? first.type.replace(/_/g, ' ');
  const items = claims.map(caseItem);
  const units = items.reduce((n, i) => n + i.quantity, 0);
  const unitsText = `${units} ${units === 1 ? what.replace(/^units /, 'unit ') : what}`;
  const shipment = first.type === 'inbound_shortage' ? items[0]?.shipment_id : undefined;
  // Counted, not assumed: several claims may be one SKU over several orders (three refunds of one
  // product are one SKU and three orders, not three SKUs).
  const skus = new Set(items.map((i) => i.sku ?? i.fnsku ?? '?'));
  const orders = new Set(items.flatMap((i) => (i.order_id ? [i.order_id] : [])));
  const skuText = skus.size === 1 ? `SKU ${items[0]?.sku ?? '?'}${items[0]?.fnsku ? ` (FNSKU ${items[0].fnsku})` : ''}` : `${skus.size} SKUs`;
  const subject =
    claims.length === 1
      ? `Reimbursement request: ${unitsText}, ${skuText}`
      : `Reimbursement request: ${skuText}, ${unitsText}${orders.size > 1 ? ` in ${orders.size} orders` : ''}${shipment ? ` (shipment ${shipment})` : ''}`;

  const lines = ['Hello,', '', `Please review and reimburse the following ${claims.length === 1 ? 'item' : `${claims.length} items`} (${what}).`, ''];
  claims.forEach((c, i) => {
    const item = items[i];
    if (!item) return;
    const ids = [item.sku && `SKU ${item.sku}`, item.fnsku && `FNSKU ${item.fnsku}`, item.asin && `ASIN ${item.asin}`].filter(Boolean).join(', ');
    lines.push(`${i + 1}. ${ids}: ${item.quantity} unit${item.quantity === 1 ? '' : 's'}, ${amountText(c)}.`);
    const refs = [item.shipment_id && `shipment ${item.shipment_id}`, item.order_id && `order ${item.order_id}`].filter(Boolean).join(', ');
    if (refs) lines.push(`     Reference: ${refs}`);
    lines.push(...sourcesText(c));
    if (c.deadline) lines.push(`     Eligible until: ${c.deadline}`);
  });
  lines.push('', `Total requested: ${totalText(claims)}.`);

  const files = new Map<string, CaseEvidence>();
  for (const e of evidence) if (!files.has(e.fileId)) files.set(e.fileId, e);
  const attachments = [...files.values()]
    .sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0))
    .map((e) => ({ file_id: e.fileId, filename: e.filename, content_type: e.contentType, kind: e.kind, sha256: e.sha256, size_bytes: e.sizeBytes, download_url: downloadUrl(e.fileId) }));
  lines.push('', attachments.length ? 'Attached evidence:' : 'No documents are attached; the report lines above show the discrepancy.');
  for (const a of attachments) lines.push(`- ${a.filename} (${a.kind.replace(/_/g, ' ')})`);
  lines.push('', 'Thank you.');
  return { subject: subject.slice(0, 200), body: lines.join('\n'), attachments, items };
}
