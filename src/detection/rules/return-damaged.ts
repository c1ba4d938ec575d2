import { OrderPrices } from '../books/order-prices.js';
import { valueAtCost } from '../books/valuation.js';
import { makeClaim } from '../make-claim.js';
import { formatDay } from '../days.js';
import type { FinancialEvent } from '../rows.js';
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
  fulfillmentCenter: string | undefined;
  readonly sources: SourceRef[];
}

export function normalizeDisposition(text: string): string {
  return text.trim().toUpperCase().replace(/[\s-]+/g, '_');
}

/**
 * return_damaged: a customer return that Amazon or its carrier damaged, not reimbursed for that
 * order. Amazon's customer-return window counts from the refund: from the earliest refund of the
 * order and SKU in the finance data when there is one, else from the return itself.
 */
export const returnDamaged: Rule = {
  type: 'return_damaged',
  // The finance data only dates the window more precisely: without it the return date stands in.
  needs: ['customerReturns', 'reimbursements'],
  start(ctx) {
    const cfg = ctx.config.returnDamaged;
    const returns = new Map<string, DamagedReturn>();
    const reimbursedOrders = new Set<string>();
    const orders = new Set<string>();
    const prices = new OrderPrices();
    // Refunds come before returns (SOURCE_ORDER), so every refund's date is kept: one entry per refunded order and SKU.
    const refunds = new Map<string, { day: Day; source: SourceRef }>();
    const onFinance = (event: FinancialEvent): void => {
      if (event.kind !== 'refund' || event.day > ctx.asOf) return;
      for (const item of event.items) {
        const id = `${event.orderId}\u0000${item.sku}`;
        const known = refunds.get(id);
        if (!known || event.day < known.day) refunds.set(id, { day: event.day, source: event.source });
      }
    };

    return {
      financialEvents: onFinance,
      transactions: onFinance,
      customerReturns(row) {
        if (row.day > ctx.asOf || row.quantity <= 0 || !AMAZON_DAMAGED.has(normalizeDisposition(row.disposition))) return;
        const id = `${row.orderId}\u0000${row.sku}`;
        let r = returns.get(id);
        if (!r) {
          prices.want(row.orderId, row.sku);
          returns.set(id, (r = { orderId: row.orderId, sku: row.sku, fnsku: row.fnsku, asin: row.asin, quantity: 0, first: row.day, fulfillmentCenter: row.fulfillmentCenter, sources: [] }));
          orders.add(row.orderId);
        }
        r.quantity += row.quantity;
        r.first = Math.min(r.first, row.day);
        r.fnsku ??= row.fnsku;
        r.asin ??= row.asin;
        r.fulfillmentCenter ??= row.fulfillmentCenter;
        r.sources.push(row.source);
      },
      reimbursements(row) {
        if (row.orderId && row.day <= ctx.asOf && orders.has(row.orderId)) reimbursedOrders.add(row.orderId);
      },
      // Shipments are read last (SOURCE_ORDER): only the lines of damaged-return orders are kept.
      customerShipments: prices.customerShipments,
      finish(books) {
        const claims: Claim[] = [];
        for (const r of returns.values()) {
          if (reimbursedOrders.has(r.orderId)) continue;
          const fnsku = r.fnsku ?? books.catalog.fnskuOf(r.sku);
          // The order's own sale price; without it, the unit cost or the average sale price.
          const sale = prices.value(r.orderId, r.sku, r.quantity);
          const value = sale ? { ...sale, valuation: undefined } : valueAtCost(books, r.sku, r.quantity);
          const refund = refunds.get(`${r.orderId}\u0000${r.sku}`);
          const from = refund?.day ?? r.first;
          claims.push(
            makeClaim(ctx.asOf, {
              type: 'return_damaged',
              sku: r.sku,
              fnsku,
              asin: r.asin ?? books.catalog.asinOf(fnsku, r.sku),
              quantity: r.quantity,
              amount: value.amount,
              valuation: value.valuation,
              deadline: from + cfg.deadlineDays,
              // Amazon gives the customer time to send the unit back before a claim is accepted.
              pendingUntil: from + cfg.graceDays,
              key: { order_id: r.orderId, sku: r.sku },
              sources: [...r.sources, ...(refund ? [refund.source] : []), ...value.sources],
              eventDay: from,
              facts: { order_id: r.orderId, return_date: formatDay(r.first), fulfillment_center: r.fulfillmentCenter },
            }),
          );
        }
        return claims;
      },
    };
  },
};
