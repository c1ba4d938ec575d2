import type { ReplacementRow } from '../rows.js';
import { cell, count, dayParser, optional, text } from './fields.js';
import type { TableFormat } from './table.js';

const columns = {
  shipmentDate: { names: ['shipment-date'], required: true },
  sku: { names: ['sku', 'seller-sku', 'msku'], required: true },
  asin: { names: ['asin'] },
  fulfillmentCenter: { names: ['fulfillment-center-id'] },
  originalFulfillmentCenter: { names: ['original-fulfillment-center-id'] },
  quantity: { names: ['quantity'], required: true },
  reasonCode: { names: ['replacement-reason-code'] },
  replacementOrderId: { names: ['replacement-amazon-order-id'] },
  originalOrderId: { names: ['original-amazon-order-id'], required: true },
} as const;

/** GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA: free replacements Amazon shipped. */
export function replacementsFormat(): TableFormat<keyof typeof columns, ReplacementRow> {
  const day = dayParser();
  return {
    delimiter: '\t',
    columns,
    parse: (f, c, source) => ({
      source,
      day: day(cell(f, c.shipmentDate), 'shipment-date'),
      sku: text(cell(f, c.sku), 'sku'),
      asin: optional(cell(f, c.asin)),
      quantity: count(cell(f, c.quantity), 'quantity'),
      fulfillmentCenter: optional(cell(f, c.fulfillmentCenter)),
      originalFulfillmentCenter: optional(cell(f, c.originalFulfillmentCenter)),
      reasonCode: optional(cell(f, c.reasonCode)),
      replacementOrderId: optional(cell(f, c.replacementOrderId)),
      originalOrderId: text(cell(f, c.originalOrderId), 'original-amazon-order-id'),
    }),
  };
}
