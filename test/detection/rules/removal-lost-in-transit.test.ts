import { describe, expect, it } from 'vitest';
import { detectFromRows } from '../../../src/detection/index.js';
import { ago, AS_OF, cost, removalReceipt, removalShipment, run } from '../support/rows.js';

describe('removal_lost_in_transit', () => {
  it('claims the units of a removal parcel the seller did not receive, at unit cost, due 75 days after it shipped', async () => {
    const claims = await run('removal_lost_in_transit', {
      costs: [cost('6.00', { line: 2 })],
      removalReceipts: [removalReceipt({ order: 'RMV-1', tracking: '1Z999', received: 4, date: ago(20), line: 3 })],
      removalShipments: [removalShipment({ date: ago(30), order: 'RMV-1', tracking: '1Z999', shipped: 12, line: 7 })],
    });
    expect(claims).toEqual([
      {
        type: 'removal_lost_in_transit',
        status: 'eligible',
        sku: 'SKU-1',
        fnsku: 'X001',
        quantity: 8,
        amount: { minor: 4800, currency: 'USD' },
        deadline: ago(30 - 75),
        key: { removal_order_id: 'RMV-1', sku: 'SKU-1', tracking_number: '1Z999' },
        sources: [
          { file: 'costs.csv', line: 2 },
          { file: 'removal-receipts.csv', line: 3 },
          { file: 'removal-shipments.tsv', line: 7 },
        ],
        filing: { event_date: ago(30), carrier: 'UPS', tracking_number: '1Z999' },
      },
    ]);
  });

  it('a parcel with no receipt recorded, or a receipt of 0, is claimed whole; one received in full is not', async () => {
    const claims = await run('removal_lost_in_transit', {
      removalReceipts: [removalReceipt({ order: 'RMV-2', tracking: 'T2', received: 0 }), removalReceipt({ order: 'RMV-3', tracking: 'T3', received: 5, date: ago(25) })],
      removalShipments: [
        removalShipment({ date: ago(30), order: 'RMV-1', tracking: 'T1', shipped: 3 }),
        removalShipment({ date: ago(30), order: 'RMV-2', tracking: 'T2', shipped: 2 }),
        removalShipment({ date: ago(30), order: 'RMV-3', tracking: 'T3', shipped: 5 }),
      ],
    });
    expect(claims.map((c) => [c.key.removal_order_id, c.quantity])).toEqual([
      ['RMV-1', 3],
      ['RMV-2', 2],
    ]);
  });

  it('matches receipts by order, SKU and tracking number, whatever the tracking number’s case and spaces', async () => {
    const claims = await run('removal_lost_in_transit', {
      removalReceipts: [removalReceipt({ order: 'RMV-1', tracking: '1z 999', received: 2 }), removalReceipt({ order: 'RMV-1', tracking: 'OTHER', received: 2 })],
      removalShipments: [removalShipment({ date: ago(30), order: 'RMV-1', tracking: '1Z999', shipped: 3 })],
    });
    expect(claims.map((c) => [c.key.tracking_number, c.quantity])).toEqual([['1Z999', 1]]);
  });

  it('is pending until 15 days after the shipment and expired after 75 (near misses on both ends)', async () => {
    const statusAt = async (daysAgo: number) =>
      (await run('removal_lost_in_transit', { removalReceipts: [], removalShipments: [removalShipment({ date: ago(daysAgo), order: 'RMV-1', tracking: 'T', shipped: 1 })] }))[0]?.status;
    expect(await statusAt(14)).toBe('pending');
    expect(await statusAt(15)).toBe('eligible');
    expect(await statusAt(75)).toBe('eligible');
    expect(await statusAt(76)).toBe('expired');
  });

  it('a receipt recorded after the as-of day was not known that day', async () => {
    const claims = await run('removal_lost_in_transit', {
      removalReceipts: [removalReceipt({ order: 'RMV-1', tracking: 'T', received: 1, date: ago(-1) })],
      removalShipments: [removalShipment({ date: ago(30), order: 'RMV-1', tracking: 'T', shipped: 1 })],
    });
    expect(claims.map((c) => c.quantity)).toEqual([1]);
  });

  it('is not looked for until the seller keeps removal receipts: an unanswered parcel is no claim', async () => {
    const result = await detectFromRows(
      { removalShipments: [removalShipment({ date: ago(30), order: 'RMV-1', tracking: 'T', shipped: 1 })] },
      { asOf: AS_OF, types: ['removal_lost_in_transit'] },
    );
    expect(result.claims).toEqual([]);
    expect(result.notLookedFor).toEqual([{ type: 'removal_lost_in_transit', missing: ['removalReceipts'] }]);
  });
});
