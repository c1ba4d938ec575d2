import type { CustomerReturnRow } from '../rows.js';
import { cell, count, dayParser, optional, text } from './fields.js';
import type { TableFormat } from './table.js';

const columns = {
  returnDate: { names: ['return-date'], required: true },
  // Some marketplaces (IT, BR, AU) write amazon-order-id.
  orderId: { names: ['order-id', 'amazon-order-id'], required: true },
  sku: { names: ['sku', 'seller-sku', 'msku'], required: true },
  asin: { names: ['asin'] },
  fnsku: { names: ['fnsku'] },
  quantity: { names: ['quantity'], required: true },
  disposition: { names: ['detailed-disposition', 'disposition'], required: true },
  fulfillmentCenter: { names: ['fulfillment-center-id'] },
} as const;

/** GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA: customer returns. */
export function customerReturnsFormat(): TableFormat<keyof typeof columns, CustomerReturnRow> {
  const day = dayParser();
  return {
    delimiter: '\t',
    columns,
    parse: (f, c, source) => ({
      source,
      day: day(cell(f, c.returnDate), 'return-date'),
      orderId: text(cell(f, c.orderId), 'order-id'),
      sku: text(cell(f, c.sku), 'sku'),
      fnsku: optional(cell(f, c.fnsku)),
      asin: optional(cell(f, c.asin)),
      quantity: count(cell(f, c.quantity), 'quantity'),
      disposition: cell(f, c.disposition).toUpperCase(),
      fulfillmentCenter: optional(cell(f, c.fulfillmentCenter)),
    }),
  };
}
