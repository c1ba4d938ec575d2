import { money, type Money } from '../../domain/money.js';
import { makeClaim } from '../make-claim.js';
import type { FinancialEvent } from '../rows.js';
import type { Claim, Day, SourceRef } from '../types.js';
import type { Rule } from './rule.js';

interface Overcharge {
  readonly sku: string;
  readonly expected: { readonly fee: Money; readonly source: SourceRef };
  excessMinor: number;
  units: number;
  first: Day;
  readonly sources: SourceRef[];
}

/**
 * fee_overcharge: fulfilment fees charged per unit above the fee preview's expected fee for the
 * SKU by more than the tolerance, summed over the lookback window; one claim per SKU and currency.
 */
export const feeOvercharge: Rule = {
  type: 'fee_overcharge',
  needs: [['financialEvents', 'transactions'], 'feePreview'],
  start(ctx) {
    const cfg = ctx.config.feeOvercharge;
    const windowStart = ctx.asOf - cfg.lookbackDays;
    // sku → currency → expected fee per unit. The preview comes first (SOURCE_ORDER), so each
    // charge is judged as it streams by and only overcharges are kept.
    const expected = new Map<string, Map<string, { fee: Money; source: SourceRef }>>();
    const overcharges = new Map<string, Overcharge>();

    // Finances v0 or 2024-06-19: the same shipment fees, whichever file the seller has.
    const onFinance = (event: FinancialEvent): void => {
      if (event.kind !== 'shipment' || event.day < windowStart || event.day > ctx.asOf) return;
      for (const item of event.items) {
        const charged = item.fulfillmentFee;
        if (!charged || item.quantity <= 0) continue;
        const exp = expected.get(item.sku)?.get(charged.currency);
        if (!exp) continue;
        // charged / qty > expected × (1 + tolerance), in integers: no division, no float.
        const expectedTotal = exp.fee.minor * item.quantity;
        if (charged.minor * 10_000 <= expectedTotal * (10_000 + cfg.toleranceBasisPoints)) continue;
        const id = `${item.sku}\u0000${charged.currency}`;
        let o = overcharges.get(id);
        if (!o) overcharges.set(id, (o = { sku: item.sku, expected: exp, excessMinor: 0, units: 0, first: event.day, sources: [] }));
        o.excessMinor += charged.minor - expectedTotal;
        o.units += item.quantity;
        o.first = Math.min(o.first, event.day);
        o.sources.push(event.source);
      }
    };

    return {
      feePreview(row) {
        let byCurrency = expected.get(row.sku);
        if (!byCurrency) expected.set(row.sku, (byCurrency = new Map<string, { fee: Money; source: SourceRef }>()));
        if (!byCurrency.has(row.expectedFee.currency)) byCurrency.set(row.expectedFee.currency, { fee: row.expectedFee, source: row.source });
      },
      financialEvents: onFinance,
      transactions: onFinance,
      finish(books) {
        const claims: Claim[] = [];
        for (const o of overcharges.values()) {
          const fnsku = books.catalog.fnskuOf(o.sku);
          claims.push(
            makeClaim(ctx.asOf, {
              type: 'fee_overcharge',
              sku: o.sku,
              fnsku,
              asin: books.catalog.asinOf(fnsku, o.sku),
              quantity: o.units,
              amount: money(o.excessMinor, o.expected.fee.currency),
              deadline: o.first + cfg.deadlineDays,
              key: { sku: o.sku },
              sources: [o.expected.source, ...o.sources],
              eventDay: o.first,
            }),
          );
        }
        return claims;
      },
    };
  },
};
