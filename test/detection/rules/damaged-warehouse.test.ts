import { describe, expect, it } from 'vitest';
import { adjustment, ago, cost, ledger, reimbursement, run } from '../support/rows.js';

const damaged = (daysAgo: number, qty: number, reason = 'E') => ledger({ date: ago(daysAgo), qty: -qty, reason });

describe('damaged_warehouse', () => {
  it('claims units damaged in the warehouse under any damage code, deadline 60 days after the first', async () => {
    const claims = await run('damaged_warehouse', {
      costs: [cost('5.00')],
      reimbursements: [],
      ledger: ['E', '6', '7', 'H', 'K', 'U'].map((reason, i) => damaged(50 - i, 1, reason)),
    });
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ type: 'damaged_warehouse', status: 'eligible', quantity: 6, amount: { minor: 3000, currency: 'USD' }, deadline: ago(-10), key: { fnsku: 'X001' } });
    expect(claims[0]?.sources.filter((s) => s.file === 'ledger.tsv')).toHaveLength(6);
  });

  it('the P that moves damaged units into the damaged disposition is not a recovery', async () => {
    const claims = await run('damaged_warehouse', { reimbursements: [], ledger: [damaged(40, 2), ledger({ date: ago(40), qty: 2, reason: 'P' })] });
    expect(claims.map((c) => c.quantity)).toEqual([2]);
  });

  it('units reimbursed as Damaged_Warehouse are not claimed; a partial reimbursement leaves the rest', async () => {
    const paid = await run('damaged_warehouse', { reimbursements: [reimbursement({ date: ago(30), reason: 'Damaged_Warehouse', cash: 2 })], ledger: [damaged(40, 2)] });
    expect(paid).toEqual([]);
    const partly = await run('damaged_warehouse', { reimbursements: [reimbursement({ date: ago(30), reason: 'Damaged_Warehouse', cash: 1 })], ledger: [damaged(40, 3)] });
    expect(partly.map((c) => c.quantity)).toEqual([2]);
    const viaEvent = await run('damaged_warehouse', { financialEvents: [adjustment({ date: ago(30), type: 'WAREHOUSE_DAMAGE', qty: 3, fnsku: 'X001' })], ledger: [damaged(40, 3)] });
    expect(viaEvent).toEqual([]);
  });

  it('a Lost_Warehouse reimbursement does not pay for damaged units', async () => {
    const claims = await run('damaged_warehouse', { reimbursements: [reimbursement({ date: ago(30), reason: 'Lost_Warehouse', cash: 2 })], ledger: [damaged(40, 2)] });
    expect(claims.map((c) => c.quantity)).toEqual([2]);
  });

  it('damage older than 60 days is not claimed, and lost or found codes are not damage', async () => {
    const claims = await run('damaged_warehouse', {
      reimbursements: [],
      ledger: [damaged(61, 2), ledger({ date: ago(10), qty: -1, reason: 'M' }), ledger({ date: ago(10), qty: -1, reason: 'D' })],
    });
    expect(claims).toEqual([]);
  });
});
