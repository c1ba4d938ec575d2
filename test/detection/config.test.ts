import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION_CONFIG, detectFromRows, resolveDetectionConfig } from '../../src/detection/index.js';
import { ago, AS_OF, ledger, removalShipment } from './support/rows.js';

describe('detection configuration', () => {
  it('by default a warehouse loss is claimed for 60 days, due 60 days after it, and waits 14 days for Amazon to pay it by itself', async () => {
    const claimOf = async (daysAgo: number) =>
      (await detectFromRows({ reimbursements: [], ledger: [ledger({ date: ago(daysAgo), qty: -1, reason: 'M' })] }, { asOf: AS_OF })).claims.map((c) => [c.deadline, c.status]);
    expect(await claimOf(13)).toEqual([[ago(13 - 60), 'pending']]);
    expect(await claimOf(14)).toEqual([[ago(14 - 60), 'eligible']]);
    expect(await claimOf(59)).toEqual([[ago(59 - 60), 'eligible']]);
    expect(await claimOf(61)).toEqual([]);
    // Shared by every run: nobody can change the defaults under another caller.
    expect(Object.isFrozen(DEFAULT_DETECTION_CONFIG.lostWarehouse)).toBe(true);
  });

  it('a changed window changes what is claimed and when it is due', async () => {
    const rows = { reimbursements: [], ledger: [ledger({ date: ago(100), qty: -1, reason: 'M' })] };
    expect((await detectFromRows(rows, { asOf: AS_OF })).claims).toEqual([]);
    const longer = await detectFromRows(rows, { asOf: AS_OF, config: { lostWarehouse: { lookbackDays: 540, deadlineDays: 540 } } });
    expect(longer.claims.map((c) => [c.quantity, c.deadline, c.status])).toEqual([[1, ago(100 - 540), 'eligible']]);
  });

  it('refuses unknown settings and values that are not whole days', () => {
    expect(() => resolveDetectionConfig({ lostWarehouse: { graceDays: 1.5 } })).toThrow(/whole number/);
    expect(() => resolveDetectionConfig({ lostWarehouse: { graceDays: -1 } })).toThrow(/whole number/);
    expect(() => resolveDetectionConfig({ lostWarehouse: { windowDays: 3 } as never })).toThrow(/unknown detection setting/);
    expect(resolveDetectionConfig({ feeOvercharge: { toleranceBasisPoints: 250 } }).feeOvercharge).toEqual({ lookbackDays: 90, deadlineDays: 90, toleranceBasisPoints: 250 });
  });

  it('the windows of the new claim types are settings too', async () => {
    const rows = { removalReceipts: [], removalShipments: [removalShipment({ date: ago(80), order: 'RMV-1', tracking: 'T', shipped: 1 })] };
    expect((await detectFromRows(rows, { asOf: AS_OF })).claims.map((c) => c.status)).toEqual(['expired']);
    const longer = await detectFromRows(rows, { asOf: AS_OF, config: { removalLostInTransit: { deadlineDays: 90 } } });
    expect(longer.claims.map((c) => [c.status, c.deadline])).toEqual([['eligible', ago(80 - 90)]]);
  });
});
