import { describe, expect, it } from 'vitest';
import { adjustment, ago, cost, ledger, reimbursement, run } from '../support/rows.js';

const damaged = (daysAgo: number, qty: number, reason = 'E', extra: Partial<Parameters<typeof ledger>[0]> = {}) => ledger({ date: ago(daysAgo), qty: -qty, reason, ...extra });

describe('damaged_warehouse', () => {
  it('claims each damage event under any damage code, keyed by its Transaction Item ID, due 60 days after it', async () => {
    const claims = await run('damaged_warehouse', {
      costs: [cost('5.00')],
      reimbursements: [],
      ledger: ['E', '6', '7', 'H', 'K', 'U'].map((reason, i) => damaged(50 - i, 1, reason, { ref: `TI-${reason}`, fc: 'PHX7', disposition: 'SELLABLE' })),
    });
    expect(claims.map((c) => [c.key.reference_id, c.quantity, c.deadline])).toEqual(['E', '6', '7', 'H', 'K', 'U'].map((reason, i) => [`TI-${reason}`, 1, ago(50 - i - 60)]));
    expect(claims[0]).toMatchObject({
      type: 'damaged_warehouse',
      status: 'eligible',
      amount: { minor: 500, currency: 'USD' },
      key: { fnsku: 'X001', reference_id: 'TI-E' },
      filing: { event_date: ago(50), transaction_item_id: 'TI-E', fulfillment_center: 'PHX7', disposition: 'SELLABLE' },
    });
  });

  it('the P that moves damaged units into the damaged disposition is not a recovery', async () => {
    const claims = await run('damaged_warehouse', { reimbursements: [], ledger: [damaged(40, 2), ledger({ date: ago(40), qty: 2, reason: 'P' })] });
    expect(claims.map((c) => c.quantity)).toEqual([2]);
  });

  it('units reimbursed as Damaged_Warehouse are not claimed; a partial payment covers the oldest damage first', async () => {
    const paid = await run('damaged_warehouse', { reimbursements: [reimbursement({ date: ago(30), reason: 'Damaged_Warehouse', cash: 2 })], ledger: [damaged(40, 2)] });
    expect(paid).toEqual([]);
    const partly = await run('damaged_warehouse', {
      reimbursements: [reimbursement({ date: ago(30), reason: 'Damaged_Warehouse', cash: 2 })],
      ledger: [damaged(40, 1, 'E', { ref: 'OLD' }), damaged(35, 3, 'E', { ref: 'NEW' })],
    });
    expect(partly.map((c) => [c.key.reference_id, c.quantity])).toEqual([['NEW', 2]]);
    const viaEvent = await run('damaged_warehouse', { financialEvents: [adjustment({ date: ago(30), type: 'WAREHOUSE_DAMAGE', qty: 3, fnsku: 'X001' })], ledger: [damaged(40, 3)] });
    expect(viaEvent).toEqual([]);
  });

  it('a payment approved on the day of the damage covers it; one approved the day before does not', async () => {
    expect(await run('damaged_warehouse', { reimbursements: [reimbursement({ date: ago(40), reason: 'Damaged_Warehouse' })], ledger: [damaged(40, 1)] })).toEqual([]);
    const before = await run('damaged_warehouse', { reimbursements: [reimbursement({ date: ago(41), reason: 'Damaged_Warehouse' })], ledger: [damaged(40, 1)] });
    expect(before.map((c) => c.quantity)).toEqual([1]);
  });

  it('a Lost_Warehouse reimbursement does not pay for damaged units', async () => {
    const claims = await run('damaged_warehouse', { reimbursements: [reimbursement({ date: ago(30), reason: 'Lost_Warehouse', cash: 2 })], ledger: [damaged(40, 2)] });
    expect(claims.map((c) => c.quantity)).toEqual([2]);
  });

  it('damage 60 days ago is claimed (due today); 61 days ago it is past the window; lost or disposed codes are not damage', async () => {
    const onLastDay = await run('damaged_warehouse', { reimbursements: [], ledger: [damaged(60, 1)] });
    expect(onLastDay[0]).toMatchObject({ status: 'eligible', deadline: ago(0) });
    const claims = await run('damaged_warehouse', {
      reimbursements: [],
      ledger: [damaged(61, 2), ledger({ date: ago(10), qty: -1, reason: 'M' }), ledger({ date: ago(10), qty: -1, reason: 'D' })],
    });
    expect(claims).toEqual([]);
  });
});
