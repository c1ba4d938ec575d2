import type { RemovalRow } from '../rows.js';
import { cell, count, currencyCode, dayParser, optional, text } from './fields.js';
import type { TableFormat } from './table.js';

const columns = {
  orderId: { names: ['order-id', 'removal-order-id'], required: true },
  orderStatus: { names: ['order-status'], required: true },
  lastUpdated: { names: ['last-updated-date'], required: true },
  sku: { names: ['sku', 'seller-sku', 'msku'], required: true },
  fnsku: { names: ['fnsku'] },
  requested: { names: ['requested-quantity'], required: true },
  cancelled: { names: ['cancelled-quantity'] },
  disposed: { names: ['disposed-quantity'] },
  shipped: { names: ['shipped-quantity'] },
  inProcess: { names: ['in-process-quantity'] },
  currency: { names: ['currency'] },
} as const;

/** GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA: removal orders. */
export function removalsFormat(): TableFormat<keyof typeof columns, RemovalRow> {
  const day = dayParser();
  return {
    delimiter: '\t',
    columns,
    parse: (f, c, source) => {
      const currency = cell(f, c.currency);
      return {
        source,
        day: day(cell(f, c.lastUpdated), 'last-updated-date'),
        orderId: text(cell(f, c.orderId), 'order-id'),
        orderStatus: cell(f, c.orderStatus),
        sku: text(cell(f, c.sku), 'sku'),
        fnsku: optional(cell(f, c.fnsku)),
        requested: count(cell(f, c.requested), 'requested-quantity'),
        // Amazon leaves counts that do not apply empty: an empty count is zero units.
        cancelled: count(cell(f, c.cancelled), 'cancelled-quantity', 0),
        disposed: count(cell(f, c.disposed), 'disposed-quantity', 0),
        shipped: count(cell(f, c.shipped), 'shipped-quantity', 0),
        inProcess: count(cell(f, c.inProcess), 'in-process-quantity', 0),
        currency: currency === '' ? undefined : currencyCode(currency, 'currency'),
      };
    },
  };
}
