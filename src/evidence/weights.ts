// The evidence scoring model in one table. Each claim type's weights say how much of its case
// rests on Amazon's own data (`amazon`) and how much on what the seller can show: an invoice's
// unit coverage, cost and date, and a proof of delivery. A type's weights sum to at most 1; a
// seller's confirmation adds `CONFIRMED_BONUS`, and an unknown value takes `UNKNOWN_VALUE_PENALTY`
// off, so the score stays explainable line by line. Pure data: no I/O.
import { DEFAULT_DETECTION_CONFIG } from '../detection/detection-config.js';
import type { ClaimType } from '../detection/types.js';

export interface TypeWeights {
  /** What Amazon's reports prove by themselves (the discrepancy is in Amazon's own data). */
  readonly amazon: number;
  /** Invoice units / claimed units (capped at 1): proof of ownership of every unit claimed. */
  readonly coverage: number;
  /** The invoice's unit cost agrees with the claim's valuation (within COST_TOLERANCE_BP). */
  readonly cost: number;
  /** The invoice is dated on or before the event: the seller owned the units when they were lost. */
  readonly date: number;
  /** A proof of delivery (carrier POD, bill of lading) for the shipment. */
  readonly pod: number;
}

/**
 * Amazon asks for proof of ownership (an invoice) for lost and damaged stock, and for proof of
 * delivery on inbound shortages. Refunds without returns and fee overcharges are proven by Amazon's
 * own reports: no document raises them. Without any document a warehouse claim sits in the
 * smart-prompt band (the seller is asked for the invoice); an underpaid reimbursement rests on the
 * seller's unit cost, so its invoice weighs most.
 */
export const WEIGHTS: Readonly<Record<ClaimType, TypeWeights>> = Object.freeze({
  lost_warehouse: { amazon: 0.55, coverage: 0.2, cost: 0.15, date: 0.1, pod: 0 },
  damaged_warehouse: { amazon: 0.55, coverage: 0.2, cost: 0.15, date: 0.1, pod: 0 },
  removal_shortfall: { amazon: 0.55, coverage: 0.2, cost: 0.15, date: 0.1, pod: 0 },
  return_damaged: { amazon: 0.6, coverage: 0.2, cost: 0.1, date: 0.1, pod: 0 },
  inbound_shortage: { amazon: 0.5, coverage: 0.1, cost: 0.05, date: 0.1, pod: 0.25 },
  underpaid_reimbursement: { amazon: 0.5, coverage: 0.1, cost: 0.3, date: 0.1, pod: 0 },
  refund_not_returned: { amazon: 0.9, coverage: 0, cost: 0, date: 0, pod: 0 },
  fee_overcharge: { amazon: 0.9, coverage: 0, cost: 0, date: 0, pod: 0 },
  // Amazon's replacement and returns reports prove it, as for a refund never returned.
  replacement_not_returned: { amazon: 0.9, coverage: 0, cost: 0, date: 0, pod: 0 },
  // Amazon's removal shipment report with the seller's receipt record; the invoice proves the value.
  removal_lost_in_transit: { amazon: 0.55, coverage: 0.2, cost: 0.15, date: 0.1, pod: 0 },
  // The reimbursements report holds both the payment and its reversal.
  reimbursement_reversal: { amazon: 0.9, coverage: 0, cost: 0, date: 0, pod: 0 },
});

/** A claim type detection does not know yet: Amazon's data counts for half, an invoice for the rest. */
export const UNKNOWN_TYPE_WEIGHTS: TypeWeights = Object.freeze({ amazon: 0.5, coverage: 0.25, cost: 0.15, date: 0.1, pod: 0 });

/** The seller confirmed the claim in a smart prompt. */
export const CONFIRMED_BONUS = 0.1;
/** Neither a unit cost nor a sale price is known: Amazon cannot pay what nobody can value. */
export const UNKNOWN_VALUE_PENALTY = 0.25;
/** Invoice and claimed unit cost agree within 10% (suppliers' prices move, freight gets added). */
export const COST_TOLERANCE_BP = 1000;

/** Days from the event to the deadline per claim type (detection's windows), to date the event. */
export const WINDOW_DAYS: Readonly<Record<ClaimType, number>> = Object.freeze({
  lost_warehouse: DEFAULT_DETECTION_CONFIG.lostWarehouse.deadlineDays,
  damaged_warehouse: DEFAULT_DETECTION_CONFIG.damagedWarehouse.deadlineDays,
  inbound_shortage: DEFAULT_DETECTION_CONFIG.inboundShortage.deadlineDays,
  refund_not_returned: DEFAULT_DETECTION_CONFIG.refundNotReturned.deadlineDays,
  return_damaged: DEFAULT_DETECTION_CONFIG.returnDamaged.deadlineDays,
  removal_shortfall: DEFAULT_DETECTION_CONFIG.removalShortfall.deadlineDays,
  fee_overcharge: DEFAULT_DETECTION_CONFIG.feeOvercharge.deadlineDays,
  underpaid_reimbursement: DEFAULT_DETECTION_CONFIG.underpaidReimbursement.deadlineDays,
  replacement_not_returned: DEFAULT_DETECTION_CONFIG.replacementNotReturned.deadlineDays,
  removal_lost_in_transit: DEFAULT_DETECTION_CONFIG.removalLostInTransit.deadlineDays,
  reimbursement_reversal: DEFAULT_DETECTION_CONFIG.reimbursementReversal.deadlineDays,
});

/** The event an invoice must predate, as the reason sentences name it. */
export const EVENT_NAME: Readonly<Record<string, string>> = Object.freeze({
  lost_warehouse: 'the loss',
  damaged_warehouse: 'the damage',
  inbound_shortage: 'the shipment',
  removal_shortfall: 'the removal',
  return_damaged: 'the return',
  underpaid_reimbursement: 'the reimbursement',
  removal_lost_in_transit: 'the removal shipment',
});

export function weightsOf(type: string): TypeWeights {
  return (WEIGHTS as Readonly<Record<string, TypeWeights>>)[type] ?? UNKNOWN_TYPE_WEIGHTS;
}
