import type { Money } from '../domain/money.js';

/** The eleven claim types of DETECTION.md (version 2), in its order. */
export const CLAIM_TYPES = [
  'lost_warehouse',
  'damaged_warehouse',
  'inbound_shortage',
  'refund_not_returned',
  'return_damaged',
  'replacement_not_returned',
  'removal_shortfall',
  'removal_lost_in_transit',
  'fee_overcharge',
  'underpaid_reimbursement',
  'reimbursement_reversal',
] as const;
export type ClaimType = (typeof CLAIM_TYPES)[number];

/** eligible: fileable now; pending: inside Amazon's grace period; expired: deadline passed. */
export type ClaimStatus = 'eligible' | 'pending' | 'expired';
export const CLAIM_STATUSES: readonly ClaimStatus[] = ['eligible', 'pending', 'expired'];

/** One input line: the evidence lineage of a claim. `line` is 1-based; line 1 is a TSV's header. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
}

/** A row or file that could not be read, reported instead of stopping the run. */
export interface Diagnostic {
  readonly file: string;
  /** 0 when the problem concerns the whole file. */
  readonly line: number;
  readonly message: string;
}

/** The fields that identify a claim, named as DETECTION.md fixes them. */
export interface ClaimKey {
  readonly fnsku?: string;
  /** The ledger row's Reference ID (Amazon's Transaction Item ID), or its day (YYYY-MM-DD) when it has none. */
  readonly reference_id?: string;
  readonly shipment_id?: string;
  readonly order_id?: string;
  readonly removal_order_id?: string;
  readonly sku?: string;
  readonly tracking_number?: string;
  readonly reimbursement_id?: string;
}

/**
 * What Amazon's claim forms ask for beyond the key, kept with the claim so that filing it needs
 * no second look at the reports. Only the fields a claim type has are present.
 */
export interface FilingFacts {
  /** YYYY-MM-DD: the day the claim's window counts from (the loss, refund, shipment...). */
  readonly event_date: string;
  /** Amazon's Transaction Item ID of a ledger adjustment (its Reference ID), when the row has one. */
  readonly transaction_item_id?: string;
  readonly fulfillment_center?: string;
  /** The ledger row's disposition (SELLABLE, DEFECTIVE...). */
  readonly disposition?: string;
  /** Units of the event the ledger still shows as unreconciled, as Amazon wrote it. */
  readonly unreconciled_quantity?: number;
  readonly order_id?: string;
  /** The free replacement's own order (replacement_not_returned; the key holds the original order). */
  readonly replacement_order_id?: string;
  readonly original_fulfillment_center?: string;
  readonly shipment_id?: string;
  readonly carrier?: string;
  readonly tracking_number?: string;
  /** YYYY-MM-DD: the customer return day (return_damaged), which Amazon's form asks for too. */
  readonly return_date?: string;
  /** The reimbursement a reversal took back, and the day it was approved. */
  readonly original_reimbursement_id?: string;
  readonly original_approval_date?: string;
}

export interface Claim {
  readonly type: ClaimType;
  readonly status: ClaimStatus;
  readonly sku: string;
  /** null when no input row ties the SKU to an FNSKU (refund and fee events carry only the SKU). */
  readonly fnsku: string | null;
  readonly asin?: string;
  readonly quantity: number;
  /** null when neither a unit cost nor a sale price is known: the value is said to be unknown. */
  readonly amount: Money | null;
  /** YYYY-MM-DD, the last day Amazon accepts the claim. */
  readonly deadline: string;
  /** YYYY-MM-DD, the first day Amazon accepts it (the end of its grace period): only on a `pending` claim. */
  readonly eligible_from?: string;
  readonly key: ClaimKey;
  readonly sources: readonly SourceRef[];
  readonly valuation?: 'sale_price_estimate';
  readonly filing: FilingFacts;
}

/** A calendar day as a count of days since 1970-01-01, so that day arithmetic is integer math. */
export type Day = number;
