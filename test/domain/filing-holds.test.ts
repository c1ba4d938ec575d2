import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdOf, lowApprovalHold, measurementHold, wasReleased, type ApprovalPolicy } from '../../src/domain/filing-holds.js';
import { filingWindow } from '../../src/domain/filing-window.js';
import { waitingFor } from '../../src/domain/claim-waiting.js';

const policy: ApprovalPolicy = { minApproval: 0.2, windowDays: 90, minDecisions: 5 };

describe('claims Clario must not file as they are', () => {
  it('holds a fee claim until the seller has measured its SKU, and only fee claims', () => {
    expect(measurementHold({ type: 'fee_overcharge', sku: 'SKU-F' }, false)).toMatchObject({ code: 'needs_measurements', reason: expect.stringContaining('measure SKU-F') });
    expect(measurementHold({ type: 'fee_overcharge', sku: 'SKU-F' }, true)).toBeNull();
    expect(measurementHold({ type: 'lost_warehouse', sku: 'SKU-F' }, false)).toBeNull();
  });

  it('holds a claim type Amazon approved 1 of 8 times recently, saying so in numbers', () => {
    const hold = lowApprovalHold('lost_warehouse', { approved: 1, rejected: 7 }, policy);
    expect(hold?.code).toBe('low_approval');
    expect(hold?.reason).toMatch(/^Amazon approved 1 of 8 lost_warehouse claims in the last 90 days \(12%\); Clario holds new ones below 20%/);
  });

  it('does not hold before the minimum number of decisions, at the minimum rate, or with the rule off', () => {
    expect(lowApprovalHold('lost_warehouse', { approved: 0, rejected: 4 }, policy)).toBeNull();
    expect(lowApprovalHold('lost_warehouse', { approved: 0, rejected: 5 }, policy)).not.toBeNull();
    // 1 of 5 is exactly 20%: not below.
    expect(lowApprovalHold('lost_warehouse', { approved: 1, rejected: 4 }, policy)).toBeNull();
    expect(lowApprovalHold('lost_warehouse', { approved: 0, rejected: 50 }, { ...policy, minApproval: 0 })).toBeNull();
    expect(lowApprovalHold('lost_warehouse', { approved: 0, rejected: 0 }, { ...policy, minDecisions: 0 })).toBeNull();
  });

  it('holds exactly when the rate is below the minimum and enough decisions count', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.nat(200), fc.integer({ min: 0, max: 100 }), fc.nat(20), (approved, rejected, pct, minDecisions) => {
        const n = approved + rejected;
        const held = lowApprovalHold('t', { approved, rejected }, { minApproval: pct / 100, windowDays: 90, minDecisions }) !== null;
        expect(held).toBe(pct > 0 && n > 0 && n >= minDecisions && approved * 100 < pct * n);
      }),
    );
  });

  it('reads a stored hold and a release, and ignores anything else', () => {
    expect(holdOf({ hold: { code: 'low_approval', reason: 'r' } })).toEqual({ code: 'low_approval', reason: 'r' });
    expect(holdOf({ hold: { code: 'whatever', reason: 'r' } })).toBeUndefined();
    expect(holdOf({ hold: 'low_approval' })).toBeUndefined();
    expect(holdOf(null)).toBeUndefined();
    expect(wasReleased({ hold_released: [{ code: 'low_approval', at: 'x' }] }, 'low_approval')).toBe(true);
    expect(wasReleased({ hold_released: [{ code: 'low_approval' }] }, 'needs_measurements')).toBe(false);
    expect(wasReleased({}, 'low_approval')).toBe(false);
  });
});

describe("a claim's filing window", () => {
  it('is pending the day before its eligible date, open on it, open on its deadline, expired the day after', () => {
    const c = { deadline: '2026-06-30', eligibleFrom: '2026-05-15', detectionStatus: 'pending' };
    expect(filingWindow(c, '2026-05-14')).toBe('pending');
    expect(filingWindow(c, '2026-05-15')).toBe('open');
    expect(filingWindow(c, '2026-06-30')).toBe('open');
    expect(filingWindow(c, '2026-07-01')).toBe('expired');
  });

  it('takes detection’s word when no eligible date was kept, and expired wins over pending', () => {
    expect(filingWindow({ deadline: '2026-06-30', detectionStatus: 'pending' }, '2026-06-01')).toBe('pending');
    expect(filingWindow({ deadline: '2026-06-30', detectionStatus: 'eligible' }, '2026-06-01')).toBe('open');
    expect(filingWindow({ deadline: '2026-06-30', eligibleFrom: '2026-08-01' }, '2026-07-15')).toBe('expired');
    expect(filingWindow({ deadline: null }, '2030-01-01')).toBe('open');
    expect(() => filingWindow({ deadline: null }, 'today')).toThrow(RangeError);
  });
});

describe('a held claim says why it waits, in the hold’s own words', () => {
  it('waits for the seller to measure, or for Clario (a person may release it), and only while prompted or held', () => {
    const measure = { code: 'needs_measurements' as const, reason: 'Measure SKU-F.' };
    const rate = { code: 'low_approval' as const, reason: 'Amazon approved 1 of 8.' };
    expect(waitingFor({ status: 'prompted', hold: measure })).toEqual({ on: 'you', why: 'Measure SKU-F.' });
    expect(waitingFor({ status: 'held', hold: rate })).toEqual({ on: 'clario', why: 'Amazon approved 1 of 8.' });
    expect(waitingFor({ status: 'ready', hold: rate })).toEqual({ on: 'clario', why: 'Clario files it in its next filing slot.' });
    expect(waitingFor({ status: 'held', hold: null })?.why).toMatch(/^Waiting for evidence/);
  });
});
