import { describe, expect, it } from 'vitest';
import { ago, cost, customerReturn, reimbursement, run, sale } from '../support/rows.js';

describe('return_damaged', () => {
  it('claims returns damaged by Amazon or its carrier at the order’s sale price', async () => {
    const claims = await run('return_damaged', {
      customerReturns: [
        customerReturn({ date: ago(20), order: '111-1', disposition: 'DAMAGED', line: 5 }),
        customerReturn({ date: ago(30), order: '111-2', disposition: 'CARRIER_DAMAGED', qty: 2 }),
      ],
      reimbursements: [],
      customerShipments: [sale({ order: '111-1', price: '24.99', line: 9 }), sale({ order: '111-2', qty: 3, price: '30.00' })],
    });
    expect(claims.map((c) => [c.key.order_id, c.quantity, c.amount?.minor, c.deadline, c.status])).toEqual([
      ['111-2', 2, 2000, ago(30 - 60), 'eligible'],
      ['111-1', 1, 2499, ago(20 - 60), 'eligible'],
    ]);
    expect(claims[1]?.sources).toEqual([
      { file: 'returns.tsv', line: 5 },
      { file: 'shipments.tsv', line: 9 },
    ]);
  });

  it('customer-damaged and defective returns are never claimed', async () => {
    const claims = await run('return_damaged', {
      customerReturns: [
        customerReturn({ date: ago(20), order: '111-1', disposition: 'CUSTOMER_DAMAGED' }),
        customerReturn({ date: ago(20), order: '111-2', disposition: 'DEFECTIVE' }),
        customerReturn({ date: ago(20), order: '111-3', disposition: 'SELLABLE' }),
      ],
      reimbursements: [],
    });
    expect(claims).toEqual([]);
  });

  it('an order already reimbursed is not claimed', async () => {
    const claims = await run('return_damaged', {
      customerReturns: [customerReturn({ date: ago(20), order: '111-1', disposition: 'DAMAGED' })],
      reimbursements: [reimbursement({ date: ago(5), reason: 'CustomerReturn', order: '111-1' })],
    });
    expect(claims).toEqual([]);
  });

  it('falls back to unit cost, then to the average sale price (flagged), then to an unknown value', async () => {
    const returns = [customerReturn({ date: ago(20), order: '111-1', disposition: 'DAMAGED', qty: 2 })];
    const atCost = await run('return_damaged', { customerReturns: returns, reimbursements: [], costs: [cost('8.00')] });
    expect(atCost[0]).toMatchObject({ amount: { minor: 1600, currency: 'USD' } });
    expect(atCost[0]).not.toHaveProperty('valuation');
    const estimated = await run('return_damaged', { customerReturns: returns, reimbursements: [], customerShipments: [sale({ order: '999', price: '15.00' })] });
    expect(estimated[0]).toMatchObject({ amount: { minor: 3000, currency: 'USD' }, valuation: 'sale_price_estimate' });
    const unknown = await run('return_damaged', { customerReturns: returns, reimbursements: [] });
    expect(unknown[0]?.amount).toBeNull();
  });

  it('a return older than 60 days is reported as expired, never eligible', async () => {
    const claims = await run('return_damaged', { customerReturns: [customerReturn({ date: ago(61), order: '111-1', disposition: 'Carrier Damaged' })], reimbursements: [] });
    expect(claims[0]).toMatchObject({ status: 'expired', deadline: ago(1) });
  });
});
