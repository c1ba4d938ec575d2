import type { Marketplace, Product } from './catalog.js';
import { giveBack, refund, reimburse, sell } from './events.js';
import { POLICY, type Planter } from './planter.js';
import type { CustomerReturn, Replacement } from './world.js';

const REFUND = POLICY.refundNotReturned;
const RETURN = POLICY.returnDamaged;
const FEE = POLICY.feeOvercharge;

/** refund_not_returned: refunds whose unit never came back and that Amazon did not reimburse. */
export function plantRefunds(p: Planter, main: Marketplace, others: readonly Marketplace[]): void {
  const unreturned = (product: Product, orderAgo: number, refundAgo: number, quantity: number, scenario: string): void => {
    const order = sell(p.world, p.r, product, p.ago(orderAgo), { quantity });
    refund(p.world, order, p.ago(refundAgo));
    p.claim({
      type: 'refund_not_returned', key: { order_id: order.id, sku: product.sku }, quantity, amount: quantity * product.priceMinor,
      currency: product.market.currency, deadline: p.ago(refundAgo) + REFUND.deadline, pendingUntil: p.ago(refundAgo) + REFUND.grace, scenario,
    });
  };
  const a = p.product(main);
  unreturned(a, 90, 80, 1, 'refunded 80 days ago, never returned, not reimbursed');
  unreturned(a, 100, 95, 2, '2 units refunded (principal only, tax excluded), never returned');
  unreturned(a, 40, 30, 1, 'refunded 30 days ago: the customer may still return it, pending');
  unreturned(a, 160, 150, 1, 'refunded 150 days ago: expired');
  unreturned(a, 70, REFUND.grace, 1, 'refunded exactly 60 days ago: the grace ends today, eligible');
  for (const market of others) unreturned(p.product(market), 85, 75, 1, `refunded in the ${market.code} store, in ${market.currency}`);

  let order = sell(p.world, p.r, a, p.ago(100), { quantity: 1 });
  giveBack(p.world, p.r, order, p.ago(90), 'SELLABLE', { refundDay: p.ago(90) });
  p.negative('refund_not_returned', { order_id: order.id, sku: a.sku }, 'refunded and returned the same day');

  order = sell(p.world, p.r, a, p.ago(60), { quantity: 1 });
  refund(p.world, order, p.ago(55));
  giveBack(p.world, p.r, order, p.ago(40), 'SELLABLE');
  p.negative('refund_not_returned', { order_id: order.id, sku: a.sku }, 'refunded first, returned 15 days later');

  order = sell(p.world, p.r, a, p.ago(130), { quantity: 1 });
  refund(p.world, order, p.ago(120));
  reimburse(p.world, { day: p.ago(70), reason: 'CustomerReturn', orderId: order.id, product: a, amountPerUnitMinor: a.priceMinor, cash: 1 });
  p.negative('refund_not_returned', { order_id: order.id, sku: a.sku }, 'never returned, but Amazon reimbursed the order on its own');
}

/** return_damaged: returns Amazon or its carrier damaged, valued at the order's sale price. */
export function plantDamagedReturns(p: Planter, main: Marketplace): void {
  const a = p.product(main);
  const damagedReturn = (orderAgo: number, returnAgo: number, quantity: number, disposition: CustomerReturn['disposition'], scenario: string, inReport = true): void => {
    const order = sell(p.world, p.r, a, p.ago(orderAgo), { quantity, inReport });
    giveBack(p.world, p.r, order, p.ago(returnAgo), disposition, { refundDay: p.ago(returnAgo) });
    p.claim({
      type: 'return_damaged', key: { order_id: order.id, sku: a.sku }, quantity,
      // Amazon's customer-return window counts from the refund, here the day of the return.
      amount: quantity * (inReport ? a.priceMinor : p.cost(a)), currency: main.currency, deadline: p.ago(returnAgo) + RETURN.deadline,
      pendingUntil: p.ago(returnAgo) + RETURN.grace, scenario,
    });
  };
  damagedReturn(30, 20, 1, 'DAMAGED', 'returned DAMAGED (by Amazon) 20 days ago: the order\'s sale price, pending');
  damagedReturn(40, 25, 2, 'CARRIER_DAMAGED', '2 units returned CARRIER_DAMAGED, pending');
  damagedReturn(90, 75, 1, 'DAMAGED', 'returned and refunded DAMAGED 75 days ago: eligible');
  damagedReturn(70, RETURN.grace, 1, 'DAMAGED', 'refunded exactly 60 days ago: the wait ends today, eligible');
  damagedReturn(130, RETURN.deadline + 1, 1, 'DAMAGED', 'refunded 121 days ago: expired yesterday');
  damagedReturn(400, 10, 1, 'DAMAGED', 'order older than the shipments report: valued at unit cost', false);

  const declined = (disposition: CustomerReturn['disposition'], why: string): void => {
    const order = sell(p.world, p.r, a, p.ago(25), { quantity: 1 });
    giveBack(p.world, p.r, order, p.ago(12), disposition, { refundDay: p.ago(12) });
    p.negative('return_damaged', { order_id: order.id, sku: a.sku }, why);
  };
  declined('CUSTOMER_DAMAGED', 'CUSTOMER_DAMAGED: the seller\'s loss, never claimed');
  declined('DEFECTIVE', 'DEFECTIVE: the seller\'s loss, never claimed');
  declined('SELLABLE', 'returned SELLABLE to inventory');

  const order = sell(p.world, p.r, a, p.ago(28), { quantity: 1 });
  giveBack(p.world, p.r, order, p.ago(15), 'DAMAGED', { refundDay: p.ago(15) });
  reimburse(p.world, { day: p.ago(5), reason: 'CustomerReturn', caseId: p.world.ids.caseId(), orderId: order.id, product: a, amountPerUnitMinor: a.priceMinor, cash: 1 });
  p.negative('return_damaged', { order_id: order.id, sku: a.sku }, 'DAMAGED, already reimbursed after a case the seller filed');
}

/** fee_overcharge: fulfilment fees charged above the fee preview's expected fee, summed per SKU. */
export function plantFees(p: Planter, main: Marketplace, others: readonly Marketplace[]): void {
  const overcharged = (product: Product, orders: readonly (readonly [ago: number, quantity: number])[], scenario: string): void => {
    // Billed as the next size tier up: about 18% more per unit.
    const over = Math.round((product.feeMinor * 18) / 100);
    for (const [ago, quantity] of orders) sell(p.world, p.r, product, p.ago(ago), { quantity, feePerUnitMinor: product.feeMinor + over });
    const units = orders.reduce((sum, [, q]) => sum + q, 0);
    p.claim({
      type: 'fee_overcharge', key: { sku: product.sku }, quantity: units, amount: over * units, currency: product.market.currency,
      deadline: Math.min(...orders.map(([ago]) => p.ago(ago))) + FEE.deadline, scenario,
    });
  };
  overcharged(p.product(main), [[80, 1], [50, 2], [10, 1]], 'charged 18% over the expected fee on 3 orders (4 units) in 90 days');
  overcharged(p.product(main), [[FEE.lookback, 1]], 'overcharged once, exactly 90 days ago: today is the deadline');
  for (const market of others) overcharged(p.product(market), [[60, 1]], `overcharged once in the ${market.code} store`);

  let a = p.product(main);
  const within = Math.floor((a.feeMinor * 9) / 1000);
  for (const ago of [70, 30]) sell(p.world, p.r, a, p.ago(ago), { quantity: 1, feePerUnitMinor: a.feeMinor + within });
  p.negative('fee_overcharge', { sku: a.sku }, 'charged 0.9% over the expected fee: inside the 1% tolerance');

  a = p.product(main);
  const over = Math.round((a.feeMinor * 18) / 100);
  for (const ago of [120, 100]) sell(p.world, p.r, a, p.ago(ago), { quantity: 1, feePerUnitMinor: a.feeMinor + over });
  p.negative('fee_overcharge', { sku: a.sku }, 'overcharged 100 and 120 days ago only: past the 90-day window');
}

/** replacement_not_returned: Amazon sent the customer a free replacement and the original never came back. */
export function plantReplacements(p: Planter, main: Marketplace, others: readonly Marketplace[]): void {
  const REPLACEMENT = POLICY.replacementNotReturned;
  const replace = (product: Product, orderAgo: number, replacedAgo: number, quantity: number, inReport = true): Replacement => {
    const order = sell(p.world, p.r, product, p.ago(orderAgo), { quantity, inReport });
    const replacement: Replacement = {
      day: p.ago(replacedAgo), original: order, replacementOrderId: p.world.ids.order(), quantity, fc: p.r.pick(product.market.fulfillmentCenters),
      reasonCode: p.r.pick(['1', '2', '6']),
    };
    p.world.replacements.push(replacement);
    // The replacement unit leaves the warehouse like any customer shipment.
    p.world.ledger({ day: replacement.day, product, eventType: 'Shipments', referenceId: p.world.ids.outboundShipment(), quantity: -quantity, fc: replacement.fc });
    return replacement;
  };
  const unreturned = (market: Marketplace, orderAgo: number, replacedAgo: number, quantity: number, scenario: string, inReport = true): void => {
    const a = p.product(market);
    const r = replace(a, orderAgo, replacedAgo, quantity, inReport);
    p.claim({
      type: 'replacement_not_returned', key: { order_id: r.original.id, sku: a.sku }, quantity,
      // The original order's sale price; an order older than the shipments report is valued at cost.
      amount: quantity * (inReport ? a.priceMinor : p.cost(a)), currency: market.currency,
      deadline: r.day + REPLACEMENT.deadline, pendingUntil: r.day + REPLACEMENT.grace, scenario,
    });
  };
  unreturned(main, 80, 75, 1, 'replaced 75 days ago, the original never returned nor reimbursed: eligible');
  unreturned(main, 30, 25, 2, '2 units replaced 25 days ago: the customer may still send the originals back, pending');
  unreturned(main, 160, 130, 1, 'replaced 130 days ago: expired');
  unreturned(main, 400, 70, 1, 'original order older than the shipments report: valued at unit cost', false);
  for (const market of others.slice(0, 1)) unreturned(market, 90, 80, 1, `replaced in the ${market.code} store, in ${market.currency}`);

  let a = p.product(main);
  let r = replace(a, 70, 66, 1);
  giveBack(p.world, p.r, r.original, p.ago(50), 'SELLABLE');
  p.negative('replacement_not_returned', { order_id: r.original.id, sku: a.sku }, 'replaced, and the customer returned the original');

  a = p.product(main);
  r = replace(a, 90, 85, 1);
  reimburse(p.world, { day: p.ago(20), reason: 'CustomerServiceIssue', orderId: r.original.id, product: a, amountPerUnitMinor: a.priceMinor, cash: 1 });
  p.negative('replacement_not_returned', { order_id: r.original.id, sku: a.sku }, 'replaced and never returned, but Amazon reimbursed the order on its own');
}
