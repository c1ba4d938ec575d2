import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION_CONFIG, detectFromRows, resolveDetectionConfig } from '../../src/detection/index.js';
import { ago, AS_OF, ledger, removalShipment } from './support/rows.js';

describe('detection configuration', () => {
  it('defaults to DETECTION.md’s (version 2) windows, grace periods and 1% tolerance', () => {
    expect(DEFAULT_DETECTION_CONFIG).toEqual({
      lostWarehouse: { lookbackDays: 60, deadlineDays: 60, graceDays: 14 },
      damagedWarehouse: { lookbackDays: 60, deadlineDays: 60 },
      inboundShortage: { deadlineDays: 60, graceDays: 15 },
      refundNotReturned: { deadlineDays: 120, graceDays: 60 },
      returnDamaged: { deadlineDays: 120, graceDays: 60 },
      replacementNotReturned: { deadlineDays: 120, graceDays: 60 },
      removalShortfall: { deadlineDays: 60 },
      removalLostInTransit: { deadlineDays: 75, graceDays: 15 },
      feeOvercharge: { lookbackDays: 90, deadlineDays: 90, toleranceBasisPoints: 100 },
      underpaidReimbursement: { deadlineDays: 60, toleranceBasisPoints: 100 },
      reimbursementReversal: { deadlineDays: 60 },
    });
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
