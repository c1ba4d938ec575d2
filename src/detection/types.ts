import type { Money } from '../domain/money.js';

/** The eight claim types of DETECTION.md. */
export const CLAIM_TYPES = [
  'lost_warehouse',
  'damaged_warehouse',
  'inbound_shortage',
  'refund_not_returned',
  'return_damaged',
  'removal_shortfall',
  'fee_overcharge',
  'underpaid_reimbursement',
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
  readonly shipment_id?: string;
  readonly order_id?: string;
  readonly removal_order_id?: string;
  readonly sku?: string;
  readonly reimbursement_id?: string;
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
  readonly key: ClaimKey;
  readonly sources: readonly SourceRef[];
  readonly valuation?: 'sale_price_estimate';
}

/** A calendar day as a count of days since 1970-01-01, so that day arithmetic is integer math. */
export type Day = number;
