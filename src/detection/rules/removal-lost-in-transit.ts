import { valueAtCost } from '../books/valuation.js';
import { makeClaim } from '../make-claim.js';
import type { Claim, Day, SourceRef } from '../types.js';
import type { Rule } from './rule.js';

interface Parcel {
  readonly orderId: string;
  readonly sku: string;
  /** As Amazon wrote it: the claim names it so. */
  readonly trackingNumber: string;
  fnsku: string | undefined;
  carrier: string | undefined;
  shipped: number;
  first: Day;
  readonly sources: SourceRef[];
}

/** One parcel: order, SKU and tracking number, the tracking number as people copy it (any case, with or without spaces). */
export function parcelId(orderId: string, sku: string, trackingNumber: string): string {
  return `${orderId}\u0000${sku}\u0000${trackingNumber.replace(/\s+/g, '').toUpperCase()}`;
}

/**
 * removal_lost_in_transit: units Amazon shipped back to the seller in a removal parcel that the
 * seller says did not arrive: shipped − received for the same order, SKU and tracking number
 * (nothing recorded = nothing received). Only looked for when the seller keeps receipts: without
 * them every parcel would look lost.
 */
export const removalLostInTransit: Rule = {
  type: 'removal_lost_in_transit',
  needs: ['removalShipments', 'removalReceipts'],
  start(ctx) {
    const cfg = ctx.config.removalLostInTransit;
    const received = new Map<string, { units: number; sources: SourceRef[] }>();
    const parcels = new Map<string, Parcel>();

    return {
      removalReceipts(row) {
        // A receipt recorded after the as-of day was not known that day.
        if (row.day !== undefined && row.day > ctx.asOf) return;
        const id = parcelId(row.orderId, row.sku, row.trackingNumber);
        const r = received.get(id);
        // A parcel that came in two deliveries has two rows: they add up.
        if (r) {
          r.units += row.received;
          r.sources.push(row.source);
        } else received.set(id, { units: row.received, sources: [row.source] });
      },
      removalShipments(row) {
        if (row.day > ctx.asOf || row.shipped <= 0) return;
        const id = parcelId(row.orderId, row.sku, row.trackingNumber);
        let p = parcels.get(id);
        if (!p) {
          p = { orderId: row.orderId, sku: row.sku, trackingNumber: row.trackingNumber, fnsku: row.fnsku, carrier: row.carrier, shipped: 0, first: row.day, sources: [] };
          parcels.set(id, p);
        }
        p.shipped += row.shipped;
        p.first = Math.min(p.first, row.day);
        p.fnsku ??= row.fnsku;
        p.carrier ??= row.carrier;
        p.sources.push(row.source);
      },
      finish(books) {
        const claims: Claim[] = [];
        for (const [id, p] of parcels) {
          const receipt = received.get(id);
          const missing = p.shipped - (receipt?.units ?? 0);
          if (missing <= 0) continue;
          const fnsku = p.fnsku ?? books.catalog.fnskuOf(p.sku);
          const value = valueAtCost(books, p.sku, missing);
          claims.push(
            makeClaim(ctx.asOf, {
              type: 'removal_lost_in_transit',
              sku: p.sku,
              fnsku,
              asin: books.catalog.asinOf(fnsku, p.sku),
              quantity: missing,
              amount: value.amount,
              valuation: value.valuation,
              deadline: p.first + cfg.deadlineDays,
              // Carriers take time to deliver: Amazon accepts the claim only once the parcel is overdue.
              pendingUntil: p.first + cfg.graceDays,
              key: { removal_order_id: p.orderId, sku: p.sku, tracking_number: p.trackingNumber },
              sources: [...p.sources, ...(receipt?.sources ?? []), ...value.sources],
              eventDay: p.first,
              facts: { carrier: p.carrier, tracking_number: p.trackingNumber },
            }),
          );
        }
        return claims;
      },
    };
  },
};
