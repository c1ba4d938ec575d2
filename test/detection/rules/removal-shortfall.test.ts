import { describe, expect, it } from 'vitest';
import { ago, cost, removal, run } from '../support/rows.js';

describe('removal_shortfall', () => {
  it('claims the units of a completed removal order that are not accounted for', async () => {
    const claims = await run('removal_shortfall', {
      costs: [cost('3.00')],
      removals: [removal({ date: ago(10), order: 'RMV1', requested: 10, cancelled: 1, disposed: 2, shipped: 4, inProcess: 0, line: 3 })],
    });
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({
      type: 'removal_shortfall',
      status: 'eligible',
      quantity: 3,
      amount: { minor: 900, currency: 'USD' },
      deadline: ago(10 - 60),
      key: { removal_order_id: 'RMV1', sku: 'SKU-1' },
    });
  });

  it('an order not completed, or fully accounted for, is not claimed', async () => {
    const claims = await run('removal_shortfall', {
      removals: [
        removal({ date: ago(10), order: 'RMV1', status: 'Pending', requested: 10, shipped: 2 }),
        removal({ date: ago(10), order: 'RMV2', requested: 10, shipped: 6, inProcess: 4 }),
      ],
    });
    expect(claims).toEqual([]);
  });

  it('adds up the lines of one order and dates the claim from the last update', async () => {
    const claims = await run('removal_shortfall', {
      removals: [removal({ date: ago(30), order: 'RMV1', requested: 4, shipped: 3 }), removal({ date: ago(20), order: 'RMV1', requested: 2, shipped: 1 })],
    });
    expect(claims.map((c) => [c.quantity, c.deadline])).toEqual([[2, ago(20 - 60)]]);
  });

  it('is expired 60 days after the last update', async () => {
    const claims = await run('removal_shortfall', { removals: [removal({ date: ago(61), order: 'RMV1', requested: 2 })] });
    expect(claims[0]?.status).toBe('expired');
  });
});
