import { money } from '../../domain/money.js';
import { DAMAGED_WAREHOUSE, LOST_INBOUND, LOST_WAREHOUSE, reasonKey } from '../books/reimbursed-units.js';
import { makeClaim } from '../make-claim.js';
import type { ReimbursementRow } from '../rows.js';
import type { Claim, SourceRef } from '../types.js';
import type { Rule } from './rule.js';

// The reasons Amazon pays at the seller's manufacturing cost.
const COST_BASED = new Set([LOST_WAREHOUSE, DAMAGED_WAREHOUSE, LOST_INBOUND]);

/**
 * underpaid_reimbursement: Amazon paid for units lost or damaged in its warehouses, or lost
 * inbound, less per unit than the seller's unit cost (what it owes since March 2025), by more
 * than the tolerance.
 */
export const underpaidReimbursement: Rule = {
  type: 'underpaid_reimbursement',
  needs: ['reimbursements', 'costs'],
  start(ctx) {
    const cfg = ctx.config.underpaidReimbursement;
    const byId = new Map<string, ReimbursementRow[]>();

    return {
      reimbursements(row) {
        if (row.day > ctx.asOf || row.quantityCash <= 0 || !COST_BASED.has(reasonKey(row.reason))) return;
        const list = byId.get(row.reimbursementId);
        if (list) list.push(row);
        else byId.set(row.reimbursementId, [row]);
      },
      finish(books) {
        const claims: Claim[] = [];
        for (const [id, rows] of byId) {
          let shortMinor = 0;
          let units = 0;
          const sources: SourceRef[] = [];
          for (const row of rows) {
            // A cost in another currency cannot be compared without an exchange rate we do not have.
            const cost = books.costs.inCurrency(row.sku, row.amountPerUnit.currency);
            if (!cost) continue;
            const paid = row.amountPerUnit.minor;
            const owed = cost.unitCost.minor;
            if (paid * 10_000 >= owed * (10_000 - cfg.toleranceBasisPoints)) continue;
            shortMinor += (owed - paid) * row.quantityCash;
            units += row.quantityCash;
            sources.push(row.source, cost.source);
          }
          const first = rows[0];
          if (units === 0 || !first) continue;
          const fnsku = first.fnsku ?? books.catalog.fnskuOf(first.sku);
          const approved = Math.min(...rows.map((r) => r.day));
          claims.push(
            makeClaim(ctx.asOf, {
              type: 'underpaid_reimbursement',
              sku: first.sku,
              fnsku,
              asin: first.asin ?? books.catalog.asinOf(fnsku, first.sku),
              quantity: units,
              amount: money(shortMinor, first.amountPerUnit.currency),
              deadline: approved + cfg.deadlineDays,
              key: { reimbursement_id: id },
              sources,
              eventDay: approved,
            }),
          );
        }
        return claims;
      },
    };
  },
};
