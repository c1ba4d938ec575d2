import { describe, expect, it } from 'vitest';
import { detectFromRows } from '../../../src/detection/index.js';
import { ago, AS_OF, cost, customerReturn, reimbursement, replacement, run, sale } from '../support/rows.js';

describe('replacement_not_returned', () => {
  it('claims a replacement whose original unit never came back, at the original order’s sale price', async () => {
    const claims = await run('replacement_not_returned', {
      replacements: [replacement({ date: ago(70), original: '111-1', replacementOrder: '112-9', fc: 'PHX7', line: 4 })],
      customerReturns: [],
      reimbursements: [],
      customerShipments: [sale({ order: '111-1', price: '24.99', line: 8 }), sale({ order: '112-9', price: '0.00' })],
    });
    expect(claims).toEqual([
      {
        type: 'replacement_not_returned',
        status: 'eligible',
        sku: 'SKU-1',
        fnsku: null,
        asin: 'B001',
        quantity: 1,
        amount: { minor: 2499, currency: 'USD' },
        deadline: ago(70 - 120),
        key: { order_id: '111-1', sku: 'SKU-1' },
        sources: [
          { file: 'replacements.tsv', line: 4 },
          { file: 'shipments.tsv', line: 8 },
        ],
        filing: { event_date: ago(70), order_id: '111-1', replacement_order_id: '112-9', fulfillment_center: 'PHX7', original_fulfillment_center: 'ONT8' },
      },
    ]);
  });

  it('is pending until 60 days after the replacement shipped and expired after 120 (near misses on both ends)', async () => {
    const statusAt = async (daysAgo: number) =>
      (await run('replacement_not_returned', { replacements: [replacement({ date: ago(daysAgo), original: '111-1' })], customerReturns: [], reimbursements: [] }))[0]?.status;
    expect(await statusAt(59)).toBe('pending');
    expect(await statusAt(60)).toBe('eligible');
    expect(await statusAt(120)).toBe('eligible');
    expect(await statusAt(121)).toBe('expired');
  });

  it('an original returned in any condition, or an order Amazon reimbursed, is not claimed', async () => {
    const claims = await run('replacement_not_returned', {
      replacements: [replacement({ date: ago(70), original: '111-1' }), replacement({ date: ago(70), original: '111-2' }), replacement({ date: ago(70), original: '111-3' })],
      customerReturns: [customerReturn({ date: ago(65), order: '111-1', disposition: 'CUSTOMER_DAMAGED' })],
      reimbursements: [reimbursement({ date: ago(10), reason: 'CustomerReturn', order: '111-2' })],
    });
    expect(claims.map((c) => c.key.order_id)).toEqual(['111-3']);
  });

  it('a return of another SKU of the original order does not count as the replaced unit coming back', async () => {
    const claims = await run('replacement_not_returned', {
      replacements: [replacement({ date: ago(70), original: '111-1' })],
      customerReturns: [customerReturn({ date: ago(65), order: '111-1', sku: 'SKU-2', disposition: 'SELLABLE' })],
      reimbursements: [],
    });
    expect(claims.map((c) => c.key.order_id)).toEqual(['111-1']);
  });

  it('sums the replacements of one original order and SKU, dated by the earliest', async () => {
    const claims = await run('replacement_not_returned', {
      replacements: [replacement({ date: ago(80), original: '111-1' }), replacement({ date: ago(70), original: '111-1', qty: 2 })],
      customerReturns: [],
      reimbursements: [],
      costs: [cost('5.00')],
    });
    expect(claims.map((c) => [c.quantity, c.amount?.minor, c.deadline])).toEqual([[3, 1500, ago(80 - 120)]]);
  });

  it('without the original order’s price: the unit cost, then the average sale price (flagged)', async () => {
    const atCost = await run('replacement_not_returned', { replacements: [replacement({ date: ago(70), original: '111-1', qty: 2 })], customerReturns: [], reimbursements: [], costs: [cost('8.00')] });
    expect(atCost[0]?.amount).toEqual({ minor: 1600, currency: 'USD' });
    const estimated = await run('replacement_not_returned', {
      replacements: [replacement({ date: ago(70), original: '111-1' })],
      customerReturns: [],
      reimbursements: [],
      customerShipments: [sale({ order: '999', price: '15.00' })],
    });
    expect(estimated[0]).toMatchObject({ amount: { minor: 1500, currency: 'USD' }, valuation: 'sale_price_estimate' });
  });

  it('is not looked for without the customer returns report', async () => {
    const result = await detectFromRows({ replacements: [replacement({ date: ago(70), original: '111-1' })], reimbursements: [] }, { asOf: AS_OF, types: ['replacement_not_returned'] });
    expect(result.claims).toEqual([]);
    expect(result.notLookedFor).toEqual([{ type: 'replacement_not_returned', missing: ['customerReturns'] }]);
  });
});
