import { describe, expect, it } from 'vitest';
import { adjustment, ago, cost, ledger, reimbursement, run, sale } from '../support/rows.js';

const lost = (daysAgo: number, qty: number, extra: Partial<Parameters<typeof ledger>[0]> = {}) =>
  ledger({ date: ago(daysAgo), qty: -qty, reason: 'M', ...extra });
const found = (daysAgo: number, qty: number) => ledger({ date: ago(daysAgo), qty, reason: 'F' });
const brief = (c: { key: { reference_id?: string }; quantity: number; status: string; deadline: string }) => [c.key.reference_id, c.quantity, c.status, c.deadline];

describe('lost_warehouse', () => {
  it('claims each loss on its own, keyed by its Transaction Item ID, at unit cost, due 60 days after that loss', async () => {
    const claims = await run('lost_warehouse', {
      costs: [cost('12.40')],
      reimbursements: [],
      ledger: [
        lost(50, 2, { ref: 'TI-1', fc: 'PHX7', disposition: 'SELLABLE', unreconciled: -2, line: 10 }),
        lost(40, 1, { reason: '5', ref: 'TI-2', fc: 'ONT8', line: 11 }),
      ],
    });
    expect(claims[0]).toEqual({
      type: 'lost_warehouse',
      status: 'eligible',
      sku: 'SKU-1',
      fnsku: 'X001',
      asin: 'B001',
      quantity: 2,
      amount: { minor: 2480, currency: 'USD' },
      deadline: ago(50 - 60),
      key: { fnsku: 'X001', reference_id: 'TI-1' },
      sources: [
        { file: 'costs.csv', line: expect.any(Number) as number },
        { file: 'ledger.tsv', line: 10 },
      ],
      filing: { event_date: ago(50), transaction_item_id: 'TI-1', fulfillment_center: 'PHX7', disposition: 'SELLABLE', unreconciled_quantity: 2 },
    });
    expect(claims.map(brief)).toEqual([
      ['TI-1', 2, 'eligible', ago(50 - 60)],
      ['TI-2', 1, 'eligible', ago(40 - 60)],
    ]);
    expect(claims[1]?.filing).toEqual({ event_date: ago(40), transaction_item_id: 'TI-2', fulfillment_center: 'ONT8' });
  });

  it('a SKU that loses a unit every few weeks gets every loss claimed before it expires', async () => {
    // Version 1 summed these per FNSKU: pending until the newest loss + 30 days, due 60 days after
    // the oldest, so the oldest losses expired before the claim ever became fileable.
    const monthly = [lost(55, 1, { ref: 'TI-A' }), lost(28, 1, { ref: 'TI-B' }), lost(1, 1, { ref: 'TI-C' })];
    const claims = await run('lost_warehouse', { reimbursements: [], ledger: monthly });
    expect(claims.map(brief)).toEqual([
      ['TI-A', 1, 'eligible', ago(55 - 60)],
      ['TI-B', 1, 'eligible', ago(28 - 60)],
      ['TI-C', 1, 'pending', ago(1 - 60)],
    ]);
  });

  it('a loss without a Reference ID is keyed by its day; same-day rows without one are one loss', async () => {
    const claims = await run('lost_warehouse', { reimbursements: [], ledger: [lost(30, 1), lost(30, 2), lost(20, 1)] });
    expect(claims.map((c) => [c.key, c.quantity])).toEqual([
      [{ fnsku: 'X001', reference_id: ago(30) }, 3],
      [{ fnsku: 'X001', reference_id: ago(20) }, 1],
    ]);
    expect(claims[0]?.filing).toEqual({ event_date: ago(30) });
  });

  it('units found later cover the oldest losses first', async () => {
    const claims = await run('lost_warehouse', {
      reimbursements: [],
      ledger: [lost(50, 3, { ref: 'OLD' }), lost(30, 2, { ref: 'NEW' }), found(25, 2), ledger({ date: ago(24), qty: 1, reason: 'N' })],
    });
    expect(claims.map((c) => [c.key.reference_id, c.quantity])).toEqual([['NEW', 2]]);
    const all = await run('lost_warehouse', { reimbursements: [], ledger: [lost(50, 2), found(30, 2)] });
    expect(all).toEqual([]);
  });

  it('a find on the day of the loss covers it; a find the day before does not', async () => {
    expect(await run('lost_warehouse', { reimbursements: [], ledger: [lost(40, 1), found(40, 1)] })).toEqual([]);
    const dayBefore = await run('lost_warehouse', { reimbursements: [], ledger: [found(41, 1), lost(40, 1)] });
    expect(dayBefore.map((c) => c.quantity)).toEqual([1]);
  });

  it('recoveries are applied in date order, so an early find is not spent where a later payment would do', async () => {
    // The find (45 days ago) can only cover the older loss; the payment (30 days ago) covers the newer one.
    const claims = await run('lost_warehouse', {
      reimbursements: [reimbursement({ date: ago(30), reason: 'Lost_Warehouse', cash: 1 })],
      ledger: [lost(50, 1, { ref: 'A' }), lost(40, 1, { ref: 'B' }), found(45, 1)],
    });
    expect(claims).toEqual([]);
  });

  it('units already reimbursed as Lost_Warehouse are not claimed; a partial payment covers the oldest loss first', async () => {
    const paid = await run('lost_warehouse', {
      reimbursements: [reimbursement({ date: ago(45), reason: 'Lost_Warehouse', cash: 2, inventory: 1 })],
      ledger: [lost(50, 3)],
    });
    expect(paid).toEqual([]);
    const partly = await run('lost_warehouse', {
      reimbursements: [reimbursement({ date: ago(20), reason: 'Lost_Warehouse', cash: 2, line: 7 })],
      ledger: [lost(50, 1, { ref: 'A' }), lost(40, 3, { ref: 'B' })],
    });
    expect(partly.map((c) => [c.key.reference_id, c.quantity])).toEqual([['B', 2]]);
    expect(partly[0]?.sources).toContainEqual({ file: 'reimbursements.tsv', line: 7 });
  });

  it('a payment approved on the day of the loss covers it; one approved the day before does not', async () => {
    expect(await run('lost_warehouse', { reimbursements: [reimbursement({ date: ago(40), reason: 'Lost_Warehouse' })], ledger: [lost(40, 1)] })).toEqual([]);
    const before = await run('lost_warehouse', { reimbursements: [reimbursement({ date: ago(41), reason: 'Lost_Warehouse' })], ledger: [lost(40, 1)] });
    expect(before.map((c) => c.quantity)).toEqual([1]);
  });

  it('a reimbursement for another reason or FNSKU does not offset the loss', async () => {
    const claims = await run('lost_warehouse', {
      reimbursements: [
        reimbursement({ date: ago(45), reason: 'Damaged_Warehouse', cash: 3 }),
        reimbursement({ date: ago(45), reason: 'Lost_Warehouse', fnsku: 'X999', sku: 'SKU-9', cash: 3 }),
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

  it('is pending for 14 days after the loss, while Amazon’s own payment may still show', async () => {
    const inGrace = await run('lost_warehouse', { reimbursements: [], ledger: [lost(13, 1)] });
    expect(inGrace[0]).toMatchObject({ status: 'pending', deadline: ago(13 - 60) });
    const onGraceEnd = await run('lost_warehouse', { reimbursements: [], ledger: [lost(14, 1)] });
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
