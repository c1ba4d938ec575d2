import { isoDay, isoStamp } from './calendar.js';
import { Random } from './random.js';
import type { LineSink } from './sink.js';
import type { RemovalParcel, World } from './world.js';

/**
 * Every removal parcel: the planted ones, and for each other removal that shipped units one
 * parcel of all of them, shipped on its last-updated day and received in full six days later
 * (or by as-of), so that only planted parcels look lost.
 */
export function removalParcels(world: World): RemovalParcel[] {
  const r = Random.stream(world.seed, 'removal-parcels');
  const planted = new Set(world.parcels.map((x) => x.removal));
  const others = world.removals
    .filter((removal) => removal.shipped > 0 && !planted.has(removal))
    .map((removal): RemovalParcel => ({
      removal, day: removal.lastDay, shipped: removal.shipped, carrier: 'UPS', tracking: `1Z${r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16)}`,
      receipt: { units: removal.shipped, day: Math.min(world.asOf, removal.lastDay + 6) },
    }));
  return [...world.parcels, ...others].map((x, i) => ({ x, i })).sort((a, b) => a.x.day - b.x.day || a.i - b.i).map(({ x }) => x);
}

/** GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA: one line per parcel. */
export async function writeRemovalShipments(world: World, sink: LineSink): Promise<void> {
  await sink.write(['request-date', 'order-id', 'shipment-date', 'sku', 'fnsku', 'disposition', 'shipped-quantity', 'carrier', 'tracking-number', 'removal-order-type'].join('\t'));
  for (const x of removalParcels(world)) {
    const { removal } = x;
    const m = removal.product.market;
    await sink.write([isoStamp(removal.requestDay, 43_200, m.offset), removal.id, isoStamp(x.day, 57_600, m.offset), removal.product.sku, removal.product.fnsku,
      'Sellable', x.shipped, x.carrier, x.tracking, removal.type].join('\t'));
  }
}

/** removal-receipts.csv: what the seller recorded as arrived (DETECTION.md's format); a parcel never recorded has no line. */
export async function writeRemovalReceipts(world: World, sink: LineSink): Promise<void> {
  await sink.write('order_id,sku,tracking_number,received_quantity,received_date');
  for (const x of removalParcels(world)) {
    if (!x.receipt) continue;
    await sink.write([x.removal.id, x.removal.product.sku, x.receipt.tracking ?? x.tracking, x.receipt.units, x.receipt.day === undefined ? '' : isoDay(x.receipt.day)].join(','));
  }
}
