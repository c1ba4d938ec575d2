import { add, type Money } from '../../domain/money.js';
import { makeClaim } from '../make-claim.js';
import type { FinancialEvent } from '../rows.js';
import type { Claim, Day, SourceRef } from '../types.js';
import type { Rule } from './rule.js';

interface Refund {
  readonly orderId: string;
  readonly sku: string;
  quantity: number;
  principal: Money | undefined;
  first: Day;
  readonly sources: SourceRef[];
  returned: boolean;
}

/**
 * refund_not_returned: Amazon refunded a customer for an order and SKU, and the unit never came
 * back (no customer-return row) nor did Amazon reimburse the seller for that order.
 */
export const refundNotReturned: Rule = {
  type: 'refund_not_returned',
  // Without the returns and reimbursements reports every refund would look unreturned and unpaid.
  needs: [['financialEvents', 'transactions'], 'customerReturns', 'reimbursements'],
  start(ctx) {
    const cfg = ctx.config.refundNotReturned;
    const refunds = new Map<string, Refund>();
    const refundedOrders = new Set<string>();
    const reimbursedOrders = new Set<string>();

    const onFinance = (event: FinancialEvent): void => {
      if (event.kind !== 'refund' || event.day > ctx.asOf) return;
      for (const item of event.items) {
        const id = `${event.orderId}\u0000${item.sku}`;
        let refund = refunds.get(id);
        if (!refund) {
          refund = { orderId: event.orderId, sku: item.sku, quantity: 0, principal: undefined, first: event.day, sources: [], returned: false };
          refunds.set(id, refund);
          refundedOrders.add(event.orderId);
        }
        refund.quantity += item.quantity;
        refund.first = Math.min(refund.first, event.day);
        refund.sources.push(event.source);
        if (!item.principal) continue;
        if (refund.principal && refund.principal.currency !== item.principal.currency) {
          ctx.diagnose({ ...event.source, message: `refund for order ${event.orderId} mixes ${refund.principal.currency} and ${item.principal.currency}; this item is ignored` });
          continue;
        }
        refund.principal = refund.principal ? add(refund.principal, item.principal) : item.principal;
      }
    };

    return {
      financialEvents: onFinance,
      transactions: onFinance,
      // Refunds were read first (SOURCE_ORDER): only rows about refunded orders are kept.
      customerReturns(row) {
        const refund = refunds.get(`${row.orderId}\u0000${row.sku}`);
        if (refund && row.day <= ctx.asOf) refund.returned = true;
      },
      reimbursements(row) {
        if (row.orderId && row.day <= ctx.asOf && refundedOrders.has(row.orderId)) reimbursedOrders.add(row.orderId);
      },
      finish(books) {
        const claims: Claim[] = [];
        for (const refund of refunds.values()) {
          if (refund.returned || reimbursedOrders.has(refund.orderId) || refund.quantity <= 0) continue;
          const fnsku = books.catalog.fnskuOf(refund.sku);
          claims.push(
            makeClaim(ctx.asOf, {
              type: 'refund_not_returned',
              sku: refund.sku,
              fnsku,
              asin: books.catalog.asinOf(fnsku, refund.sku),
              quantity: refund.quantity,
              amount: refund.principal ?? null,
              // Several refunds of one order and SKU: the earliest is the refund date.
              deadline: refund.first + cfg.deadlineDays,
              // Amazon gives the customer time to return the unit, then charges or reimburses by itself.
              pendingUntil: refund.first + cfg.graceDays,
              key: { order_id: refund.orderId, sku: refund.sku },
              sources: refund.sources,
              eventDay: refund.first,
              facts: { order_id: refund.orderId },
            }),
          );
        }
        return claims;
      },
    };
  },
};
