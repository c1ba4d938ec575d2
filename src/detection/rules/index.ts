import { damagedWarehouse } from './damaged-warehouse.js';
import { feeOvercharge } from './fee-overcharge.js';
import { inboundShortage } from './inbound-shortage.js';
import { lostWarehouse } from './lost-warehouse.js';
import { refundNotReturned } from './refund-not-returned.js';
import { reimbursementReversal } from './reimbursement-reversal.js';
import { removalLostInTransit } from './removal-lost-in-transit.js';
import { removalShortfall } from './removal-shortfall.js';
import { replacementNotReturned } from './replacement-not-returned.js';
import { returnDamaged } from './return-damaged.js';
import type { Rule } from './rule.js';
import { underpaidReimbursement } from './underpaid-reimbursement.js';

/** Every claim type's rule, in DETECTION.md's order. */
export const RULES: readonly Rule[] = [
  lostWarehouse,
  damagedWarehouse,
  inboundShortage,
  refundNotReturned,
  returnDamaged,
  replacementNotReturned,
  removalShortfall,
  removalLostInTransit,
  feeOvercharge,
  underpaidReimbursement,
  reimbursementReversal,
];

export {
  damagedWarehouse,
  feeOvercharge,
  inboundShortage,
  lostWarehouse,
  refundNotReturned,
  reimbursementReversal,
  removalLostInTransit,
  removalShortfall,
  replacementNotReturned,
  returnDamaged,
  underpaidReimbursement,
};
export type { Books, Need, Rule, RuleContext, RuleRun, RowSink } from './rule.js';
