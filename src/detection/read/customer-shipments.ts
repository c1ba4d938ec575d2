import type { CustomerShipmentRow } from '../rows.js';
import { amount, cell, count, currencyCode, text } from './fields.js';
import type { TableFormat } from './table.js';

const columns = {
  orderId: { names: ['amazon-order-id', 'order-id'], required: true },
  sku: { names: ['sku', 'seller-sku', 'msku'], required: true },
  quantity: { names: ['quantity-shipped', 'quantity'], required: true },
  currency: { names: ['currency'], required: true },
  itemPrice: { names: ['item-price'], required: true },
} as const;

/** GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL: shipped order items and their sale prices. */
export function customerShipmentsFormat(): TableFormat<keyof typeof columns, CustomerShipmentRow> {
  return {
    delimiter: '\t',
    columns,
    parse: (f, c, source) => {
      const currency = currencyCode(cell(f, c.currency), 'currency');
      return {
        source,
        orderId: text(cell(f, c.orderId), 'amazon-order-id'),
        sku: text(cell(f, c.sku), 'sku'),
        quantity: count(cell(f, c.quantity), 'quantity-shipped'),
        itemPrice: amount(cell(f, c.itemPrice), currency, 'item-price'),
      };
    },
  };
}
