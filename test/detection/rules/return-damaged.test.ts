import { describe, expect, it } from 'vitest';
import { ago, cost, customerReturn, refund, reimbursement, run, sale } from '../support/rows.js';

describe('return_damaged', () => {
  it('claims returns damaged by Amazon or its carrier at the order’s sale price, in the window 60 to 120 days after the refund', async () => {
    const claims = await run('return_damaged', {
      financialEvents: [refund({ date: ago(75), order: '111-1', principal: '24.99', line: 3 }), refund({ date: ago(90), order: '111-2', qty: 2, sku: 'SKU-1', principal: '60.00' })],
      customerReturns: [
        { ...customerReturn({ date: ago(70), order: '111-1', disposition: 'DAMAGED', line: 5 }), fulfillmentCenter: 'PHX7' },
        customerReturn({ date: ago(85), order: '111-2', disposition: 'CARRIER_DAMAGED', qty: 2 }),
      ],
      reimbursements: [],
      customerShipments: [sale({ order: '111-1', price: '24.99', line: 9 }), sale({ order: '111-2', qty: 3, price: '30.00' })],
    });
    expect(claims.map((c) => [c.key.order_id, c.quantity, c.amount?.minor, c.deadline, c.status])).toEqual([
      ['111-2', 2, 2000, ago(90 - 120), 'eligible'],
      ['111-1', 1, 2499, ago(75 - 120), 'eligible'],
    ]);
    expect(claims[1]?.sources).toEqual([
      { file: 'financial-events.json', line: 3 },
      { file: 'returns.tsv', line: 5 },
      { file: 'shipments.tsv', line: 9 },
    ]);
    expect(claims[1]?.filing).toEqual({ event_date: ago(75), order_id: '111-1', return_date: ago(70), fulfillment_center: 'PHX7' });
  });

  it('is pending until 60 days after the refund and expired after 120 (near misses on both ends)', async () => {
    const statusAt = async (refundDaysAgo: number) =>
      (
        await run('return_damaged', {
          financialEvents: [refund({ date: ago(refundDaysAgo), order: '111-1', principal: '5.00' })],
          customerReturns: [customerReturn({ date: ago(Math.max(0, refundDaysAgo - 5)), order: '111-1', disposition: 'DAMAGED' })],
          reimbursements: [],
        })
      )[0]?.status;
    expect(await statusAt(59)).toBe('pending');
    expect(await statusAt(60)).toBe('eligible');
    expect(await statusAt(120)).toBe('eligible');
    expect(await statusAt(121)).toBe('expired');
  });

  it('counts from the earliest refund of the order and SKU; from the return when the finance data has none', async () => {
    const twoRefunds = await run('return_damaged', {
      transactions: [refund({ date: ago(100), order: '111-1', principal: '5.00', file: 'transactions.json' }), refund({ date: ago(50), order: '111-1', principal: '5.00', file: 'transactions.json' })],
      customerReturns: [customerReturn({ date: ago(95), order: '111-1', disposition: 'DAMAGED' })],
      reimbursements: [],
    });
    expect(twoRefunds[0]).toMatchObject({ status: 'eligible', deadline: ago(100 - 120) });
    const noRefund = await run('return_damaged', {
      financialEvents: [refund({ date: ago(100), order: 'OTHER', principal: '5.00' })],
      customerReturns: [customerReturn({ date: ago(30), order: '111-1', disposition: 'DAMAGED' })],
      reimbursements: [],
    });
    expect(noRefund[0]).toMatchObject({ status: 'pending', deadline: ago(30 - 120) });
    const noFinanceData = await run('return_damaged', { customerReturns: [customerReturn({ date: ago(61), order: '111-1', disposition: 'DAMAGED' })], reimbursements: [] });
    expect(noFinanceData[0]).toMatchObject({ status: 'eligible', deadline: ago(61 - 120) });
  });

  it('customer-damaged and defective returns are never claimed', async () => {
    const claims = await run('return_damaged', {
      customerReturns: [
        customerReturn({ date: ago(80), order: '111-1', disposition: 'CUSTOMER_DAMAGED' }),
        customerReturn({ date: ago(80), order: '111-2', disposition: 'DEFECTIVE' }),
        customerReturn({ date: ago(80), order: '111-3', disposition: 'SELLABLE' }),
      ],
      reimbursements: [],
    });
    expect(claims).toEqual([]);
  });

  it('an order already reimbursed is not claimed', async () => {
    const claims = await run('return_damaged', {
      customerReturns: [customerReturn({ date: ago(80), order: '111-1', disposition: 'DAMAGED' })],
      reimbursements: [reimbursement({ date: ago(5), reason: 'CustomerReturn', order: '111-1' })],
    });
    expect(claims).toEqual([]);
  });

  it('falls back to unit cost, then to the average sale price (flagged), then to an unknown value', async () => {
    const returns = [customerReturn({ date: ago(80), order: '111-1', disposition: 'DAMAGED', qty: 2 })];
    const atCost = await run('return_damaged', { customerReturns: returns, reimbursements: [], costs: [cost('8.00')] });
    expect(atCost[0]).toMatchObject({ amount: { minor: 1600, currency: 'USD' } });
    expect(atCost[0]).not.toHaveProperty('valuation');
    const estimated = await run('return_damaged', { customerReturns: returns, reimbursements: [], customerShipments: [sale({ order: '999', price: '15.00' })] });
    expect(estimated[0]).toMatchObject({ amount: { minor: 3000, currency: 'USD' }, valuation: 'sale_price_estimate' });
    const unknown = await run('return_damaged', { customerReturns: returns, reimbursements: [] });
    expect(unknown[0]?.amount).toBeNull();
  });

  it('a return whose refund is over 120 days old is reported as expired, never eligible', async () => {
    const claims = await run('return_damaged', { customerReturns: [customerReturn({ date: ago(121), order: '111-1', disposition: 'Carrier Damaged' })], reimbursements: [] });
    expect(claims[0]).toMatchObject({ status: 'expired', deadline: ago(1) });
  });
});
