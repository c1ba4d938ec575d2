import type { LedgerRow } from '../rows.js';
import { cell, dayParser, integer, optional, optionalInteger, text } from './fields.js';
import type { TableFormat } from './table.js';

// Seller Central download headers, with the API's camel-cased spellings normalizing the same.
const columns = {
  date: { names: ['Date'], required: true },
  fnsku: { names: ['FNSKU'], required: true },
  asin: { names: ['ASIN'] },
  msku: { names: ['MSKU', 'SKU', 'Seller SKU', 'Merchant SKU'], required: true },
  eventType: { names: ['Event Type'], required: true },
  referenceId: { names: ['Reference ID'] },
  quantity: { names: ['Quantity'], required: true },
  reason: { names: ['Reason'], required: true },
  country: { names: ['Country'] },
  // Amazon's claim forms ask for the centre and the state of each event: kept, never required.
  fulfillmentCenter: { names: ['Fulfillment Center'] },
  disposition: { names: ['Disposition'] },
  unreconciled: { names: ['Unreconciled Quantity'] },
} as const;

/** GET_LEDGER_DETAIL_VIEW_DATA: the inventory ledger, detail view. */
export function ledgerFormat(): TableFormat<keyof typeof columns, LedgerRow> {
  const day = dayParser();
  return {
    delimiter: '\t',
    columns,
    parse: (f, c, source) => ({
      source,
      day: day(cell(f, c.date), 'Date'),
      fnsku: text(cell(f, c.fnsku), 'FNSKU'),
      sku: text(cell(f, c.msku), 'MSKU'),
      asin: optional(cell(f, c.asin)),
      eventType: text(cell(f, c.eventType), 'Event Type'),
      referenceId: cell(f, c.referenceId),
      quantity: integer(cell(f, c.quantity), 'Quantity'),
      reason: cell(f, c.reason),
      country: optional(cell(f, c.country)),
      fulfillmentCenter: optional(cell(f, c.fulfillmentCenter)),
      disposition: optional(cell(f, c.disposition)),
      unreconciled: optionalInteger(cell(f, c.unreconciled), 'Unreconciled Quantity'),
    }),
  };
}
