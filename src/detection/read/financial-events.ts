import { add, money, type Money } from '../../domain/money.js';
import type { AdjustmentEventItem, FinancialEvent, RefundEventItem, ShipmentEventItem } from '../rows.js';
import type { SourceRef } from '../types.js';
import { dayParser, RowError } from './fields.js';
import { currencyAmount, int, isObject, list, postedDay, prop, requiredStr, str, type JsonObject } from './json-values.js';

/** financial-events.json: the FinancialEvents lists detection uses. */
export const FINANCIAL_LISTS = {
  shipment: ['ShipmentEventList'],
  refund: ['RefundEventList'],
  adjustment: ['AdjustmentEventList'],
} as const;

/** Sums the amounts of the entries whose type field is `type`; amounts must share a currency. */
function sumOf(entries: readonly JsonObject[], typeField: string, type: string, amountField: string): Money | undefined {
  let total: Money | undefined;
  for (const entry of entries) {
    if (str(entry, typeField) !== type) continue;
    const m = currencyAmount(prop(entry, amountField), amountField);
    if (total && total.currency !== m.currency) throw new RowError(`${type} amounts in ${total.currency} and ${m.currency}`);
    total = total ? add(total, m) : m;
  }
  return total;
}

export function positive(m: Money | undefined): Money | undefined {
  // Finances writes charges to the seller and refunds as negative amounts; the claim wants the size.
  return m && money(Math.abs(m.minor), m.currency);
}

/** Builds financial events; one reader instance per file (it caches the last date parsed). */
export function financialEventReader(): (list: string, value: unknown, source: SourceRef) => FinancialEvent {
  const day = dayParser();
  return (kind, value, source) => {
    if (!isObject(value)) throw new RowError('not an object');
    if (kind === 'adjustment') {
      const items: AdjustmentEventItem[] = list(value, 'AdjustmentItemList').map((it) => ({
        sku: str(it, 'SellerSKU'),
        fnsku: str(it, 'FnSKU'),
        asin: str(it, 'ASIN'),
        quantity: int(it, 'Quantity', 0),
      }));
      return { kind: 'adjustment', source, day: postedDay(day, value), adjustmentType: requiredStr(value, 'AdjustmentType'), items };
    }
    const orderId = requiredStr(value, 'AmazonOrderId');
    if (kind === 'shipment') {
      const items: ShipmentEventItem[] = list(value, 'ShipmentItemList').map((it) => {
        const fee = positive(sumOf(list(it, 'ItemFeeList'), 'FeeType', 'FBAPerUnitFulfillmentFee', 'FeeAmount'));
        // A missing count is read as one unit: every shipped item is at least one.
        return { sku: requiredStr(it, 'SellerSKU'), quantity: int(it, 'QuantityShipped', 1), ...(fee ? { fulfillmentFee: fee } : {}) };
      });
      return { kind: 'shipment', source, day: postedDay(day, value), orderId, items };
    }
    // Refunds list their items as ShipmentItemAdjustmentList with ItemChargeAdjustmentList.
    const items: RefundEventItem[] = list(value, 'ShipmentItemAdjustmentList', 'ShipmentItemList').map((it) => {
      const charges = list(it, 'ItemChargeAdjustmentList', 'ItemChargeList');
      const principal = positive(sumOf(charges, 'ChargeType', 'Principal', 'ChargeAmount'));
      return { sku: requiredStr(it, 'SellerSKU'), quantity: int(it, 'QuantityShipped', 1), ...(principal ? { principal } : {}) };
    });
    return { kind: 'refund', source, day: postedDay(day, value), orderId, items };
  };
}
