import type { RemovalReceiptRow } from '../rows.js';
import { cell, count, dayParser, text } from './fields.js';
import type { TableFormat } from './table.js';

const columns = {
  orderId: { names: ['order_id', 'removal_order_id'], required: true },
  sku: { names: ['sku', 'seller_sku', 'msku'], required: true },
  trackingNumber: { names: ['tracking_number'], required: true },
  received: { names: ['received_quantity'], required: true },
  receivedDate: { names: ['received_date'] },
} as const;

/**
 * removal-receipts.csv: what the seller recorded as arrived, `order_id,sku,tracking_number,
 * received_quantity,received_date`. A parcel that never came has no row or a row with 0 (and
 * then, reasonably, no date).
 */
export function removalReceiptsFormat(): TableFormat<keyof typeof columns, RemovalReceiptRow> {
  const day = dayParser();
  return {
    delimiter: ',',
    columns,
    parse: (f, c, source) => {
      const received = count(cell(f, c.received), 'received_quantity');
      const date = cell(f, c.receivedDate);
      return {
        source,
        orderId: text(cell(f, c.orderId), 'order_id'),
        sku: text(cell(f, c.sku), 'sku'),
        trackingNumber: cell(f, c.trackingNumber),
        received,
        ...(date === '' ? {} : { day: day(date, 'received_date') }),
      };
    },
  };
}
