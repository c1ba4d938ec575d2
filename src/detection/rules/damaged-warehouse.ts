import { currencyOfCountry } from '../books/marketplace-currency.js';
import { DAMAGED_WAREHOUSE, ReimbursedUnits } from '../books/reimbursed-units.js';
import { valueAtCost } from '../books/valuation.js';
import { makeClaim } from '../make-claim.js';
import type { Claim } from '../types.js';
import { EventsByFnsku, firstOf, isAdjustment, reconcile, unreconciledOf } from './ledger-events.js';
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
        const claims: Claim[] = [];
        for (const { fnsku, events } of damaged.byFnsku()) {
          const skus = new Set(events.flatMap((e) => e.rows.map((r) => r.sku)));
          const keys = [...new Set([...skus].flatMap((sku) => ReimbursedUnits.keys(fnsku, sku)))];
          const paid = reimbursed.grants(keys, events[0]?.day ?? ctx.asOf);
          for (const { event, remaining, covered } of reconcile(events, paid)) {
            const first = event.rows[0];
            if (remaining <= 0 || !first) continue;
            const value = valueAtCost(books, first.sku, remaining, currencyOfCountry(firstOf(event, 'country')));
            claims.push(
              makeClaim(ctx.asOf, {
                type: 'damaged_warehouse',
                sku: first.sku,
                fnsku,
                asin: books.catalog.asinOf(fnsku, first.sku),
                quantity: remaining,
                amount: value.amount,
                valuation: value.valuation,
                deadline: event.day + cfg.deadlineDays,
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
