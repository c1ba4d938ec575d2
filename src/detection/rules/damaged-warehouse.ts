import { DAMAGED_WAREHOUSE, ReimbursedUnits } from '../books/reimbursed-units.js';
import { eventClaims } from './event-claims.js';
import { EventsByFnsku, isAdjustment } from './ledger-events.js';
import type { Rule } from './rule.js';

// "Damaged at Amazon FC", drawn from each disposition. The P that follows each one only moves the
// units into the damaged disposition, so it is not a recovery and is not subtracted.
const DAMAGE_REASONS = new Set(['E', '6', '7', 'H', 'K', 'U']);

/**
 * damaged_warehouse: one claim per damage event in the lookback window (keyed by its Transaction
 * Item ID), less the units reimbursed as Damaged_Warehouse on or after it, oldest damage first.
 */
export const damagedWarehouse: Rule = {
  type: 'damaged_warehouse',
  needs: ['ledger', ['reimbursements', 'financialEvents']],
  start(ctx) {
    const cfg = ctx.config.damagedWarehouse;
    const windowStart = ctx.asOf - cfg.lookbackDays;
    const inWindow = (day: number): boolean => day >= windowStart && day <= ctx.asOf;
    const damaged = new EventsByFnsku();
    const reimbursed = new ReimbursedUnits(DAMAGED_WAREHOUSE, 'fnsku', inWindow);

    return {
      reimbursements: reimbursed.reimbursements,
      financialEvents: reimbursed.financialEvents,
      ledger(row) {
        if (row.quantity >= 0 || !inWindow(row.day) || !isAdjustment(row)) return;
        if (DAMAGE_REASONS.has(row.reason.toUpperCase())) damaged.add(row, -row.quantity);
      },
      finish(books) {
        return eventClaims(damaged, books, {
          type: 'damaged_warehouse',
          asOf: ctx.asOf,
          deadlineDays: cfg.deadlineDays,
          recoveries: (_fnsku, keys, from) => reimbursed.grants(keys, from),
        });
      },
    };
  },
};
