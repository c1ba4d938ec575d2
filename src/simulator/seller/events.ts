import type { Product } from './catalog.js';
import type { Random } from './random.js';
import type { CustomerReturn, InboundShipment, Order, Reimbursement, World } from './world.js';

/**
 * The building blocks of a seller's year, shared by the ordinary activity and the planted
 * discrepancies: each writes every trace Amazon would leave (report line, ledger event, money).
 */

/** A customer order shipped by Amazon: shipments report line, ledger Shipments event, fee charged. */
export function sell(
  world: World,
  r: Random,
  product: Product,
  day: number,
  options: { quantity?: number; feePerUnitMinor?: number; inReport?: boolean } = {},
): Order {
  const quantity = options.quantity ?? (r.chance(0.12) ? 2 : 1);
  const order: Order = {
    id: world.ids.order(),
    day,
    product,
    quantity,
    fc: r.pick(product.market.fulfillmentCenters),
    outboundShipment: world.ids.outboundShipment(),
    feeChargedMinor: (options.feePerUnitMinor ?? product.feeMinor) * quantity,
    inReport: options.inReport ?? true,
  };
  world.orders.push(order);
  // An order from before the reports' window left no trace in this year's ledger either.
  if (order.inReport) world.ledger({ day, product, eventType: 'Shipments', referenceId: order.outboundShipment, quantity: -quantity, fc: order.fc });
  return order;
}

const LEDGER_DISPOSITION: Readonly<Record<CustomerReturn['disposition'], string>> = {
  SELLABLE: 'SELLABLE',
  DAMAGED: 'WAREHOUSE_DAMAGED',
  CARRIER_DAMAGED: 'CARRIER_DAMAGED',
  CUSTOMER_DAMAGED: 'CUSTOMER_DAMAGED',
  DEFECTIVE: 'DEFECTIVE',
};

const RETURN_REASONS: Readonly<Record<CustomerReturn['disposition'], readonly string[]>> = {
  SELLABLE: ['UNWANTED_ITEM', 'ORDERED_WRONG_ITEM', 'FOUND_BETTER_PRICE', 'NO_REASON_GIVEN'],
  DAMAGED: ['DAMAGED_BY_FC', 'UNDELIVERABLE_UNKNOWN'],
  CARRIER_DAMAGED: ['DAMAGED_BY_CARRIER'],
  CUSTOMER_DAMAGED: ['UNWANTED_ITEM', 'NOT_AS_DESCRIBED'],
  DEFECTIVE: ['DEFECTIVE', 'QUALITY_UNACCEPTABLE'],
};

/** A customer return: returns report line and ledger CustomerReturns event; the refund when asked. */
export function giveBack(
  world: World,
  r: Random,
  order: Order,
  day: number,
  disposition: CustomerReturn['disposition'],
  options: { quantity?: number; refundDay?: number } = {},
): CustomerReturn {
  const ret: CustomerReturn = {
    orderId: order.id,
    day,
    product: order.product,
    quantity: options.quantity ?? order.quantity,
    fc: r.pick(order.product.market.fulfillmentCenters),
    disposition,
    reason: r.pick(RETURN_REASONS[disposition]),
  };
  world.returns.push(ret);
  world.ledger({
    day, product: order.product, eventType: 'CustomerReturns', referenceId: order.id, quantity: ret.quantity, fc: ret.fc,
    disposition: LEDGER_DISPOSITION[disposition],
  });
  if (options.refundDay !== undefined) refund(world, order, options.refundDay, ret.quantity);
  return ret;
}

export function refund(world: World, order: Order, day: number, quantity = order.quantity): void {
  world.refunds.push({ orderId: order.id, day, product: order.product, quantity });
}

export function reimburse(
  world: World,
  fields: Omit<Reimbursement, 'id' | 'caseId' | 'orderId' | 'inventory'> & { caseId?: string; orderId?: string; inventory?: number },
): Reimbursement {
  const row: Reimbursement = { id: world.ids.reimbursement(), caseId: '', orderId: '', inventory: 0, ...fields };
  world.reimbursements.push(row);
  return row;
}

/** A ledger inventory adjustment (M lost, F found, E damaged, P/Q disposition change, ...). */
export function adjust(
  world: World,
  product: Product,
  day: number,
  quantity: number,
  reason: string,
  options: { resolved?: boolean; disposition?: string; referenceId?: string } = {},
): void {
  // Losses and damages carry a reconciliation status; Amazon reconciles them by a find or a payment.
  const reconciles = quantity < 0 && /^[M5E67HKU]$/.test(reason);
  world.ledger({
    day, product, eventType: 'Adjustments', quantity, reason, referenceId: options.referenceId ?? '',
    disposition: options.disposition ?? 'SELLABLE',
    reconciled: reconciles && options.resolved ? -quantity : 0,
    unreconciled: reconciles && !options.resolved ? -quantity : 0,
    fc: product.market.fulfillmentCenters[0] ?? '',
  });
}

/**
 * An inbound shipment of several SKUs. `receiptDays` are the days Amazon logs Receipts in the
 * ledger (Reference ID = shipment id); the received units are spread over them.
 */
export function ship(
  world: World,
  r: Random,
  status: InboundShipment['status'],
  items: InboundShipment['items'],
  receiptDays: readonly number[],
  name: string,
): { shipment: InboundShipment; lastReceiptDay: number } {
  const market = items[0]?.product.market;
  if (!market) throw new RangeError('an inbound shipment needs items');
  const shipment: InboundShipment = { id: world.ids.inboundShipment(), name, status, fc: r.pick(market.fulfillmentCenters), items };
  world.inbound.push(shipment);
  let lastReceiptDay = -Infinity;
  for (const item of items) {
    let left = item.received;
    receiptDays.forEach((day, i) => {
      const last = i === receiptDays.length - 1;
      const units = last ? left : Math.min(left, Math.ceil(item.received / receiptDays.length));
      if (units <= 0) return;
      left -= units;
      lastReceiptDay = Math.max(lastReceiptDay, day);
      world.ledger({ day, product: item.product, eventType: 'Receipts', referenceId: shipment.id, quantity: units, fc: shipment.fc });
    });
  }
  return { shipment, lastReceiptDay };
}
