import type { InboundRecord } from '../rows.js';
import type { SourceRef } from '../types.js';
import { RowError } from './fields.js';
import { int, isObject, requiredStr, str } from './json-values.js';

/** inbound-shipments.json: the getShipments and getShipmentItems payload lists (either spelling). */
export const INBOUND_LISTS = {
  shipments: ['shipments', 'ShipmentData'],
  items: ['items', 'ItemData'],
} as const;

export function inboundRecord(list: string, value: unknown, source: SourceRef): InboundRecord {
  if (!isObject(value)) throw new RowError('not an object');
  const shipmentId = requiredStr(value, 'ShipmentId');
  if (list === 'shipments') return { kind: 'shipment', source, shipmentId, status: requiredStr(value, 'ShipmentStatus') };
  return {
    kind: 'item',
    source,
    shipmentId,
    sku: requiredStr(value, 'SellerSKU'),
    fnsku: str(value, 'FulfillmentNetworkSKU'),
    shipped: int(value, 'QuantityShipped'),
    // Required: reading a missing count as 0 would claim a whole shipment as lost.
    received: int(value, 'QuantityReceived'),
  };
}
