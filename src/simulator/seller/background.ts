import { usDay } from './calendar.js';
import type { Marketplace, Product } from './catalog.js';
import { adjust, giveBack, reimburse, sell, ship } from './events.js';
import { Random } from './random.js';
import type { CustomerReturn, World } from './world.js';

/**
 * A year of ordinary activity that must never produce a claim: restocks received in full, orders,
 * returns refunded when they come back, losses found again or paid by Amazon on its own (no case
 * id), damage paid at cost, removals fully accounted for. Every resolution happens on or before
 * as-of: a seller's files only know what has happened.
 */
export function addBackground(world: World, markets: readonly Marketplace[], orders: number): void {
  const r = Random.stream(world.seed, 'background');
  for (const market of markets) restock(world, r, world.products.filter((p) => p.market === market));
  addOrders(world, r, orders);
  for (const product of world.products) {
    if (product.planted) continue;
    addLosses(world, r, product);
    addDamage(world, r, product);
  }
  for (const market of markets) addRemovals(world, r, world.products.filter((p) => p.market === market && !p.planted));
}

function restock(world: World, r: Random, products: readonly Product[]): void {
  if (products.length === 0) return;
  let n = 0;
  for (let created = world.start - 20; created <= world.asOf; created += r.int(38, 52)) {
    n++;
    const arrival = created + r.int(5, 9);
    const receiptDays = [arrival, arrival + r.int(1, 3)].filter((d) => d <= world.asOf);
    const closed = receiptDays.length === 2 && receiptDays[1]! + 3 <= world.asOf;
    const items = products.map((product) => {
      const shipped = 12 * r.int(2, 10);
      // A shipment still being received has units not yet counted: not a shortage, not closed.
      const received = closed ? shipped : receiptDays.length === 0 ? 0 : Math.floor(shipped / 2);
      return { product, shipped, received };
    });
    const status = closed ? 'CLOSED' : receiptDays.length > 0 ? 'RECEIVING' : 'SHIPPED';
    ship(world, r, status, items, receiptDays, `FBA (${usDay(created)}) - ${products[0]!.market.code} ${n}`);
  }
}

const DISPOSITIONS: readonly CustomerReturn['disposition'][] = [
  ...Array<CustomerReturn['disposition']>(14).fill('SELLABLE'),
  'CUSTOMER_DAMAGED', 'CUSTOMER_DAMAGED', 'DEFECTIVE', 'DEFECTIVE', 'DAMAGED', 'CARRIER_DAMAGED',
];

function addOrders(world: World, r: Random, count: number): void {
  const sellers = world.products.filter((p) => p.sells);
  if (sellers.length === 0) return;
  for (let i = 0; i < count; i++) {
    const order = sell(world, r, r.pick(sellers), r.int(world.start, world.asOf));
    if (r.chance(0.07)) {
      const day = order.day + r.int(3, 30);
      if (day > world.asOf) continue;
      const disposition = r.pick(DISPOSITIONS);
      // Refunded when the unit comes back: a refund with its return is never a claim.
      giveBack(world, r, order, day, disposition, { refundDay: day });
      if (disposition === 'DAMAGED' || disposition === 'CARRIER_DAMAGED') {
        // Amazon paid for the units it (or its carrier) damaged, by itself.
        const approval = day + r.int(0, Math.min(6, world.asOf - day));
        reimburse(world, { day: approval, reason: 'CustomerReturn', orderId: order.id, product: order.product, amountPerUnitMinor: order.product.priceMinor, cash: order.quantity });
      }
    } else if (r.chance(0.01)) {
      // Refunded, never returned, and Amazon charged the customer and reimbursed the seller itself.
      const refundDay = order.day + r.int(5, 20);
      const approval = refundDay + r.int(30, 45);
      if (approval > world.asOf) continue;
      world.refunds.push({ orderId: order.id, day: refundDay, product: order.product, quantity: order.quantity });
      reimburse(world, { day: approval, reason: 'CustomerReturn', orderId: order.id, product: order.product, amountPerUnitMinor: order.product.priceMinor, cash: order.quantity });
    }
  }
}

/** Units misplaced now and then, each found again or paid by Amazon at cost without a case. */
function addLosses(world: World, r: Random, product: Product): void {
  for (let day = world.start + r.int(0, 50); day <= world.asOf; day += r.int(45, 80)) {
    const units = r.int(1, 2);
    adjust(world, product, day, -units, r.pick(['M', 'M', '5']), { resolved: true });
    const resolved = Math.min(world.asOf, day + r.int(1, 20));
    if (r.chance(0.5)) adjust(world, product, resolved, units, r.pick(['F', 'F', 'N']));
    else reimburse(world, { day: resolved, reason: 'Lost_Warehouse', product, amountPerUnitMinor: product.costMinor ?? product.priceMinor, cash: units });
  }
}

/** Units damaged in the warehouse (moved to the damaged disposition by P) and paid at cost. */
function addDamage(world: World, r: Random, product: Product): void {
  for (let day = world.start + r.int(0, 90); day <= world.asOf; day += r.int(70, 120)) {
    adjust(world, product, day, -1, r.pick(['E', '6', '7']), { resolved: true });
    adjust(world, product, day, 1, 'P', { disposition: 'WAREHOUSE_DAMAGED' });
    const approval = Math.min(world.asOf, day + r.int(2, 20));
    reimburse(world, { day: approval, reason: 'Damaged_Warehouse', product, amountPerUnitMinor: product.costMinor ?? product.priceMinor, cash: 1 });
  }
}

/** Removal orders fully accounted for, plus some still in process or cancelled. */
function addRemovals(world: World, r: Random, products: readonly Product[]): void {
  if (products.length === 0) return;
  for (let requestDay = world.start + r.int(10, 40); requestDay <= world.asOf; requestDay += r.int(60, 100)) {
    const product = r.pick(products);
    const type = r.chance(0.6) ? 'Return' : 'Disposal';
    const requested = r.int(2, 10);
    const lastDay = requestDay + r.int(5, 15);
    const id = world.ids.removalOrder();
    if (lastDay > world.asOf) {
      world.removals.push({ id, requestDay, lastDay: requestDay, type, status: 'Pending', product, requested, cancelled: 0, disposed: 0, shipped: 0, inProcess: requested });
      continue;
    }
    if (r.chance(0.1)) {
      world.removals.push({ id, requestDay, lastDay, type, status: 'Cancelled', product, requested, cancelled: requested, disposed: 0, shipped: 0, inProcess: 0 });
      continue;
    }
    const cancelled = type === 'Return' && r.chance(0.3) ? 1 : 0;
    const moved = requested - cancelled;
    world.removals.push({
      id, requestDay, lastDay, type, status: 'Completed', product, requested, cancelled,
      disposed: type === 'Disposal' ? moved : 0, shipped: type === 'Return' ? moved : 0, inProcess: 0,
    });
    world.ledger({ day: lastDay, product, eventType: 'VendorReturns', referenceId: id, quantity: -moved, disposition: type === 'Return' ? 'SELLABLE' : 'UNSELLABLE' });
  }
}
