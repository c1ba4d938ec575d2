// The case as a person at Amazon reads it: a subject, each claim in the words of Amazon's own
// reports (ids, dates, fulfilment centres, the report names), the amount asked, the documents
// attached; and the items the case API (or Seller Central) takes. Never Clario's internals: no
// file names of its own, line numbers, claim ids or report document ids, which an agent at
// Amazon cannot use. Pure: the same claims and evidence always give the same text, so a retried
// filing sends the same body.
import type { ClaimType } from '../detection/types.js';
import { plural } from '../domain/plural.js';
import { amountText, claimFacts, totalText } from './claim-facts.js';
import { claimSentence, measurementSentence, reportsOf } from './describe-claim.js';

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

/**
 * A claim type's items counted, for one and for many: what a case subject says ("1 unit lost in a
 * fulfillment center", "2 replacements whose original units were never returned"). WHAT describes
 * the kind; it is not a count's noun for every type ("FBA fees charged…").
 */
const COUNTED: Readonly<Record<ClaimType, readonly [one: string, many: string]>> = {
  lost_warehouse: ['unit lost in a fulfillment center', 'units lost in a fulfillment center'],
  damaged_warehouse: ['unit damaged in a fulfillment center', 'units damaged in a fulfillment center'],
  inbound_shortage: ['unit missing from an inbound shipment', 'units missing from an inbound shipment'],
  refund_not_returned: ['unit refunded to a customer and never returned', 'units refunded to customers and never returned'],
  return_damaged: ['unit returned by a customer and damaged by Amazon or the carrier', 'units returned by customers and damaged by Amazon or the carrier'],
  removal_shortfall: ['unit missing from a removal order', 'units missing from a removal order'],
  fee_overcharge: ['unit charged FBA fees above the published rate', 'units charged FBA fees above the published rate'],
  underpaid_reimbursement: ['unit reimbursed below its value', 'units reimbursed below their value'],
  replacement_not_returned: ['replacement whose original unit was never returned', 'replacements whose original units were never returned'],
  removal_lost_in_transit: ['unit of a removal shipment that never arrived', 'units of a removal shipment that never arrived'],
  reimbursement_reversal: ['unit whose reimbursement was taken back though it was never found', 'units whose reimbursement was taken back though they were never found'],
};

/** `n` items of a claim type, in words that agree with the count. */
export function countedWords(type: string, n: number): string {
  const forms = (COUNTED as Readonly<Record<string, readonly [string, string]>>)[type];
  if (!forms) return `${plural(n, 'unit')} (${claimTypeWords(type)})`;
  return `${n} ${n === 1 ? forms[0] : forms[1]}`;
}

/** What a claim type is about, in a few words ("units lost in a fulfillment center"). */
export function claimTypeWords(type: string): string {
  return (WHAT as Readonly<Record<string, string>>)[type] ?? type.replace(/_/g, ' ');
}

/** How the kinds of evidence read in a case. */
const KIND: Readonly<Record<string, string>> = { invoice: 'supplier invoice', proof_of_delivery: 'proof of delivery', measurement_photo: 'photo of the measured unit' };

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

/** The evidence files of a case, each once, by name; the case's attachments. */
export function caseAttachments(evidence: readonly CaseEvidence[], downloadUrl: (fileId: string) => string): Array<Record<string, unknown>> {
  const files = new Map<string, CaseEvidence>();
  for (const e of evidence) if (!files.has(e.fileId)) files.set(e.fileId, e);
  return [...files.values()]
    .sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : a.fileId < b.fileId ? -1 : 1))
    .map((e) => ({ file_id: e.fileId, filename: e.filename, content_type: e.contentType, kind: e.kind, sha256: e.sha256, size_bytes: e.sizeBytes, download_url: downloadUrl(e.fileId) }));
}

function subjectOf(claims: readonly CaseClaim[], items: readonly CaseItem[]): string {
  const units = items.reduce((n, i) => n + i.quantity, 0);
  const unitsText = countedWords(claims[0]?.type ?? '', units);
  const shipment = claims[0]?.type === 'inbound_shortage' ? items[0]?.shipment_id : undefined;
  // Counted, not assumed: several claims may be one SKU over several orders (three refunds of one
  // product are one SKU and three orders, not three SKUs).
  const skus = new Set(items.map((i) => i.sku ?? i.fnsku ?? '?'));
  const orders = new Set(items.flatMap((i) => (i.order_id ? [i.order_id] : [])));
  const skuText = skus.size === 1 ? `SKU ${items[0]?.sku ?? '?'}${items[0]?.fnsku ? ` (FNSKU ${items[0].fnsku})` : ''}` : `${skus.size} SKUs`;
  const subject =
    claims.length === 1
      ? `Reimbursement request: ${unitsText}, ${skuText}`
      : `Reimbursement request: ${skuText}, ${unitsText}${orders.size > 1 ? ` in ${orders.size} orders` : ''}${shipment ? ` (shipment ${shipment})` : ''}`;
  return subject.slice(0, 200);
}

export function writeCase(claims: readonly CaseClaim[], evidence: readonly CaseEvidence[], downloadUrl: (fileId: string) => string): WrittenCase {
  const first = claims[0];
  if (!first) throw new RangeError('a case needs at least one claim');
  const what = claimTypeWords(first.type);
  const items = claims.map(caseItem);
  const facts = claims.map(claimFacts);

  const lines = ['Hello,', '', `Please investigate and reimburse the following ${claims.length === 1 ? 'item' : `${claims.length} items`} (${what}).`, ''];
  claims.forEach((c, i) => {
    const f = facts[i];
    if (!f) return;
    lines.push(`${i + 1}. ${claimSentence(f)}`);
    const reports = reportsOf(c.details);
    if (reports.length) lines.push(`   Shown in: ${reports.join('; ')}.`);
    const photos = new Set(evidence.filter((e) => e.claimId === c.id && e.kind === 'measurement_photo').map((e) => e.fileId)).size;
    const measured = measurementSentence(f, photos);
    if (measured) lines.push(`   ${measured}`);
    lines.push(`   Amount requested: ${amountText(f) ?? 'to be valued by Amazon'}.`);
  });
  lines.push('', `Total requested: ${totalText(facts) ?? 'to be valued by Amazon'}.`);

  const attachments = caseAttachments(evidence, downloadUrl);
  const named = claims.some((c) => reportsOf(c.details).length > 0);
  lines.push('', attachments.length ? 'Attached:' : `No documents are attached${named ? '; the reports named above show the discrepancy' : ''}.`);
  for (const a of attachments) lines.push(`- ${String(a.filename)} (${KIND[String(a.kind)] ?? String(a.kind).replace(/_/g, ' ')})`);
  lines.push('', 'Thank you.');
  return { subject: subjectOf(claims, items), body: lines.join('\n'), attachments, items };
}
