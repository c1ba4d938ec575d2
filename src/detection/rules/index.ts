import { damagedWarehouse } from './damaged-warehouse.js';
import { feeOvercharge } from './fee-overcharge.js';
import { inboundShortage } from './inbound-shortage.js';
import { lostWarehouse } from './lost-warehouse.js';
import { refundNotReturned } from './refund-not-returned.js';
import { removalShortfall } from './removal-shortfall.js';
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
  removalShortfall,
  feeOvercharge,
  underpaidReimbursement,
];

export {
  damagedWarehouse,
  feeOvercharge,
  inboundShortage,
  lostWarehouse,
  refundNotReturned,
  removalShortfall,
  returnDamaged,
  underpaidReimbursement,
};
export type { Books, Need, Rule, RuleContext, RuleRun, RowSink } from './rule.js';
