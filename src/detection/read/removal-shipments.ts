import type { RemovalShipmentRow } from '../rows.js';
import { cell, count, dayParser, optional, text } from './fields.js';
import type { TableFormat } from './table.js';

const columns = {
  orderId: { names: ['order-id', 'removal-order-id'], required: true },
  shipmentDate: { names: ['shipment-date'], required: true },
  sku: { names: ['sku', 'seller-sku', 'msku'], required: true },
  fnsku: { names: ['fnsku'] },
  shipped: { names: ['shipped-quantity'], required: true },
  carrier: { names: ['carrier'] },
  // Part of the claim's key: a file without it cannot say which parcel went missing.
  trackingNumber: { names: ['tracking-number'], required: true },
} as const;

/** GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA: the parcels of removal orders. */
export function removalShipmentsFormat(): TableFormat<keyof typeof columns, RemovalShipmentRow> {
  const day = dayParser();
  return {
    delimiter: '\t',
    columns,
    parse: (f, c, source) => ({
      source,
      day: day(cell(f, c.shipmentDate), 'shipment-date'),
      orderId: text(cell(f, c.orderId), 'order-id'),
      sku: text(cell(f, c.sku), 'sku'),
      fnsku: optional(cell(f, c.fnsku)),
      shipped: count(cell(f, c.shipped), 'shipped-quantity'),
      carrier: optional(cell(f, c.carrier)),
      trackingNumber: cell(f, c.trackingNumber),
    }),
  };
}
