import { decimal, isoStamp } from './calendar.js';
import type { Product } from './catalog.js';
import { Random } from './random.js';
import type { LineSink } from './sink.js';
import type { Order, World } from './world.js';

/** Sales tax or VAT per store, in basis points: item-tax and the refund's Tax line, never claimed. */
export const TAX_BP: Readonly<Record<string, number>> = { US: 825, CA: 1300, UK: 2000, DE: 1900 };

export function taxOf(product: Product, quantity: number): number {
  return Math.round((product.priceMinor * quantity * (TAX_BP[product.market.code] ?? 0)) / 10_000);
}

const byDay = <T extends { day: number }>(rows: readonly T[]): T[] => rows.map((row, i) => ({ row, i })).sort((a, b) => a.row.day - b.row.day || a.i - b.i).map((x) => x.row);

async function table(sink: LineSink, header: readonly string[], rows: Iterable<readonly (string | number)[]>): Promise<void> {
  await sink.write(header.join('\t'));
  for (const cells of rows) await sink.write(cells.join('\t'));
}

export async function writeReimbursements(world: World, sink: LineSink): Promise<void> {
  const header = ['approval-date', 'reimbursement-id', 'case-id', 'amazon-order-id', 'reason', 'sku', 'fnsku', 'asin', 'product-name', 'condition', 'currency-unit',
    'amount-per-unit', 'amount-total', 'quantity-reimbursed-cash', 'quantity-reimbursed-inventory', 'quantity-reimbursed-total', 'original-reimbursement-id', 'original-reimbursement-type'];
  await table(sink, header, byDay(world.reimbursements).map((x) => {
    const p = x.product;
    return [isoStamp(x.day, 36_000, p.market.offset), x.id, x.caseId, x.orderId, x.reason, p.sku, p.fnsku, p.asin, p.title, 'New', p.market.currency,
      decimal(x.amountPerUnitMinor), decimal(x.amountPerUnitMinor * x.cash), x.cash, x.inventory, x.cash + x.inventory, x.original?.id ?? '', x.original?.reason ?? ''];
  }));
}

export async function writeReturns(world: World, sink: LineSink): Promise<void> {
  const r = Random.stream(world.seed, 'returns-report');
  const header = ['return-date', 'order-id', 'sku', 'asin', 'fnsku', 'product-name', 'quantity', 'fulfillment-center-id', 'detailed-disposition', 'reason', 'status', 'license-plate-number', 'customer-comments'];
  await table(sink, header, byDay(world.returns).map((x) => {
    const p = x.product;
    const status = x.disposition === 'SELLABLE' ? 'Unit returned to inventory' : 'Unit returned to inventory (unsellable)';
    return [isoStamp(x.day, r.int(21_600, 79_200), p.market.offset), x.orderId, p.sku, p.asin, p.fnsku, p.title, x.quantity, x.fc, x.disposition, x.reason, status,
      `LPN${r.chars('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789', 9)}`, ''];
  }));
}

export async function writeRemovals(world: World, sink: LineSink): Promise<void> {
  const header = ['request-date', 'order-id', 'order-type', 'service-speed', 'order-status', 'last-updated-date', 'sku', 'fnsku', 'disposition', 'requested-quantity',
    'cancelled-quantity', 'disposed-quantity', 'shipped-quantity', 'in-process-quantity', 'removal-fee', 'currency'];
  const rows = world.removals.map((x, i) => ({ x, i })).sort((a, b) => a.x.requestDay - b.x.requestDay || a.i - b.i);
  await table(sink, header, rows.map(({ x }) => {
    const m = x.product.market;
    return [isoStamp(x.requestDay, 43_200, m.offset), x.id, x.type, 'Standard', x.status, isoStamp(x.lastDay, 50_400, m.offset), x.product.sku, x.product.fnsku,
      x.type === 'Return' ? 'Sellable' : 'Unsellable', x.requested, x.cancelled, x.disposed, x.shipped, x.inProcess, decimal(x.type === 'Return' ? 97 * x.requested : 52 * x.requested), m.currency];
  }));
}

/** GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA: the free replacements Amazon shipped. */
export async function writeReplacements(world: World, sink: LineSink): Promise<void> {
  const header = ['shipment-date', 'sku', 'asin', 'fulfillment-center-id', 'original-fulfillment-center-id', 'quantity', 'replacement-reason-code',
    'replacement-amazon-order-id', 'original-amazon-order-id'];
  await table(sink, header, byDay(world.replacements).map((x) => {
    const p = x.original.product;
    return [isoStamp(x.day, 39_600, p.market.offset), p.sku, p.asin, x.fc, x.original.fc, x.quantity, x.reasonCode, x.replacementOrderId, x.original.id];
  }));
}

const SHIPMENTS_HEADER = ['amazon-order-id', 'merchant-order-id', 'shipment-id', 'shipment-item-id', 'amazon-order-item-id', 'merchant-order-item-id', 'purchase-date',
  'payments-date', 'shipment-date', 'reporting-date', 'buyer-email', 'buyer-name', 'buyer-phone-number', 'sku', 'product-name', 'quantity-shipped', 'currency',
  'item-price', 'item-tax', 'shipping-price', 'shipping-tax', 'gift-wrap-price', 'gift-wrap-tax', 'ship-service-level', 'recipient-name', 'ship-address-1',
  'ship-address-2', 'ship-address-3', 'ship-city', 'ship-state', 'ship-postal-code', 'ship-country', 'ship-phone-number', 'bill-address-1', 'bill-address-2',
  'bill-address-3', 'bill-city', 'bill-state', 'bill-postal-code', 'bill-country', 'item-promotion-discount', 'ship-promotion-discount', 'carrier',
  'tracking-number', 'estimated-arrival-date', 'fulfillment-center-id', 'fulfillment-channel', 'sales-channel'];

const CARRIERS: Readonly<Record<string, readonly string[]>> = { US: ['AMZN_US', 'UPS', 'USPS'], CA: ['AMZN_CA', 'Canada Post'], UK: ['AMZN_UK', 'Royal Mail'], DE: ['AMZN_DE', 'DHL'] };

/** Orders in the report window, by day: the shipments report and the financial events both list them. */
export function reportedOrders(world: World): Order[] {
  return byDay(world.orders.filter((order) => order.inReport));
}

export async function writeCustomerShipments(world: World, sink: LineSink): Promise<void> {
  const r = Random.stream(world.seed, 'shipments-report');
  await table(sink, SHIPMENTS_HEADER, (function* () {
    for (const o of reportedOrders(world)) {
      const p = o.product;
      const m = p.market;
      const at = r.int(21_600, 79_200);
      const [city, state, postal] = r.pick(m.cities);
      const stamp = isoStamp(o.day, at, m.offset);
      // Buyer names, addresses and phones are left empty: Amazon withholds them from FBA reports.
      yield [o.id, '', o.outboundShipment, `D${r.chars('abcdefghijklmnopqrstuvwxyz0123456789', 8)}`, r.digits(14), '', stamp, stamp, stamp, stamp, '', '', '',
        p.sku, p.title, o.quantity, m.currency, decimal(p.priceMinor * o.quantity), decimal(taxOf(p, o.quantity)), '0.00', '0.00', '0.00', '0.00',
        r.chance(0.8) ? 'Standard' : 'Expedited', '', '', '', '', city, state, postal, m.country, '', '', '', '', '', '', '', '', '0.00', '0.00',
        r.pick(CARRIERS[m.code] ?? ['AMZN']), `TBA${r.digits(12)}`, isoStamp(o.day + r.int(1, 4), 72_000, m.offset), o.fc, 'AFN', m.salesChannel];
    }
  })());
}

export async function writeFeePreview(world: World, sink: LineSink): Promise<void> {
  const header = ['sku', 'fnsku', 'asin', 'amazon-store', 'product-name', 'product-group', 'brand', 'fulfilled-by', 'your-price', 'sales-price', 'longest-side',
    'median-side', 'shortest-side', 'length-and-girth', 'unit-of-dimension', 'item-package-weight', 'unit-of-weight', 'product-size-tier', 'currency',
    'estimated-fee-total', 'estimated-referral-fee-per-unit', 'estimated-variable-closing-fee', 'estimated-order-handling-fee-per-order',
    'estimated-pick-pack-fee-per-unit', 'estimated-weight-handling-fee-per-unit', 'expected-fulfillment-fee-per-unit', 'estimated-future-fee',
    'estimated-future-order-handling-fee-per-order', 'estimated-future-pick-pack-fee-per-unit', 'estimated-future-weight-handling-fee-per-unit',
    'expected-future-fulfillment-fee-per-unit', 'current-fee-category', 'future-fee-category', 'future-fee-category-effective-date'];
  const r = Random.stream(world.seed, 'fee-preview');
  await table(sink, header, world.products.map((p) => {
    const referral = Math.round((p.priceMinor * 15) / 100);
    // Next year's rate card is higher: detection must read the current column, not this one.
    const future = p.feeMinor + 35;
    const metric = p.market.code === 'UK' || p.market.code === 'DE';
    const dims = [r.int(8, 40), r.int(5, 25), r.int(2, 12)].sort((x, y) => y - x);
    return [p.sku, p.fnsku, p.asin, p.market.code, p.title, 'Home', 'Clario Demo', 'AFN', decimal(p.priceMinor), decimal(p.priceMinor),
      ...dims.map(String), String(dims[0]! + 2 * (dims[1]! + dims[2]!)), metric ? 'centimeters' : 'inches', (r.int(10, 300) / 100).toFixed(2), metric ? 'kilograms' : 'pounds',
      'Standard', p.market.currency, decimal(referral + p.feeMinor), decimal(referral), '0.00', '', '', '', decimal(p.feeMinor), decimal(referral + future),
      '', '', '', decimal(future), 'Standard', 'Standard', ''];
  }));
}

/** costs.csv: the seller's unit costs, one line per SKU that has one. */
export async function writeCosts(world: World, sink: LineSink): Promise<void> {
  await sink.write('sku,unit_cost,currency');
  for (const p of world.products) if (p.costMinor !== null) await sink.write(`${p.sku},${decimal(p.costMinor)},${p.market.currency}`);
}
