import { money, type Currency } from '../../domain/money.js';
import { valueAtCost } from '../books/valuation.js';
import { makeClaim } from '../make-claim.js';
import type { Claim, Day, SourceRef } from '../types.js';
import type { Rule } from './rule.js';

// Damaged by Amazon or its carrier. CUSTOMER_DAMAGED and DEFECTIVE are the seller's loss: never claimed.
const AMAZON_DAMAGED = new Set(['DAMAGED', 'CARRIER_DAMAGED']);

interface DamagedReturn {
  readonly orderId: string;
  readonly sku: string;
  fnsku: string | undefined;
  asin: string | undefined;
  quantity: number;
  first: Day;
  readonly sources: SourceRef[];
  /** The order's own sale price, from the customer shipments report. */
  sale?: { currency: Currency; totalMinor: number; units: number; sources: SourceRef[] };
}

export function normalizeDisposition(text: string): string {
  return text.trim().toUpperCase().replace(/[\s-]+/g, '_');
}

/** return_damaged: a customer return that Amazon or its carrier damaged, not reimbursed for that order. */
export const returnDamaged: Rule = {
  type: 'return_damaged',
  needs: ['customerReturns', 'reimbursements'],
  start(ctx) {
    const cfg = ctx.config.returnDamaged;
    const returns = new Map<string, DamagedReturn>();
    const reimbursedOrders = new Set<string>();
    const orders = new Set<string>();

    return {
      customerReturns(row) {
        if (row.day > ctx.asOf || row.quantity <= 0 || !AMAZON_DAMAGED.has(normalizeDisposition(row.disposition))) return;
        const id = `${row.orderId}\u0000${row.sku}`;
        let r = returns.get(id);
        if (!r) {
          returns.set(id, (r = { orderId: row.orderId, sku: row.sku, fnsku: row.fnsku, asin: row.asin, quantity: 0, first: row.day, sources: [] }));
          orders.add(row.orderId);
        }
        r.quantity += row.quantity;
        r.first = Math.min(r.first, row.day);
        r.fnsku ??= row.fnsku;
        r.asin ??= row.asin;
        r.sources.push(row.source);
      },
      reimbursements(row) {
        if (row.orderId && row.day <= ctx.asOf && orders.has(row.orderId)) reimbursedOrders.add(row.orderId);
      },
      // Shipments are read last (SOURCE_ORDER): only the lines of damaged-return orders are kept.
      customerShipments(row) {
        const r = returns.get(`${row.orderId}\u0000${row.sku}`);
        if (!r || row.quantity <= 0) return;
        if (!r.sale) r.sale = { currency: row.itemPrice.currency, totalMinor: 0, units: 0, sources: [] };
        if (r.sale.currency !== row.itemPrice.currency) return;
        r.sale.totalMinor += row.itemPrice.minor;
        r.sale.units += row.quantity;
        r.sale.sources.push(row.source);
      },
      finish(books) {
        const claims: Claim[] = [];
        for (const r of returns.values()) {
          if (reimbursedOrders.has(r.orderId)) continue;
          const fnsku = r.fnsku ?? books.catalog.fnskuOf(r.sku);
          // The order's sale price per unit × units returned, rounded half-up once at the end.
          const value = r.sale && r.sale.totalMinor > 0
            ? {
                amount: money(Math.floor((2 * r.sale.totalMinor * r.quantity + r.sale.units) / (2 * r.sale.units)), r.sale.currency),
                sources: r.sale.sources,
                valuation: undefined,
              }
            : valueAtCost(books, r.sku, r.quantity);
          claims.push(
            makeClaim(ctx.asOf, {
              type: 'return_damaged',
              sku: r.sku,
              fnsku,
              asin: r.asin ?? books.catalog.asinOf(fnsku, r.sku),
              quantity: r.quantity,
              amount: value.amount,
              valuation: value.valuation,
              deadline: r.first + cfg.deadlineDays,
              key: { order_id: r.orderId, sku: r.sku },
              sources: [...r.sources, ...value.sources],
            }),
          );
        }
        return claims;
      },
    };
  },
};
