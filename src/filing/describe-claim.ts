// One claim in the words of Amazon's own reports: what happened to which units, where, when, under
// which ids. Pure. Only facts Amazon can look up (ids, dates, fulfilment centres, report names);
// never detection's bookkeeping.
import type { ClaimType } from '../detection/types.js';
import { plural } from '../domain/plural.js';
import { dimensionsInCm, dimensionsInInches, weightInGOrKg, weightInPounds } from '../domain/measurements.js';
import type { ClaimFacts } from './claim-facts.js';
import { usesImperialUnits } from './filing-places.js';
import { reportName } from './report-names.js';

const opt = (value: string | undefined, text: (v: string) => string) => (value ? text(value) : '');

/** "FNSKU X001 (MSKU SKU-1, ASIN B0...)", with whichever ids the claim has. */
export function productIds(f: ClaimFacts): string {
  const rest = [f.sku && `MSKU ${f.sku}`, f.asin && `ASIN ${f.asin}`].filter(Boolean).join(', ');
  if (f.fnsku) return `FNSKU ${f.fnsku}${rest ? ` (${rest})` : ''}`;
  return rest || 'the product';
}

const SENTENCES: Readonly<Record<ClaimType, (f: ClaimFacts) => string>> = {
  lost_warehouse: (f) =>
    `${productIds(f)}: ${plural(f.quantity, 'unit')} reported lost${opt(f.fulfillmentCenter, (v) => ` at ${v}`)}${opt(f.eventDate, (v) => ` on ${v}`)}` +
    `${opt(f.transactionItemId, (v) => `, Transaction Item ID ${v}`)}. The units were not found again and have not been reimbursed.`,
  damaged_warehouse: (f) =>
    `${productIds(f)}: ${plural(f.quantity, 'unit')} damaged in the fulfillment center${opt(f.fulfillmentCenter, (v) => ` ${v}`)}${opt(f.eventDate, (v) => ` on ${v}`)}` +
    `${opt(f.transactionItemId, (v) => `, Transaction Item ID ${v}`)}${opt(f.disposition, (v) => ` (disposition ${v})`)}. The units have not been reimbursed.`,
  inbound_shortage: (f) =>
    `${opt(f.shipmentId, (v) => `Shipment ${v}, `)}${productIds(f)}: ${plural(f.quantity, 'unit')} shipped but not received` +
    `${opt(f.eventDate, (v) => `; the last units were received on ${v}`)}. The missing units have not been reimbursed.`,
  refund_not_returned: (f) =>
    `${opt(f.orderId, (v) => `Order ${v}, `)}${productIds(f)}: ${plural(f.quantity, 'unit')} refunded to the customer${opt(f.eventDate, (v) => ` on ${v}`)}` +
    ` and never returned to a fulfillment center. No reimbursement appears for this order.`,
  return_damaged: (f) =>
    `${opt(f.orderId, (v) => `Order ${v}, `)}${productIds(f)}: ${plural(f.quantity, 'unit')} returned by the customer${opt(f.returnDate, (v) => ` on ${v}`)}` +
    `${opt(f.fulfillmentCenter, (v) => ` to ${v}`)} and damaged by Amazon or its carrier` +
    `${f.eventDate && f.eventDate !== f.returnDate ? `; the customer was refunded on ${f.eventDate}` : ''}. No reimbursement appears for this order.`,
  replacement_not_returned: (f) =>
    `${opt(f.orderId, (v) => `Order ${v}, `)}${productIds(f)}: a replacement${opt(f.replacementOrderId, (v) => ` (order ${v})`)} was shipped` +
    `${opt(f.eventDate, (v) => ` on ${v}`)} and the original ${plural(f.quantity, 'unit')} never came back. No reimbursement appears for this order.`,
  removal_shortfall: (f) =>
    `${opt(f.removalOrderId, (v) => `Removal order ${v}, `)}${productIds(f)}: ${plural(f.quantity, 'unit')} neither shipped, cancelled nor disposed of, ` +
    `though the order is completed${opt(f.eventDate, (v) => ` (last updated ${v})`)}.`,
  removal_lost_in_transit: (f) =>
    `${opt(f.removalOrderId, (v) => `Removal order ${v}, `)}${productIds(f)}: ${plural(f.quantity, 'unit')} shipped${opt(f.eventDate, (v) => ` on ${v}`)}` +
    `${opt(f.carrier, (v) => ` with ${v}`)}${opt(f.trackingNumber, (v) => `, tracking number ${v}`)}, never delivered to me.`,
  fee_overcharge: (f) =>
    `${productIds(f)}: the FBA fulfillment fee charged on ${plural(f.quantity, 'unit')}${opt(f.eventDate, (v) => ` since ${v}`)} is above the fee for the item's ` +
    `size and weight.`,
  underpaid_reimbursement: (f) =>
    `${opt(f.reimbursementId, (v) => `Reimbursement ${v}, `)}${productIds(f)}: ${plural(f.quantity, 'unit')} reimbursed${opt(f.eventDate, (v) => ` on ${v}`)} ` +
    `below their manufacturing cost.`,
  reimbursement_reversal: (f) =>
    `${opt(f.reimbursementId, (v) => `Reimbursement ${v}`)}${opt(f.eventDate, (v) => ` of ${v}`)} reversed` +
    `${opt(f.originalReimbursementId, (v) => ` reimbursement ${v}`)}${opt(f.originalApprovalDate, (v) => ` (approved ${v})`)} for ${plural(f.quantity, 'unit')} of ` +
    `${productIds(f)}${opt(f.orderId, (v) => `, order ${v}`)}; the Inventory Ledger shows none of the units found in between.`,
};

/** One sentence stating the claim in Amazon's terms. */
export function claimSentence(f: ClaimFacts): string {
  const sentence = (SENTENCES as Readonly<Record<string, (f: ClaimFacts) => string>>)[f.type];
  return sentence ? sentence(f) : `${productIds(f)}: ${plural(f.quantity, 'unit')}${opt(f.eventDate, (v) => ` on ${v}`)}.`;
}

/**
 * The seller's measurement of the unit, for a fee dispute: Amazon's own measurement governs
 * unless the seller sends theirs. Inches and pounds too on the US site. Null without one.
 */
export function measurementSentence(f: ClaimFacts, photos: number): string | null {
  const m = f.measurements;
  if (!m) return null;
  const imperial = usesImperialUnits(f.currency) ? ` (${dimensionsInInches(m)}, ${weightInPounds(m)})` : '';
  const attached = photos === 0 ? '' : photos === 1 ? '; a photo of it is attached' : `; ${photos} photos of it are attached`;
  return `My measurement of the unit in its packaging, longest side first: ${dimensionsInCm(m)}, ${weightInGOrKg(m)}${imperial}, measured on ${m.measured_at.slice(0, 10)}${attached}.`;
}

/** The names of the Amazon reports a claim rests on, first cited first, each once. */
export function reportsOf(details: Record<string, unknown> | null): string[] {
  const sources = Array.isArray(details?.sources) ? (details.sources as unknown[]) : [];
  const names = sources.flatMap((s) => {
    const file = s && typeof s === 'object' ? (s as Record<string, unknown>).file : undefined;
    return typeof file === 'string' ? [reportName(file)] : [];
  });
  return [...new Set(names)];
}
