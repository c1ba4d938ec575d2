import { currencyOfCountry } from '../books/marketplace-currency.js';
import { LOST_WAREHOUSE, ReimbursedUnits } from '../books/reimbursed-units.js';
import { valueAtCost } from '../books/valuation.js';
import { makeClaim } from '../make-claim.js';
import type { Claim } from '../types.js';
import { EventsByFnsku, firstOf, isAdjustment, reconcile, unreconciledOf, type Recovery } from './ledger-events.js';
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
        const claims: Claim[] = [];
        for (const { fnsku, events } of lost.byFnsku()) {
          const skus = new Set(events.flatMap((e) => e.rows.map((r) => r.sku)));
          const keys = [...new Set([...skus].flatMap((sku) => ReimbursedUnits.keys(fnsku, sku)))];
          const paid = reimbursed.grants(keys, events[0]?.day ?? ctx.asOf);
          for (const { event, remaining, covered } of reconcile(events, [...(found.get(fnsku) ?? []), ...paid])) {
            const first = event.rows[0];
            if (remaining <= 0 || !first) continue;
            const value = valueAtCost(books, first.sku, remaining, currencyOfCountry(firstOf(event, 'country')));
            claims.push(
              makeClaim(ctx.asOf, {
                type: 'lost_warehouse',
                sku: first.sku,
                fnsku,
                asin: books.catalog.asinOf(fnsku, first.sku),
                quantity: remaining,
                amount: value.amount,
                valuation: value.valuation,
                deadline: event.day + cfg.deadlineDays,
                // Amazon pays most losses by itself soon after; a claim filed before is refused.
                pendingUntil: event.day + cfg.graceDays,
                key: { fnsku, reference_id: event.referenceId },
                sources: [...event.rows.map((r) => r.source), ...covered.map((r) => r.source), ...value.sources],
                eventDay: event.day,
                facts: {
                  transaction_item_id: first.referenceId,
                  fulfillment_center: firstOf(event, 'fulfillmentCenter'),
                  disposition: firstOf(event, 'disposition'),
                  unreconciled_quantity: unreconciledOf(event),
                },
              }),
            );
          }
        }
        return claims;
      },
    };
  },
};
