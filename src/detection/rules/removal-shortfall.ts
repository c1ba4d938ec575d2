import { valueAtCost } from '../books/valuation.js';
import { makeClaim } from '../make-claim.js';
import type { Claim, Day, SourceRef } from '../types.js';
import type { Rule } from './rule.js';

interface Shortfall {
  readonly orderId: string;
  readonly sku: string;
  fnsku: string | undefined;
  units: number;
  lastDay: Day;
  currency: string | undefined;
  readonly sources: SourceRef[];
}

/**
 * removal_shortfall: a completed removal order whose units are not all accounted for:
 * requested − cancelled − disposed − shipped − in-process > 0.
 */
export const removalShortfall: Rule = {
  type: 'removal_shortfall',
  needs: ['removals'],
  start(ctx) {
    const cfg = ctx.config.removalShortfall;
    const shortfalls = new Map<string, Shortfall>();

    return {
      removals(row) {
        if (row.day > ctx.asOf || row.orderStatus.toLowerCase() !== 'completed') return;
        const missing = row.requested - row.cancelled - row.disposed - row.shipped - row.inProcess;
        // Fully accounted rows add nothing; keeping them would make memory grow with the report.
        if (missing === 0) return;
        const id = `${row.orderId}\u0000${row.sku}`;
        let s = shortfalls.get(id);
        if (!s) shortfalls.set(id, (s = { orderId: row.orderId, sku: row.sku, fnsku: row.fnsku, units: 0, lastDay: row.day, currency: row.currency, sources: [] }));
        // An order has a line per disposition; an excess on one line offsets a shortfall on another.
        s.units += missing;
        s.lastDay = Math.max(s.lastDay, row.day);
        s.fnsku ??= row.fnsku;
        s.currency ??= row.currency;
        s.sources.push(row.source);
      },
      finish(books) {
        const claims: Claim[] = [];
        for (const s of shortfalls.values()) {
          if (s.units <= 0) continue;
          const fnsku = s.fnsku ?? books.catalog.fnskuOf(s.sku);
          const value = valueAtCost(books, s.sku, s.units, s.currency);
          claims.push(
            makeClaim(ctx.asOf, {
              type: 'removal_shortfall',
              sku: s.sku,
              fnsku,
              asin: books.catalog.asinOf(fnsku, s.sku),
              quantity: s.units,
              amount: value.amount,
              valuation: value.valuation,
              deadline: s.lastDay + cfg.deadlineDays,
              key: { removal_order_id: s.orderId, sku: s.sku },
              sources: [...s.sources, ...value.sources],
              eventDay: s.lastDay,
            }),
          );
        }
        return claims;
      },
    };
  },
};
