import { describe, expect, it } from 'vitest';
import { detectFromRows } from '../../../src/detection/index.js';
import { ago, AS_OF, customerReturn, ledger, refund, reimbursement, run } from '../support/rows.js';

describe('refund_not_returned', () => {
  it('claims the refunded principal of an order whose unit never came back', async () => {
    const claims = await run('refund_not_returned', {
      financialEvents: [refund({ date: ago(70), order: '111-1', principal: '19.99', qty: 1, line: 40 })],
      customerReturns: [],
      reimbursements: [],
      ledger: [ledger({ date: ago(200), qty: 0, event: 'Receipts', fnsku: 'X001', sku: 'SKU-1' })],
    });
    expect(claims).toEqual([
      {
        type: 'refund_not_returned',
        status: 'eligible',
        sku: 'SKU-1',
        fnsku: 'X001',
        asin: 'B001',
        quantity: 1,
        amount: { minor: 1999, currency: 'USD' },
        deadline: ago(70 - 120),
        key: { order_id: '111-1', sku: 'SKU-1' },
        sources: [{ file: 'financial-events.json', line: 40 }],
        filing: { event_date: ago(70), order_id: '111-1' },
      },
    ]);
  });

  it('is pending for 60 days after the refund, and expired 120 days after it', async () => {
    const at = async (daysAgo: number) =>
      (await run('refund_not_returned', { financialEvents: [refund({ date: ago(daysAgo), order: '111-1', principal: '5.00' })], customerReturns: [], reimbursements: [] }))[0]?.status;
    expect(await at(59)).toBe('pending');
    expect(await at(60)).toBe('eligible');
    expect(await at(120)).toBe('eligible');
    expect(await at(121)).toBe('expired');
  });

  it('a unit that was returned, in any condition, is not claimed', async () => {
    const claims = await run('refund_not_returned', {
      financialEvents: [refund({ date: ago(70), order: '111-1', principal: '5.00' }), refund({ date: ago(70), order: '111-2', principal: '5.00' })],
      customerReturns: [customerReturn({ date: ago(65), order: '111-1', disposition: 'SELLABLE' }), customerReturn({ date: ago(65), order: '111-2', disposition: 'CUSTOMER_DAMAGED' })],
      reimbursements: [],
    });
    expect(claims).toEqual([]);
  });

  it('an order Amazon already reimbursed is not claimed', async () => {
    const claims = await run('refund_not_returned', {
      financialEvents: [refund({ date: ago(70), order: '111-1', principal: '5.00' })],
      customerReturns: [],
      reimbursements: [reimbursement({ date: ago(10), reason: 'CustomerReturn', order: '111-1' })],
    });
    expect(claims).toEqual([]);
  });

  it('sums the refunds of one order and SKU, and keeps orders apart', async () => {
    const claims = await run('refund_not_returned', {
      financialEvents: [
        refund({ date: ago(80), order: '111-1', principal: '5.00' }),
        refund({ date: ago(70), order: '111-1', principal: '7.50' }),
        refund({ date: ago(70), order: '111-2', principal: '1.00', sku: 'SKU-2' }),
      ],
      customerReturns: [],
      reimbursements: [],
    });
    expect(claims.map((c) => [c.key.order_id, c.quantity, c.amount?.minor, c.deadline])).toEqual([
      ['111-1', 2, 1250, ago(80 - 120)],
      ['111-2', 1, 100, ago(70 - 120)],
    ]);
  });

  it('is not looked for without the customer returns report', async () => {
    const result = await detectFromRows({ financialEvents: [refund({ date: ago(70), order: '111-1', principal: '5.00' })], reimbursements: [] }, { asOf: AS_OF, types: ['refund_not_returned'] });
    expect(result.claims).toEqual([]);
    expect(result.notLookedFor).toEqual([{ type: 'refund_not_returned', missing: ['customerReturns'] }]);
  });

  it('with several refunds, the earliest dates both the grace and the deadline', async () => {
    const claims = await run('refund_not_returned', {
      financialEvents: [refund({ date: ago(65), order: '111-1', principal: '5.00' }), refund({ date: ago(30), order: '111-1', principal: '5.00' })],
      customerReturns: [],
      reimbursements: [],
    });
    expect(claims[0]).toMatchObject({ status: 'eligible', deadline: ago(65 - 120), filing: { event_date: ago(65), order_id: '111-1' } });
  });

  it('reads refunds from Finances 2024-06-19 transactions when there are no v0 financial events', async () => {
    const result = await detectFromRows(
      { transactions: [refund({ date: ago(70), order: '111-1', principal: '19.99', file: 'transactions.json', line: 4 })], customerReturns: [], reimbursements: [] },
      { asOf: AS_OF, types: ['refund_not_returned'] },
    );
    expect(result.claims.map((c) => [c.key.order_id, c.amount?.minor, c.sources])).toEqual([['111-1', 1999, [{ file: 'transactions.json', line: 4 }]]]);
    const both = await run('refund_not_returned', {
      financialEvents: [refund({ date: ago(70), order: '111-1', principal: '19.99' })],
      transactions: [refund({ date: ago(70), order: '111-2', principal: '9.99', file: 'transactions.json' })],
      customerReturns: [],
      reimbursements: [],
    });
    expect(both.map((c) => c.key.order_id)).toEqual(['111-1']);
  });
});
