import { describe, expect, it } from 'vitest';
import { ago, cost, reimbursement, run } from '../support/rows.js';

describe('underpaid_reimbursement', () => {
  it('claims the difference between unit cost and the amount paid per unit, for the units paid in cash', async () => {
    const claims = await run('underpaid_reimbursement', {
      costs: [cost('12.00', { line: 4 })],
      reimbursements: [reimbursement({ date: ago(20), id: 'R100', reason: 'Lost_Warehouse', perUnit: '9.50', cash: 2, inventory: 1, line: 8 })],
    });
    expect(claims).toEqual([
      {
        type: 'underpaid_reimbursement',
        status: 'eligible',
        sku: 'SKU-1',
        fnsku: 'X001',
        quantity: 2,
        amount: { minor: 500, currency: 'USD' },
        deadline: ago(20 - 60),
        key: { reimbursement_id: 'R100' },
        sources: [
          { file: 'costs.csv', line: 4 },
          { file: 'reimbursements.tsv', line: 8 },
        ],
        filing: { event_date: ago(20) },
      },
    ]);
  });

  it('a payment within 1% of the unit cost is not underpaid', async () => {
    const claims = await run('underpaid_reimbursement', {
      costs: [cost('10.00')],
      reimbursements: [reimbursement({ date: ago(20), reason: 'Damaged_Warehouse', perUnit: '9.90' })],
    });
    expect(claims).toEqual([]);
    const below = await run('underpaid_reimbursement', { costs: [cost('10.00')], reimbursements: [reimbursement({ date: ago(20), reason: 'Damaged_Warehouse', perUnit: '9.89' })] });
    expect(below[0]?.amount).toEqual({ minor: 11, currency: 'USD' });
  });

  it('only cash reimbursements for lost or damaged units are looked at', async () => {
    const claims = await run('underpaid_reimbursement', {
      costs: [cost('10.00')],
      reimbursements: [
        reimbursement({ date: ago(20), reason: 'Lost_Warehouse', perUnit: '1.00', cash: 0, inventory: 2 }),
        reimbursement({ date: ago(20), reason: 'CustomerReturn', perUnit: '1.00' }),
      ],
    });
    expect(claims).toEqual([]);
  });

  it('compares with the cost in the reimbursement’s currency only', async () => {
    const claims = await run('underpaid_reimbursement', {
      costs: [cost('10.00'), cost('14.00', { currency: 'CAD' })],
      reimbursements: [
        reimbursement({ date: ago(20), id: 'R1', reason: 'Lost_Warehouse', perUnit: '12.00', currency: 'CAD' }),
        reimbursement({ date: ago(20), id: 'R2', reason: 'Lost_Warehouse', perUnit: '5.00', currency: 'EUR' }),
      ],
    });
    expect(claims.map((c) => [c.key.reimbursement_id, c.amount])).toEqual([['R1', { minor: 200, currency: 'CAD' }]]);
  });

  it('is expired 60 days after approval', async () => {
    const claims = await run('underpaid_reimbursement', { costs: [cost('10.00')], reimbursements: [reimbursement({ date: ago(61), reason: 'Lost_Warehouse', perUnit: '5.00' })] });
    expect(claims[0]?.status).toBe('expired');
  });

  it('covers Lost_Inbound payments too, which Amazon also makes at manufacturing cost', async () => {
    const claims = await run('underpaid_reimbursement', {
      costs: [cost('10.00')],
      reimbursements: [
        reimbursement({ date: ago(20), id: 'R-IN', reason: 'Lost_Inbound', perUnit: '7.00', cash: 3 }),
        reimbursement({ date: ago(20), id: 'R-IN-OK', reason: 'Lost_Inbound', perUnit: '9.90', cash: 3 }),
        reimbursement({ date: ago(20), id: 'R-OUT', reason: 'Damaged_Outbound', perUnit: '1.00' }),
      ],
    });
    expect(claims.map((c) => [c.key.reimbursement_id, c.quantity, c.amount?.minor])).toEqual([['R-IN', 3, 900]]);
  });
});
