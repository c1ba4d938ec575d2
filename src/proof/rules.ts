// Each claim type's rule as DETECTION.md states it, for the proof packet: a seller (or Amazon's
// investigator) reads why Clario claimed, in words, beside the lines it rests on.

export interface RuleText {
  readonly name: string;
  readonly rule: string;
  readonly amount: string;
}

export const RULE_TEXTS: Readonly<Record<string, RuleText>> = {
  lost_warehouse: {
    name: 'Lost in Amazon warehouse (lost_warehouse)',
    rule: 'One inventory ledger adjustment with reason M or 5 (units missing) in the last 60 days, identified by its Transaction Item ID, minus units found again on or after it (reason F or N) and units reimbursed as Lost_Warehouse on or after it, both applied to the oldest losses first.',
    amount: 'units x unit cost',
  },
  damaged_warehouse: {
    name: 'Damaged in Amazon warehouse (damaged_warehouse)',
    rule: 'One inventory ledger adjustment with reason E, 6, 7, H, K or U in the last 60 days, identified by its Transaction Item ID, minus units reimbursed as Damaged_Warehouse on or after it, applied to the oldest damage first.',
    amount: 'units x unit cost',
  },
  inbound_shortage: {
    name: 'Inbound shipment shortage (inbound_shortage)',
    rule: 'A closed inbound shipment where units shipped exceed units received, not reimbursed as Lost_Inbound after the last receipt.',
    amount: 'units x unit cost',
  },
  refund_not_returned: {
    name: 'Refunded but never returned (refund_not_returned)',
    rule: 'A customer refund for the order and SKU with no customer return, not reimbursed for that order.',
    amount: 'refunded principal, tax excluded',
  },
  return_damaged: {
    name: 'Customer return damaged by Amazon or the carrier (return_damaged)',
    rule: 'A customer return with disposition DAMAGED or CARRIER_DAMAGED (never CUSTOMER_DAMAGED or DEFECTIVE), not reimbursed for that order; claimed 60 to 120 days after the refund.',
    amount: 'units x sale price, else unit cost',
  },
  replacement_not_returned: {
    name: 'Replacement whose original was never returned (replacement_not_returned)',
    rule: 'A free replacement Amazon shipped, whose original order has no customer return for the SKU and no reimbursement; claimed 60 to 120 days after the replacement shipped.',
    amount: "units x the original order's sale price, else unit cost",
  },
  removal_shortfall: {
    name: 'Removal order shortfall (removal_shortfall)',
    rule: 'A completed removal order where requested - cancelled - disposed - shipped - in-process is above zero.',
    amount: 'units x unit cost',
  },
  removal_lost_in_transit: {
    name: 'Removal shipment lost in transit (removal_lost_in_transit)',
    rule: 'Units Amazon shipped in a removal parcel (order, SKU, tracking number) that the seller recorded as not received; claimed 15 to 75 days after the shipment.',
    amount: 'units x unit cost',
  },
  fee_overcharge: {
    name: 'FBA fulfilment fee overcharge (fee_overcharge)',
    rule: "The per-unit FBA fulfilment fee charged exceeds the fee preview's expected fee for the SKU by more than 1%, summed over the last 90 days.",
    amount: 'summed excess',
  },
  underpaid_reimbursement: {
    name: 'Underpaid reimbursement (underpaid_reimbursement)',
    rule: "A Lost_Warehouse, Damaged_Warehouse or Lost_Inbound reimbursement whose amount per unit is more than 1% below the seller's unit (manufacturing) cost.",
    amount: '(unit cost - amount per unit) x units reimbursed in cash',
  },
  reimbursement_reversal: {
    name: 'Reimbursement taken back (reimbursement_reversal)',
    rule: 'A Reimbursement_Reversal of one of the seller\'s reimbursements, with no unit of the FNSKU found (reason F or N) in the ledger between the original approval and the reversal.',
    amount: 'the amount reversed',
  },
};

export function ruleText(type: string): RuleText {
  return RULE_TEXTS[type] ?? { name: type, rule: 'A claim type without a published rule.', amount: 'as detected' };
}
