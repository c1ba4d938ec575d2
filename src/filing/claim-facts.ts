// A stored claim read as the facts Amazon's forms and agents use: ids, the fulfilment centre, the
// dates, the quantity and the amount. Pure; one reading shared by the case text and the kit's
// fields, so the two never disagree. Detection's own bookkeeping (its source files, line numbers,
// the claim id) is deliberately not part of it.
import { formatMoney, isCurrency, money, type Money } from '../domain/money.js';
import type { CaseClaim } from './write-case.js';

export interface ClaimFacts {
  readonly type: string;
  readonly quantity: number;
  readonly amount: Money | null;
  readonly sku?: string;
  readonly fnsku?: string;
  readonly asin?: string;
  readonly transactionItemId?: string;
  readonly fulfillmentCenter?: string;
  readonly disposition?: string;
  /** YYYY-MM-DD: the day the claim's window counts from (loss, refund, shipment, approval...). */
  readonly eventDate?: string;
  readonly returnDate?: string;
  readonly shipmentId?: string;
  readonly orderId?: string;
  readonly replacementOrderId?: string;
  readonly removalOrderId?: string;
  readonly carrier?: string;
  readonly trackingNumber?: string;
  readonly reimbursementId?: string;
  readonly originalReimbursementId?: string;
  readonly originalApprovalDate?: string;
  readonly unreconciledQuantity?: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const day = (v: unknown): string | undefined => {
  const s = str(v);
  return s && DAY.test(s) ? s : undefined;
};

/** Drops the keys whose value is undefined, so optional fields stay absent (exactOptionalPropertyTypes). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function claimFacts(c: CaseClaim): ClaimFacts {
  const d = obj(c.details);
  const key = obj(d.key);
  const filing = obj(d.filing);
  // The key's reference_id is the Transaction Item ID, or the event's day when the ledger row had none.
  const reference = str(key.reference_id);
  const unreconciled = filing.unreconciled_quantity;
  return defined({
    type: c.type,
    quantity: Math.max(1, c.quantity ?? 1),
    amount: c.amountMinor !== null && c.currency && isCurrency(c.currency) ? money(c.amountMinor, c.currency) : null,
    sku: str(d.sku) ?? str(key.sku),
    fnsku: str(d.fnsku) ?? str(key.fnsku),
    asin: str(d.asin),
    transactionItemId: str(filing.transaction_item_id) ?? (reference && !DAY.test(reference) ? reference : undefined),
    fulfillmentCenter: str(filing.fulfillment_center),
    disposition: str(filing.disposition),
    eventDate: day(filing.event_date),
    returnDate: day(filing.return_date),
    shipmentId: str(filing.shipment_id) ?? str(key.shipment_id),
    orderId: str(filing.order_id) ?? str(key.order_id),
    replacementOrderId: str(filing.replacement_order_id),
    removalOrderId: str(key.removal_order_id),
    carrier: str(filing.carrier),
    trackingNumber: str(filing.tracking_number) ?? str(key.tracking_number),
    reimbursementId: str(key.reimbursement_id),
    originalReimbursementId: str(filing.original_reimbursement_id),
    originalApprovalDate: day(filing.original_approval_date),
    unreconciledQuantity: typeof unreconciled === 'number' && Number.isInteger(unreconciled) ? unreconciled : undefined,
  });
}

/** "37.20 USD", or null when the value is unknown. */
export function amountText(f: Pick<ClaimFacts, 'amount'>): string | null {
  return f.amount ? formatMoney(f.amount) : null;
}

/** The total per currency ("37.20 USD + 12.00 EUR" if a case mixed them, which planning avoids); null when none is known. */
export function totalText(facts: readonly ClaimFacts[]): string | null {
  const totals = new Map<string, number>();
  for (const f of facts) if (f.amount) totals.set(f.amount.currency, (totals.get(f.amount.currency) ?? 0) + f.amount.minor);
  return totals.size === 0 ? null : [...totals].map(([cur, minor]) => formatMoney(money(minor, cur))).join(' + ');
}
