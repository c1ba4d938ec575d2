import { describe, expect, it } from 'vitest';
import { adjustment, ago, cost, ledger, reimbursement, run, sale } from '../support/rows.js';

const lost = (daysAgo: number, qty: number, extra: Partial<Parameters<typeof ledger>[0]> = {}) =>
  ledger({ date: ago(daysAgo), qty: -qty, reason: 'M', ...extra });
const found = (daysAgo: number, qty: number) => ledger({ date: ago(daysAgo), qty, reason: 'F' });

describe('lost_warehouse', () => {
  it('claims units lost in the last 60 days at unit cost, with the deadline 60 days after the first loss', async () => {
    const claims = await run('lost_warehouse', {
      costs: [cost('12.40')],
      reimbursements: [],
      ledger: [lost(50, 2, { line: 10 }), lost(40, 1, { reason: '5', line: 11 })],
    });
    expect(claims).toEqual([
      {
        type: 'lost_warehouse',
        status: 'eligible',
        sku: 'SKU-1',
        fnsku: 'X001',
        asin: 'B001',
        quantity: 3,
        amount: { minor: 3720, currency: 'USD' },
        deadline: ago(50 - 60),
        key: { fnsku: 'X001' },
        sources: [
          { file: 'costs.csv', line: expect.any(Number) as number },
          { file: 'ledger.tsv', line: 10 },
          { file: 'ledger.tsv', line: 11 },
        ],
      },
    ]);
  });

  it('units found later are not claimed', async () => {
    const claims = await run('lost_warehouse', { reimbursements: [], ledger: [lost(50, 3), found(45, 1), ledger({ date: ago(44), qty: 1, reason: 'N' })] });
    expect(claims.map((c) => c.quantity)).toEqual([1]);
    const all = await run('lost_warehouse', { reimbursements: [], ledger: [lost(50, 2), found(30, 2)] });
    expect(all).toEqual([]);
  });

  it('units found before the first loss do not offset it', async () => {
    const claims = await run('lost_warehouse', { reimbursements: [], ledger: [found(55, 2), lost(50, 2)] });
    expect(claims.map((c) => c.quantity)).toEqual([2]);
  });

  it('units already reimbursed as Lost_Warehouse are not claimed, and a partial reimbursement leaves the rest', async () => {
    const paid = await run('lost_warehouse', {
      reimbursements: [reimbursement({ date: ago(45), reason: 'Lost_Warehouse', cash: 2, inventory: 1 })],
      ledger: [lost(50, 3)],
    });
    expect(paid).toEqual([]);
    const partly = await run('lost_warehouse', {
      reimbursements: [reimbursement({ date: ago(45), reason: 'Lost_Warehouse', cash: 1, line: 7 })],
      ledger: [lost(50, 3)],
    });
    expect(partly.map((c) => c.quantity)).toEqual([2]);
    expect(partly[0]?.sources).toContainEqual({ file: 'reimbursements.tsv', line: 7 });
  });

  it('a reimbursement for another reason, FNSKU or an older loss does not offset the loss', async () => {
    const claims = await run('lost_warehouse', {
      reimbursements: [
        reimbursement({ date: ago(45), reason: 'Damaged_Warehouse', cash: 3 }),
        reimbursement({ date: ago(45), reason: 'Lost_Warehouse', fnsku: 'X999', sku: 'SKU-9', cash: 3 }),
        reimbursement({ date: ago(55), reason: 'Lost_Warehouse', cash: 3 }),
      ],
      ledger: [lost(50, 3)],
    });
    expect(claims.map((c) => c.quantity)).toEqual([3]);
  });

  it('a WAREHOUSE_LOST adjustment event counts as reimbursed, without adding to the same payment in the report', async () => {
    const viaEvents = await run('lost_warehouse', {
      financialEvents: [adjustment({ date: ago(45), type: 'WAREHOUSE_LOST', qty: 2, fnsku: 'X001' })],
      ledger: [lost(50, 3)],
    });
    expect(viaEvents.map((c) => c.quantity)).toEqual([1]);
    const both = await run('lost_warehouse', {
      reimbursements: [reimbursement({ date: ago(45), reason: 'Lost_Warehouse', cash: 2 })],
      financialEvents: [adjustment({ date: ago(45), type: 'WAREHOUSE_LOST', qty: 2, fnsku: 'X001' })],
      ledger: [lost(50, 3)],
    });
    expect(both.map((c) => c.quantity)).toEqual([1]);
  });

  it('is pending inside the 30-day grace after the newest loss', async () => {
    const claims = await run('lost_warehouse', { reimbursements: [], ledger: [lost(50, 1), lost(10, 1)] });
    expect(claims[0]).toMatchObject({ status: 'pending', quantity: 2, deadline: ago(50 - 60) });
    const onGraceEnd = await run('lost_warehouse', { reimbursements: [], ledger: [lost(30, 1)] });
    expect(onGraceEnd[0]?.status).toBe('eligible');
  });

  it('losses older than 60 days are past the window and not claimed', async () => {
    expect(await run('lost_warehouse', { reimbursements: [], ledger: [lost(61, 4)] })).toEqual([]);
    const onLastDay = await run('lost_warehouse', { reimbursements: [], ledger: [lost(60, 4)] });
    expect(onLastDay[0]).toMatchObject({ status: 'eligible', deadline: ago(0) });
  });

  it('ignores positive M rows, other event types and rows dated after the as-of day', async () => {
    const claims = await run('lost_warehouse', {
      reimbursements: [],
      ledger: [ledger({ date: ago(40), qty: 2, reason: 'M' }), ledger({ date: ago(40), qty: -2, event: 'Shipments', reason: 'M' }), lost(-1, 2)],
    });
    expect(claims).toEqual([]);
  });

  it('values units at the average sale price when the cost is missing, and says so; unknown without either', async () => {
    const estimated = await run('lost_warehouse', {
      reimbursements: [],
      customerShipments: [sale({ order: 'A', price: '20.00' }), sale({ order: 'B', qty: 2, price: '50.00' }), sale({ order: 'C', price: '0.00' })],
      ledger: [lost(40, 2)],
    });
    // (20 + 50) / 3 units = 23.333 → 23.33 a unit
    expect(estimated[0]).toMatchObject({ amount: { minor: 4666, currency: 'USD' }, valuation: 'sale_price_estimate' });
    const unknown = await run('lost_warehouse', { reimbursements: [], ledger: [lost(40, 2)] });
    expect(unknown[0]?.amount).toBeNull();
    expect(unknown[0]).not.toHaveProperty('valuation');
  });

  it('takes the unit cost in the currency of the marketplace the units were lost in', async () => {
    const claims = await run('lost_warehouse', {
      costs: [cost('10.00'), cost('13.50', { currency: 'CAD' })],
      reimbursements: [],
      ledger: [lost(40, 2, { country: 'CA' })],
    });
    expect(claims[0]?.amount).toEqual({ minor: 2700, currency: 'CAD' });
  });

  it('is not looked for without a reimbursements report or financial events', async () => {
    expect(await run('lost_warehouse', { ledger: [lost(40, 2)] })).toEqual([]);
  });
});
