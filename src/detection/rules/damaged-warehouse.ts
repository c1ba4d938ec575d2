import { currencyOfCountry } from '../books/marketplace-currency.js';
import { DAMAGED_WAREHOUSE, ReimbursedUnits, total } from '../books/reimbursed-units.js';
import { valueAtCost } from '../books/valuation.js';
import { makeClaim } from '../make-claim.js';
import type { Claim } from '../types.js';
import { EventsByFnsku, earliestDay, isAdjustment, units } from './fnsku-events.js';
import type { Rule } from './rule.js';

// "Damaged at Amazon FC", drawn from each disposition. The P that follows each one only moves the
// units into the damaged disposition, so it is not a recovery and is not subtracted.
const DAMAGE_REASONS = new Set(['E', '6', '7', 'H', 'K', 'U']);

/** damaged_warehouse: units Amazon damaged in the lookback window, less those reimbursed as Damaged_Warehouse. */
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
        for (const damage of damaged) {
          const first = earliestDay(damage.events);
          const paid = reimbursed.grants(ReimbursedUnits.keys(damage.fnsku, damage.sku), first);
          const net = units(damage.events) - total(paid);
          if (net <= 0) continue;
          const value = valueAtCost(books, damage.sku, net, currencyOfCountry(damage.country));
          claims.push(
            makeClaim(ctx.asOf, {
              type: 'damaged_warehouse',
              sku: damage.sku,
              fnsku: damage.fnsku,
              asin: books.catalog.asinOf(damage.fnsku, damage.sku),
              quantity: net,
              amount: value.amount,
              valuation: value.valuation,
              deadline: first + cfg.deadlineDays,
              key: { fnsku: damage.fnsku },
              sources: [...damage.events, ...paid].map((e) => e.source).concat(value.sources),
            }),
          );
        }
        return claims;
      },
    };
  },
};
