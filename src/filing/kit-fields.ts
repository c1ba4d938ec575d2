// What each claim type's form in Seller Central asks for, as copyable fields, in the form's own
// words. Only the fields a type's form uses, and only those the claim has: an empty field would
// be something to copy that does not exist. Pure.
import type { ClaimType } from '../detection/types.js';
import { amountText, totalText, type ClaimFacts } from './claim-facts.js';

export interface KitField {
  /** null: the field belongs to the whole case (a shared shipment, the total). */
  readonly claim_id: string | null;
  readonly label: string;
  readonly value: string;
}

type Pick = (f: ClaimFacts) => string | undefined;

const F = {
  transactionItemId: ['Transaction Item ID', (f) => f.transactionItemId],
  fnsku: ['FNSKU', (f) => f.fnsku],
  msku: ['MSKU', (f) => f.sku],
  asin: ['ASIN', (f) => f.asin],
  fulfillmentCenter: ['Fulfillment center', (f) => f.fulfillmentCenter],
  shipmentId: ['Shipment ID', (f) => f.shipmentId],
  orderId: ['Order ID', (f) => f.orderId],
  replacementOrderId: ['Replacement order ID', (f) => f.replacementOrderId],
  removalOrderId: ['Removal order ID', (f) => f.removalOrderId],
  trackingNumber: ['Tracking number', (f) => f.trackingNumber],
  carrier: ['Carrier', (f) => f.carrier],
  reimbursementId: ['Reimbursement ID', (f) => f.reimbursementId],
  originalReimbursementId: ['Original reimbursement ID', (f) => f.originalReimbursementId],
  originalApprovalDate: ['Original approval date', (f) => f.originalApprovalDate],
  returnDate: ['Return date', (f) => f.returnDate],
  quantity: ['Quantity', (f) => String(f.quantity)],
  amount: ['Amount requested', (f) => amountText(f) ?? undefined],
} satisfies Record<string, readonly [string, Pick]>;

const date = (label: string): readonly [string, Pick] => [label, (f) => f.eventDate];

interface FormSpec {
  readonly fields: ReadonlyArray<readonly [string, Pick]>;
  /** Labels given once for the whole case when every claim has the same value (one shipment, one removal order). */
  readonly shared?: readonly string[];
}

const CUSTOMER_ORDER = [F.orderId, F.msku, F.fnsku, F.asin] as const;

const FORMS: Readonly<Record<ClaimType, FormSpec>> = {
  lost_warehouse: { fields: [F.transactionItemId, F.fnsku, F.msku, F.asin, F.fulfillmentCenter, date('Event date'), F.quantity, F.amount] },
  damaged_warehouse: { fields: [F.transactionItemId, F.fnsku, F.msku, F.asin, F.fulfillmentCenter, date('Event date'), F.quantity, F.amount] },
  inbound_shortage: { fields: [F.shipmentId, F.msku, F.fnsku, F.asin, date('Last received date'), F.quantity, F.amount], shared: ['Shipment ID'] },
  refund_not_returned: { fields: [...CUSTOMER_ORDER, date('Refund date'), F.quantity, F.amount] },
  return_damaged: { fields: [...CUSTOMER_ORDER, F.returnDate, F.fulfillmentCenter, F.quantity, F.amount] },
  replacement_not_returned: { fields: [F.orderId, F.replacementOrderId, F.msku, F.fnsku, F.asin, date('Replacement shipped'), F.quantity, F.amount] },
  removal_shortfall: { fields: [F.removalOrderId, F.msku, F.fnsku, F.asin, date('Order last updated'), F.quantity, F.amount], shared: ['Removal order ID'] },
  removal_lost_in_transit: { fields: [F.removalOrderId, F.trackingNumber, F.carrier, F.msku, F.fnsku, F.asin, date('Shipment date'), F.quantity, F.amount], shared: ['Removal order ID'] },
  fee_overcharge: { fields: [F.msku, F.asin, F.fnsku, date('First fee charged'), F.quantity, F.amount] },
  underpaid_reimbursement: { fields: [F.reimbursementId, F.msku, F.fnsku, F.asin, date('Approval date'), F.quantity, F.amount] },
  reimbursement_reversal: {
    fields: [F.reimbursementId, F.originalReimbursementId, F.orderId, F.msku, F.fnsku, F.asin, date('Reversal date'), F.originalApprovalDate, F.quantity, F.amount],
  },
};

const FALLBACK: FormSpec = { fields: [F.msku, F.fnsku, F.asin, F.orderId, F.shipmentId, date('Event date'), F.quantity, F.amount] };

export const formOf = (type: string): FormSpec => (FORMS as Readonly<Record<string, FormSpec>>)[type] ?? FALLBACK;

/** The labels a claim type's form uses, in order. */
export function formLabels(type: string): string[] {
  return formOf(type).fields.map(([label]) => label);
}

/**
 * The case's fields: a shared value once for the case (claim_id null), then each claim's own, and
 * the total for a case of several claims. `claims` pairs each claim id with its facts.
 */
export function kitFields(type: string, claims: ReadonlyArray<{ id: string; facts: ClaimFacts }>): KitField[] {
  const form = formOf(type);
  const shared = new Set(
    (form.shared ?? []).filter((label) => {
      const pick = form.fields.find(([l]) => l === label)?.[1];
      const values = new Set(claims.map((c) => pick?.(c.facts)));
      return claims.length > 1 && values.size === 1 && [...values][0] !== undefined;
    }),
  );
  const out: KitField[] = [];
  for (const [label, pick] of form.fields) {
    const value = shared.has(label) && claims[0] ? pick(claims[0].facts) : undefined;
    if (value !== undefined) out.push({ claim_id: null, label, value });
  }
  for (const c of claims) {
    for (const [label, pick] of form.fields) {
      if (shared.has(label)) continue;
      const value = pick(c.facts);
      if (value !== undefined && value !== '') out.push({ claim_id: c.id, label, value });
    }
  }
  const total = totalText(claims.map((c) => c.facts));
  if (claims.length > 1 && total) out.push({ claim_id: null, label: 'Total amount requested', value: total });
  return out;
}
