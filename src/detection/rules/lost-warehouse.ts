import { LOST_WAREHOUSE, ReimbursedUnits, total } from '../books/reimbursed-units.js';
import { valueAtCost } from '../books/valuation.js';
import { currencyOfCountry } from '../books/marketplace-currency.js';
import { makeClaim } from '../make-claim.js';
import type { Claim } from '../types.js';
import { EventsByFnsku, earliestDay, isAdjustment, newestDay, units } from './fnsku-events.js';
import type { Rule } from './rule.js';

const LOST_REASONS = new Set(['M', '5']); // misplaced: missing from its bin
const FOUND_REASONS = new Set(['F', 'N']); // found, or transferred in after being misassigned

/**
 * lost_warehouse: units Amazon lost in its warehouse in the lookback window, less the units
 * found again since the first of those losses and the units already reimbursed as Lost_Warehouse.
 */
export const lostWarehouse: Rule = {
  type: 'lost_warehouse',
  needs: ['ledger', ['reimbursements', 'financialEvents']],
  start(ctx) {
    const cfg = ctx.config.lostWarehouse;
    const windowStart = ctx.asOf - cfg.lookbackDays;
    const inWindow = (day: number): boolean => day >= windowStart && day <= ctx.asOf;
    const lost = new EventsByFnsku();
    const found = new EventsByFnsku();
    // A reimbursement before the earliest loss in the window pays for an older loss: drop it.
    const reimbursed = new ReimbursedUnits(LOST_WAREHOUSE, 'fnsku', inWindow);

    return {
      reimbursements: reimbursed.reimbursements,
      financialEvents: reimbursed.financialEvents,
      ledger(row) {
        if (!inWindow(row.day) || !isAdjustment(row)) return;
        const reason = row.reason.toUpperCase();
        if (row.quantity < 0 && LOST_REASONS.has(reason)) lost.add(row, -row.quantity);
        else if (row.quantity > 0 && FOUND_REASONS.has(reason)) found.add(row, row.quantity);
      },
      finish(books) {
        const claims: Claim[] = [];
        for (const loss of lost) {
          const first = earliestDay(loss.events);
          // Only units found on or after the first loss can be the lost ones turning up again.
          const foundLater = (found.get(loss.fnsku)?.events ?? []).filter((e) => e.day >= first);
          const paid = reimbursed.grants(ReimbursedUnits.keys(loss.fnsku, loss.sku), first);
          const net = units(loss.events) - units(foundLater) - total(paid);
          if (net <= 0) continue;
          const value = valueAtCost(books, loss.sku, net, currencyOfCountry(loss.country));
          claims.push(
            makeClaim(ctx.asOf, {
              type: 'lost_warehouse',
              sku: loss.sku,
              fnsku: loss.fnsku,
              asin: books.catalog.asinOf(loss.fnsku, loss.sku),
              quantity: net,
              amount: value.amount,
              valuation: value.valuation,
              deadline: first + cfg.deadlineDays,
              // Amazon reimburses most losses by itself; claiming earlier is refused as premature.
              pendingUntil: newestDay(loss.events) + cfg.graceDays,
              key: { fnsku: loss.fnsku },
              sources: [...loss.events, ...foundLater, ...paid].map((e) => e.source).concat(value.sources),
            }),
          );
        }
        return claims;
      },
    };
  },
};
