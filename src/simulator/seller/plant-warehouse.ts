import { isoDay } from './calendar.js';
import type { Marketplace, Product } from './catalog.js';
import { adjust, reimburse, sell } from './events.js';
import { POLICY, type Planter } from './planter.js';

const LOST = POLICY.lostWarehouse;
const DAMAGED = POLICY.damagedWarehouse;
const UNDERPAID = POLICY.underpaidReimbursement;

/** The key of the loss or damage planted `ago` days back: adjustments carry no Reference ID, so the day stands in. */
function lossKey(p: Planter, product: Product, ago: number): { fnsku: string; reference_id: string } {
  return { fnsku: product.fnsku, reference_id: isoDay(p.ago(ago)) };
}

/** lost_warehouse: positives in every marketplace, and losses that must not be claimed. */
export function plantLost(p: Planter, main: Marketplace, others: readonly Marketplace[]): void {
  // One claim per loss event (DETECTION.md version 2): the planted adjustments carry no Reference
  // ID, so each is keyed by its day. `net` is what is left of that loss; the value is units × cost unless given.
  const lost = (product: Product, ago: number, net: number, scenario: string, amount?: number | null): void => {
    p.claim({
      type: 'lost_warehouse', key: lossKey(p, product, ago), quantity: net,
      amount: amount === undefined ? net * p.cost(product) : amount, currency: product.market.currency,
      deadline: p.ago(ago) + LOST.deadline, pendingUntil: p.ago(ago) + LOST.grace, scenario,
    });
  };
  let a = p.product(main);
  adjust(p.world, a, p.ago(45), -3, 'M');
  lost(a, 45, 3, 'lost 45 days ago, neither found nor reimbursed');

  a = p.product(main);
  adjust(p.world, a, p.ago(50), -4, '5');
  adjust(p.world, a, p.ago(40), 1, 'F');
  lost(a, 50, 3, 'lost 4, one found again later');

  a = p.product(main);
  adjust(p.world, a, p.ago(40), -5, 'M');
  reimburse(p.world, { day: p.ago(35), reason: 'Lost_Warehouse', product: a, amountPerUnitMinor: p.cost(a), cash: 2 });
  lost(a, 40, 3, 'lost 5, Amazon reimbursed 2 on its own (no case id)');

  a = p.product(main);
  adjust(p.world, a, p.ago(10), -2, 'M');
  lost(a, 10, 2, 'lost 10 days ago: inside Amazon\'s 14-day grace, pending');

  a = p.product(main);
  adjust(p.world, a, p.ago(55), -1, 'M');
  adjust(p.world, a, p.ago(20), -2, '5');
  lost(a, 55, 1, 'two losses, each claimed on its own: the first is fileable 5 days before its deadline');
  lost(a, 20, 2, 'two losses, each claimed on its own: the second is fileable too');

  a = p.product(main);
  adjust(p.world, a, p.ago(75), -1, 'M', { resolved: true });
  reimburse(p.world, { day: p.ago(58), reason: 'Lost_Warehouse', product: a, amountPerUnitMinor: p.cost(a), cash: 1 });
  adjust(p.world, a, p.ago(52), 2, 'N');
  adjust(p.world, a, p.ago(45), -2, 'M');
  lost(a, 45, 2, 'a find and a payment before the loss do not offset it');

  a = p.product(main);
  adjust(p.world, a, p.ago(LOST.lookback), -1, 'M');
  lost(a, LOST.lookback, 1, 'lost exactly 60 days ago: still in the window, today is the deadline');

  a = p.product(main, { withCost: false });
  sell(p.world, p.r, a, p.ago(100), { quantity: 1 });
  adjust(p.world, a, p.ago(40), -2, 'M');
  lost(a, 40, 2, 'no unit cost: valued at the average sale price', 2 * a.priceMinor);

  a = p.product(main, { withCost: false, sells: false });
  adjust(p.world, a, p.ago(42), -1, 'M');
  lost(a, 42, 1, 'no unit cost and never sold: value unknown', null);

  for (const market of others) {
    a = p.product(market);
    adjust(p.world, a, p.ago(38), -2, 'M');
    lost(a, 38, 2, `lost in the ${market.code} store, valued in ${market.currency}`);
  }

  a = p.product(main);
  adjust(p.world, a, p.ago(30), -2, 'M', { resolved: true });
  adjust(p.world, a, p.ago(25), 2, 'F');
  p.negative('lost_warehouse', lossKey(p, a, 30), 'lost 2, both found again 5 days later');

  a = p.product(main);
  adjust(p.world, a, p.ago(50), -3, '5', { resolved: true });
  reimburse(p.world, { day: p.ago(30), reason: 'Lost_Warehouse', product: a, amountPerUnitMinor: p.cost(a), cash: 3 });
  p.negative('lost_warehouse', lossKey(p, a, 50), 'lost 3, Amazon reimbursed all 3 on its own (no case id)');

  a = p.product(main);
  adjust(p.world, a, p.ago(75), -4, 'M');
  p.negative('lost_warehouse', lossKey(p, a, 75), 'lost 75 days ago: past the 60-day window');

  a = p.product(main);
  adjust(p.world, a, p.ago(40), -2, 'M', { resolved: true });
  reimburse(p.world, { day: p.ago(30), reason: 'Lost_Warehouse', product: a, amountPerUnitMinor: p.cost(a), cash: 0, inventory: 2 });
  p.negative('lost_warehouse', lossKey(p, a, 40), 'lost 2, reimbursed with 2 replacement units (inventory, no cash)');

  a = p.product(main);
  adjust(p.world, a, p.ago(35), -1, 'M', { resolved: true });
  reimburse(p.world, { day: p.ago(12), reason: 'Lost_Warehouse', caseId: p.world.ids.caseId(), product: a, amountPerUnitMinor: p.cost(a), cash: 1 });
  p.negative('lost_warehouse', lossKey(p, a, 35), 'lost 1, paid in full after a case the seller filed');
}

/** damaged_warehouse: damage codes E, 6, 7, H, K, U, each followed by P into the damaged disposition. */
export function plantDamaged(p: Planter, main: Marketplace, others: readonly Marketplace[]): void {
  const damage = (product: Product, ago: number, units: number, reason: string): void => {
    adjust(p.world, product, p.ago(ago), -units, reason);
    adjust(p.world, product, p.ago(ago), units, 'P', { disposition: 'WAREHOUSE_DAMAGED' });
  };
  // One claim per damage event, keyed by its day (no Reference ID planted).
  const damaged = (product: Product, ago: number, net: number, scenario: string): void =>
    p.claim({
      type: 'damaged_warehouse', key: lossKey(p, product, ago), quantity: net, amount: net * p.cost(product),
      currency: product.market.currency, deadline: p.ago(ago) + DAMAGED.deadline, scenario,
    });

  let a = p.product(main);
  damage(a, 20, 2, 'E');
  damaged(a, 20, 2, 'damaged (E) 20 days ago, not reimbursed');

  a = p.product(main);
  damage(a, 30, 3, '6');
  reimburse(p.world, { day: p.ago(25), reason: 'Damaged_Warehouse', product: a, amountPerUnitMinor: p.cost(a), cash: 1 });
  damaged(a, 30, 2, 'damaged 3 (code 6), Amazon reimbursed 1 on its own');

  a = p.product(main);
  damage(a, 50, 1, 'U');
  damage(a, 5, 1, 'K');
  damaged(a, 50, 1, 'damaged twice (U, K), each claimed on its own: the first has 10 days left');
  damaged(a, 5, 1, 'damaged twice (U, K), each claimed on its own: the second has 55 days');

  for (const market of others) {
    a = p.product(market);
    damage(a, 15, 1, 'H');
    damaged(a, 15, 1, `damaged (H) in the ${market.code} store`);
  }

  a = p.product(main);
  damage(a, 15, 1, '7');
  reimburse(p.world, { day: p.ago(10), reason: 'Damaged_Warehouse', product: a, amountPerUnitMinor: p.cost(a), cash: 1 });
  p.negative('damaged_warehouse', lossKey(p, a, 15), 'damaged 1 (code 7), reimbursed by Amazon on its own');

  a = p.product(main);
  damage(a, 70, 2, 'H');
  p.negative('damaged_warehouse', lossKey(p, a, 70), 'damaged 70 days ago: past the 60-day window');
}

/** underpaid_reimbursement: Lost/Damaged_Warehouse paid below the seller's unit cost. */
export function plantUnderpaid(p: Planter, main: Marketplace, others: readonly Marketplace[]): void {
  const underpaid = (product: Product, ago: number, paid: number, cash: number, inventory: number, reason: 'Lost_Warehouse' | 'Damaged_Warehouse', scenario: string): void => {
    const row = reimburse(p.world, { day: p.ago(ago), reason, product, amountPerUnitMinor: paid, cash, inventory });
    p.claim({
      type: 'underpaid_reimbursement', key: { reimbursement_id: row.id }, quantity: cash, amount: (p.cost(product) - paid) * cash,
      currency: product.market.currency, deadline: p.ago(ago) + UNDERPAID.deadline, scenario,
    });
  };

  let a = p.product(main);
  adjust(p.world, a, p.ago(40), -2, 'M', { resolved: true });
  underpaid(a, 20, Math.floor(p.cost(a) * 0.72), 2, 0, 'Lost_Warehouse', 'Amazon paid 72% of cost for 2 lost units, on its own');

  a = p.product(main);
  adjust(p.world, a, p.ago(14), -2, '6', { resolved: true });
  adjust(p.world, a, p.ago(14), 2, 'P', { disposition: 'WAREHOUSE_DAMAGED' });
  underpaid(a, 10, Math.floor(p.cost(a) * 0.8), 1, 1, 'Damaged_Warehouse', '2 damaged units: 1 replaced, 1 paid at 80% of cost');

  a = p.product(main);
  adjust(p.world, a, p.ago(95), -1, 'E', { resolved: true });
  underpaid(a, 90, Math.floor(p.cost(a) * 0.6), 1, 0, 'Damaged_Warehouse', 'paid 60% of cost 90 days ago: expired');

  for (const market of others.slice(0, 1)) {
    a = p.product(market);
    adjust(p.world, a, p.ago(45), -1, 'M', { resolved: true });
    underpaid(a, 28, Math.floor(p.cost(a) * 0.65), 1, 0, 'Lost_Warehouse', `paid 65% of cost in the ${market.code} store`);
  }

  a = p.product(main);
  adjust(p.world, a, p.ago(30), -1, 'M', { resolved: true });
  const close = reimburse(p.world, { day: p.ago(22), reason: 'Lost_Warehouse', product: a, amountPerUnitMinor: p.cost(a) - Math.floor(p.cost(a) * 0.008), cash: 1 });
  p.negative('underpaid_reimbursement', { reimbursement_id: close.id }, 'paid 99.2% of cost: inside the 1% tolerance');
}

/**
 * A busy SKU that loses a unit every three weeks, each loss with its Transaction Item ID: one
 * lost_warehouse claim per loss inside the 60-day window, so none of them waits for the next and
 * expires (DETECTION.md version 2); the older losses are past the window.
 */
export function plantBusyLosses(p: Planter, main: Marketplace): void {
  const a = p.product(main);
  for (let ago = 350; ago > 0; ago -= p.r.int(3, 9)) sell(p.world, p.r, a, p.ago(ago));
  for (const ago of [105, 84, 63, 42, 21, 0]) {
    const referenceId = p.world.ids.transactionItem();
    adjust(p.world, a, p.ago(ago), -1, 'M', { referenceId });
    const key = { fnsku: a.fnsku, reference_id: referenceId };
    if (ago > LOST.lookback) {
      p.negative('lost_warehouse', key, `a busy SKU's loss ${ago} days ago: past the 60-day window`);
      continue;
    }
    p.claim({
      type: 'lost_warehouse', key, quantity: 1, amount: p.cost(a), currency: main.currency,
      deadline: p.ago(ago) + LOST.deadline, pendingUntil: p.ago(ago) + LOST.grace,
      scenario: `a busy SKU loses a unit every 3 weeks: the loss ${ago} days ago is claimed on its own, by its Transaction Item ID`,
    });
  }
}

/** reimbursement_reversal: Amazon took a reimbursement back though the units were never found. */
export function plantReversals(p: Planter, main: Marketplace, others: readonly Marketplace[]): void {
  const REVERSAL = POLICY.reimbursementReversal;
  // A loss paid at cost 80 days after it, taken back `reversedAgo` days ago; `foundAgo`: the units turned up.
  const reversed = (market: Marketplace, units: number, reversedAgo: number, foundAgo?: number) => {
    const a = p.product(market);
    adjust(p.world, a, p.ago(reversedAgo + 100), -units, 'M', { resolved: true });
    const original = reimburse(p.world, { day: p.ago(reversedAgo + 60), reason: 'Lost_Warehouse', product: a, amountPerUnitMinor: p.cost(a), cash: units });
    if (foundAgo !== undefined) adjust(p.world, a, p.ago(foundAgo), units, 'F');
    const reversal = reimburse(p.world, { day: p.ago(reversedAgo), reason: 'Reimbursement_Reversal', product: a, amountPerUnitMinor: p.cost(a), cash: -units, original });
    return { a, reversal };
  };
  const claim = (market: Marketplace, units: number, reversedAgo: number, scenario: string) => {
    const { a, reversal } = reversed(market, units, reversedAgo);
    p.claim({
      type: 'reimbursement_reversal', key: { reimbursement_id: reversal.id }, quantity: units, amount: units * p.cost(a),
      currency: market.currency, deadline: p.ago(reversedAgo) + REVERSAL.deadline, scenario,
    });
  };
  claim(main, 2, 20, 'Amazon took back a 2-unit Lost_Warehouse payment 20 days ago; the units were never found');
  claim(main, 1, 70, 'reversed 70 days ago, never found: expired');
  for (const market of others.slice(0, 1)) claim(market, 1, 12, `reversed in the ${market.code} store`);

  const { reversal } = reversed(main, 1, 15, 40);
  p.negative('reimbursement_reversal', { reimbursement_id: reversal.id }, 'reversed after the unit was found again (F between the two approvals)');
}
