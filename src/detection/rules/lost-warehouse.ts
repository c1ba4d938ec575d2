import { LOST_WAREHOUSE, ReimbursedUnits } from '../books/reimbursed-units.js';
import { eventClaims } from './event-claims.js';
import { EventsByFnsku, isAdjustment, type Recovery } from './ledger-events.js';
import type { Rule } from './rule.js';

const LOST_REASONS = new Set(['M', '5']); // misplaced: missing from its bin
const FOUND_REASONS = new Set(['F', 'N']); // found, or transferred in after being misassigned

/**
 * lost_warehouse: one claim per loss event in the lookback window (keyed by its Transaction Item
 * ID), less the units found again and the units reimbursed as Lost_Warehouse on or after it,
 * applied to the oldest losses first. Claiming per event is what lets a SKU that loses a unit
 * every few weeks still claim its oldest losses before they expire.
 */
export const lostWarehouse: Rule = {
  type: 'lost_warehouse',
  needs: ['ledger', ['reimbursements', 'financialEvents']],
  start(ctx) {
    const cfg = ctx.config.lostWarehouse;
    const windowStart = ctx.asOf - cfg.lookbackDays;
    const inWindow = (day: number): boolean => day >= windowStart && day <= ctx.asOf;
    const lost = new EventsByFnsku();
    const found = new Map<string, Recovery[]>();
    // Recoveries before the window can only have paid for losses older than it: dropped.
    const reimbursed = new ReimbursedUnits(LOST_WAREHOUSE, 'fnsku', inWindow);

    return {
      reimbursements: reimbursed.reimbursements,
      financialEvents: reimbursed.financialEvents,
      ledger(row) {
        if (!inWindow(row.day) || !isAdjustment(row)) return;
        const reason = row.reason.toUpperCase();
        if (row.quantity < 0 && LOST_REASONS.has(reason)) lost.add(row, -row.quantity);
        else if (row.quantity > 0 && FOUND_REASONS.has(reason)) {
          const list = found.get(row.fnsku);
          const recovery = { day: row.day, units: row.quantity, source: row.source };
          if (list) list.push(recovery);
          else found.set(row.fnsku, [recovery]);
        }
      },
      finish(books) {
        return eventClaims(lost, books, {
          type: 'lost_warehouse',
          asOf: ctx.asOf,
          deadlineDays: cfg.deadlineDays,
          // Amazon pays most losses by itself soon after; a claim filed before is refused.
          graceDays: cfg.graceDays,
          recoveries: (fnsku, keys, from) => [...(found.get(fnsku) ?? []), ...reimbursed.grants(keys, from)],
        });
      },
    };
  },
};
