import { usDay } from './calendar.js';
import type { Marketplace, Product } from './catalog.js';
import { reimburse, ship } from './events.js';
import { POLICY, type Planter } from './planter.js';
import type { Removal, RemovalParcel } from './world.js';

const INBOUND = POLICY.inboundShortage;
const REMOVAL = POLICY.removalShortfall;

/** inbound_shortage: closed shipments Amazon received short, dated by their last ledger Receipts. */
export function plantInbound(p: Planter, main: Marketplace, others: readonly Marketplace[]): void {
  // A one-item shipment (plus `extra` items received in full); returns the shipment id.
  const shipment = (product: Product, shipped: number, received: number, receiptAgo: readonly number[], status: 'CLOSED' | 'RECEIVING' = 'CLOSED', extra: readonly Product[] = []) => {
    const items = [{ product, shipped, received }, ...extra.map((e) => ({ product: e, shipped: 48, received: 48 }))];
    return ship(p.world, p.r, status, items, receiptAgo.map((n) => p.ago(n)), `FBA (${usDay(p.ago(Math.max(...receiptAgo) + 7))})`);
  };
  const short = (product: Product, id: string, lastReceipt: number, units: number, scenario: string): void =>
    p.claim({
      type: 'inbound_shortage', key: { shipment_id: id, sku: product.sku }, quantity: units, amount: units * p.cost(product),
      currency: product.market.currency, deadline: lastReceipt + INBOUND.deadline, pendingUntil: lastReceipt + INBOUND.grace, scenario,
    });

  let a = p.product(main);
  const full = p.product(main);
  let s = shipment(a, 100, 96, [40, 30], 'CLOSED', [full]);
  short(a, s.shipment.id, s.lastReceiptDay, 4, 'closed 30 days ago, 4 of 100 units never received; its other SKU arrived in full');
  p.negative('inbound_shortage', { shipment_id: s.shipment.id, sku: full.sku }, 'the same shipment\'s other SKU, received in full');

  a = p.product(main);
  s = shipment(a, 60, 57, [12, 10]);
  short(a, s.shipment.id, s.lastReceiptDay, 3, 'last receipt 10 days ago: inside the 15-day investigation, pending');

  a = p.product(main);
  s = shipment(a, 12, 11, [INBOUND.grace]);
  short(a, s.shipment.id, s.lastReceiptDay, 1, 'last receipt exactly 15 days ago: the investigation ends today, eligible');

  a = p.product(main);
  s = shipment(a, 36, 30, [75, 70]);
  short(a, s.shipment.id, s.lastReceiptDay, 6, 'last receipt 70 days ago: expired');

  a = p.product(main);
  s = shipment(a, 80, 75, [33, 31]);
  reimburse(p.world, { day: p.ago(16), reason: 'Lost_Inbound', product: a, amountPerUnitMinor: p.cost(a), cash: 2 });
  short(a, s.shipment.id, s.lastReceiptDay, 3, '5 short, Amazon reimbursed 2 as Lost_Inbound after the last receipt');

  a = p.product(main);
  reimburse(p.world, { day: p.ago(50), reason: 'Lost_Inbound', product: a, amountPerUnitMinor: p.cost(a), cash: 2 });
  s = shipment(a, 24, 22, [40]);
  short(a, s.shipment.id, s.lastReceiptDay, 2, 'a Lost_Inbound payment before the last receipt is for another shipment');

  for (const market of others) {
    a = p.product(market);
    s = shipment(a, 30, 28, [25]);
    short(a, s.shipment.id, s.lastReceiptDay, 2, `closed short in the ${market.code} store`);
  }

  a = p.product(main);
  s = shipment(a, 50, 47, [35]);
  reimburse(p.world, { day: p.ago(20), reason: 'Lost_Inbound', product: a, amountPerUnitMinor: p.cost(a), cash: 3 });
  p.negative('inbound_shortage', { shipment_id: s.shipment.id, sku: a.sku }, '3 short, all reimbursed as Lost_Inbound by Amazon on its own');

  a = p.product(main);
  s = shipment(a, 40, 20, [5], 'RECEIVING');
  p.negative('inbound_shortage', { shipment_id: s.shipment.id, sku: a.sku }, 'still RECEIVING: not closed, not short yet');
}

/** removal_shortfall: completed removal orders with units unaccounted for. */
export function plantRemovals(p: Planter, main: Marketplace, others: readonly Marketplace[]): void {
  const order = (product: Product, counts: Omit<Removal, 'id' | 'product' | 'requestDay' | 'lastDay'>, lastAgo: number): Removal => {
    const removal: Removal = { id: p.world.ids.removalOrder(), product, requestDay: p.ago(lastAgo + 14), lastDay: p.ago(lastAgo), ...counts };
    p.world.removals.push(removal);
    const moved = removal.shipped + removal.disposed;
    if (moved > 0) p.world.ledger({ day: removal.lastDay, product, eventType: 'VendorReturns', referenceId: removal.id, quantity: -moved });
    return removal;
  };
  const shortfall = (removal: Removal, units: number, scenario: string): void =>
    p.claim({
      type: 'removal_shortfall', key: { removal_order_id: removal.id, sku: removal.product.sku }, quantity: units,
      amount: units * p.cost(removal.product), currency: removal.product.market.currency, deadline: removal.lastDay + REMOVAL.deadline, scenario,
    });
  const none = { cancelled: 0, disposed: 0, shipped: 0, inProcess: 0 };

  let r = order(p.product(main), { ...none, type: 'Return', status: 'Completed', requested: 10, shipped: 7 }, 20);
  shortfall(r, 3, 'return order completed: 10 requested, 7 shipped');

  r = order(p.product(main), { ...none, type: 'Disposal', status: 'Completed', requested: 8, disposed: 6 }, 12);
  shortfall(r, 2, 'disposal completed: 8 requested, 6 disposed');

  r = order(p.product(main), { ...none, type: 'Return', status: 'Completed', requested: 5, shipped: 3 }, 90);
  shortfall(r, 2, 'completed 90 days ago, 2 missing: expired');

  for (const market of others.slice(-1)) {
    r = order(p.product(market), { ...none, type: 'Return', status: 'Completed', requested: 6, shipped: 5 }, 8);
    shortfall(r, 1, `return order short in the ${market.code} store`);
  }

  r = order(p.product(main), { ...none, type: 'Return', status: 'Completed', requested: 6, cancelled: 1, shipped: 5 }, 15);
  p.negative('removal_shortfall', { removal_order_id: r.id, sku: r.product.sku }, 'completed: 1 cancelled + 5 shipped = 6 requested');

  r = order(p.product(main), { ...none, type: 'Return', status: 'Pending', requested: 4, inProcess: 4 }, 3);
  p.negative('removal_shortfall', { removal_order_id: r.id, sku: r.product.sku }, 'still pending: units in process');
}

/**
 * removal_lost_in_transit: removal parcels Amazon shipped that the seller's receipts say never
 * (or only partly) arrived. Each removal order is completed with all its units shipped, so none
 * is a removal_shortfall too.
 */
export function plantRemovalParcels(p: Planter, main: Marketplace, others: readonly Marketplace[]): void {
  const LOST = POLICY.removalLostInTransit;
  // A return order shipped in parcels `ago` days back; `received` per parcel (undefined: no receipt row).
  const removal = (market: Marketplace, parcels: ReadonlyArray<{ ago: number; shipped: number; received?: number; tracking?: (t: string) => string }>) => {
    const product = p.product(market);
    const shipped = parcels.reduce((n, x) => n + x.shipped, 0);
    const lastDay = p.ago(Math.min(...parcels.map((x) => x.ago)));
    const order: Removal = { id: p.world.ids.removalOrder(), product, requestDay: p.ago(Math.max(...parcels.map((x) => x.ago)) + 10), lastDay, type: 'Return', status: 'Completed', requested: shipped, cancelled: 0, disposed: 0, shipped, inProcess: 0 };
    p.world.removals.push(order);
    p.world.ledger({ day: lastDay, product, eventType: 'VendorReturns', referenceId: order.id, quantity: -shipped });
    return parcels.map((x) => {
      const tracking = p.world.ids.tracking();
      const receipt = x.received === undefined ? undefined : {
        units: x.received,
        ...(x.received > 0 ? { day: Math.min(p.world.asOf, p.ago(x.ago) + 6) } : {}),
        ...(x.tracking ? { tracking: x.tracking(tracking) } : {}),
      };
      const parcel: RemovalParcel = { removal: order, day: p.ago(x.ago), shipped: x.shipped, carrier: 'UPS', tracking, ...(receipt ? { receipt } : {}) };
      p.world.parcels.push(parcel);
      return parcel;
    });
  };
  const lost = (parcel: RemovalParcel, units: number, scenario: string): void =>
    p.claim({
      type: 'removal_lost_in_transit', key: { removal_order_id: parcel.removal.id, sku: parcel.removal.product.sku, tracking_number: parcel.tracking },
      quantity: units, amount: units * p.cost(parcel.removal.product), currency: parcel.removal.product.market.currency,
      deadline: parcel.day + LOST.deadline, pendingUntil: parcel.day + LOST.grace, scenario,
    });

  const [arrived, missing] = removal(main, [{ ago: 32, shipped: 4, received: 4 }, { ago: 30, shipped: 2 }]);
  lost(missing!, 2, 'a removal in two parcels: the second (2 units, shipped 30 days ago) never arrived, no receipt recorded');
  p.negative('removal_lost_in_transit', { removal_order_id: arrived!.removal.id, sku: arrived!.removal.product.sku, tracking_number: arrived!.tracking }, 'the same removal\'s first parcel, received in full');

  const [partial] = removal(main, [{ ago: 40, shipped: 5, received: 3 }]);
  lost(partial!, 2, '5 units shipped 40 days ago, the seller received 3');

  const [none] = removal(main, [{ ago: 50, shipped: 3, received: 0 }]);
  lost(none!, 3, 'recorded as received with 0 units');

  const [recent] = removal(main, [{ ago: 8, shipped: 2 }]);
  lost(recent!, 2, 'shipped 8 days ago, not arrived: the carrier still has time, pending');

  const [old] = removal(main, [{ ago: 90, shipped: 1 }]);
  lost(old!, 1, 'shipped 90 days ago, never arrived: expired');

  for (const market of others.slice(0, 1)) {
    const [parcel] = removal(market, [{ ago: 25, shipped: 3, received: 1 }]);
    lost(parcel!, 2, `a parcel short in the ${market.code} store`);
  }

  // The seller typed the tracking number in lower case with spaces: still the same parcel.
  const [typed] = removal(main, [{ ago: 35, shipped: 6, received: 6, tracking: (t) => `${t.slice(0, 6).toLowerCase()} ${t.slice(6).toLowerCase()}` }]);
  p.negative('removal_lost_in_transit', { removal_order_id: typed!.removal.id, sku: typed!.removal.product.sku, tracking_number: typed!.tracking }, 'received in full, tracking number written with spaces and in lower case');
}
