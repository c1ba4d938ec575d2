import { OrderPrices } from '../books/order-prices.js';
import { valueAtCost } from '../books/valuation.js';
import { makeClaim } from '../make-claim.js';
import type { Claim, Day, SourceRef } from '../types.js';
import type { Rule } from './rule.js';

interface Replacement {
  readonly originalOrderId: string;
  readonly sku: string;
  asin: string | undefined;
  quantity: number;
  first: Day;
  replacementOrderId: string | undefined;
  fulfillmentCenter: string | undefined;
  originalFulfillmentCenter: string | undefined;
  returned: boolean;
  readonly sources: SourceRef[];
}

/**
 * replacement_not_returned: Amazon shipped a customer a free replacement, and the original unit
 * never came back (no customer-return row for the original order and SKU) nor did Amazon
 * reimburse the seller for that order. The customer-return window counts from the replacement's
 * shipment.
 */
export const replacementNotReturned: Rule = {
  type: 'replacement_not_returned',
  // Without the returns and reimbursements reports every replacement would look unreturned and unpaid.
  needs: ['replacements', 'customerReturns', 'reimbursements'],
  start(ctx) {
    const cfg = ctx.config.replacementNotReturned;
    const replacements = new Map<string, Replacement>();
    const originals = new Set<string>();
    const reimbursedOrders = new Set<string>();
    const prices = new OrderPrices();

    return {
      replacements(row) {
        if (row.day > ctx.asOf || row.quantity <= 0) return;
        const id = `${row.originalOrderId}\u0000${row.sku}`;
        let r = replacements.get(id);
        if (!r) {
          r = {
            originalOrderId: row.originalOrderId,
            sku: row.sku,
            asin: row.asin,
            quantity: 0,
            first: row.day,
            replacementOrderId: row.replacementOrderId,
            fulfillmentCenter: row.fulfillmentCenter,
            originalFulfillmentCenter: row.originalFulfillmentCenter,
            returned: false,
            sources: [],
          };
          replacements.set(id, r);
          originals.add(row.originalOrderId);
          prices.want(row.originalOrderId, row.sku);
        }
        r.quantity += row.quantity;
        if (row.day < r.first) {
          // The earliest replacement dates the window and is the one the form names.
          r.first = row.day;
          r.replacementOrderId = row.replacementOrderId ?? r.replacementOrderId;
          r.fulfillmentCenter = row.fulfillmentCenter ?? r.fulfillmentCenter;
        }
        r.asin ??= row.asin;
        r.originalFulfillmentCenter ??= row.originalFulfillmentCenter;
        r.sources.push(row.source);
      },
      // Replacements were read first (SOURCE_ORDER): only rows about their original orders are kept.
      customerReturns(row) {
        const r = replacements.get(`${row.orderId}\u0000${row.sku}`);
        if (r && row.day <= ctx.asOf) r.returned = true;
      },
      reimbursements(row) {
        if (row.orderId && row.day <= ctx.asOf && originals.has(row.orderId)) reimbursedOrders.add(row.orderId);
      },
      customerShipments: prices.customerShipments,
      finish(books) {
        const claims: Claim[] = [];
        for (const r of replacements.values()) {
          if (r.returned || reimbursedOrders.has(r.originalOrderId)) continue;
          const fnsku = books.catalog.fnskuOf(r.sku);
          // What the customer paid for the original order; without it, the unit cost or the average sale price.
          const sale = prices.value(r.originalOrderId, r.sku, r.quantity);
          const value = sale ? { ...sale, valuation: undefined } : valueAtCost(books, r.sku, r.quantity);
          claims.push(
            makeClaim(ctx.asOf, {
              type: 'replacement_not_returned',
              sku: r.sku,
              fnsku,
              asin: r.asin ?? books.catalog.asinOf(fnsku, r.sku),
              quantity: r.quantity,
              amount: value.amount,
              valuation: value.valuation,
              deadline: r.first + cfg.deadlineDays,
              // The customer has time to send the original back; Amazon charges them or pays by itself first.
              pendingUntil: r.first + cfg.graceDays,
              key: { order_id: r.originalOrderId, sku: r.sku },
              sources: [...r.sources, ...value.sources],
              eventDay: r.first,
              facts: {
                order_id: r.originalOrderId,
                replacement_order_id: r.replacementOrderId,
                fulfillment_center: r.fulfillmentCenter,
                original_fulfillment_center: r.originalFulfillmentCenter,
              },
            }),
          );
        }
        return claims;
      },
    };
  },
};
