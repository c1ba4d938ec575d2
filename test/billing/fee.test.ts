import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditOn, feeOn } from '../../src/domain/fee.js';
import { balances, chargeJournal, checkBalanced, feeJournal, refundJournal, reversalJournal } from '../../src/domain/ledger.js';
import { minorDigits, money, currency } from '../../src/domain/money.js';

describe('the fee', () => {
  // reimbursed (minor units), currency, rate (bp) → fee (minor units)
  const table: Array<[number, string, number, number, string]> = [
    [1, 'USD', 2000, 0, '0.2 cent rounds down'],
    [2, 'USD', 2000, 0, '0.4 cent rounds down'],
    [3, 'USD', 2000, 1, '0.6 cent rounds up'],
    [25, 'USD', 1000, 3, '2.5 cents: exactly half rounds up'],
    [5, 'USD', 1000, 1, '0.5 cent rounds up'],
    [12345, 'USD', 2000, 2469, '24.69'],
    [999, 'JPY', 2000, 200, '199.8 yen → 200 yen (no minor unit)'],
    [1, 'JPY', 2000, 0, '0.2 yen → 0'],
    [3, 'JPY', 2000, 1, '0.6 yen → 1'],
    [1234, 'KWD', 2000, 247, '1.234 KWD → 0.2468 → 0.247 (three decimals)'],
    [5, 'BHD', 1000, 1, '0.0005 BHD → 0.001, half-up'],
    [0, 'EUR', 2000, 0, 'nothing paid, nothing owed'],
    [100, 'EUR', 0, 0, 'a zero rate'],
    [Number.MAX_SAFE_INTEGER, 'USD', 2000, 1801439850948198, 'no float overflow (BigInt inside)'],
  ];
  it.each(table)('%i minor %s at %i bp is %i (%s)', (minor, code, bp, fee) => {
    expect(feeOn(money(minor, code), bp)).toEqual(money(fee, code));
  });

  it('is never a float, never more than the rate, and within half a minor unit of the exact fee', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 12 }), fc.integer({ min: 0, max: 10_000 }), fc.constantFrom('USD', 'JPY', 'KWD', 'EUR'), (minor, bp, code) => {
        const fee = feeOn(money(minor, code), bp).minor;
        expect(Number.isSafeInteger(fee)).toBe(true);
        // |fee·10000 − minor·bp| ≤ 5000, and exactly 5000 only rounds up (half-up).
        const diff = BigInt(fee) * 10000n - BigInt(minor) * BigInt(bp);
        expect(diff >= -4999n && diff <= 5000n).toBe(true);
      }),
    );
  });

  it('refuses a negative reimbursement (that is a reversal)', () => {
    expect(() => feeOn(money(-1, 'USD'), 2000)).toThrow(RangeError);
  });

  it('a reversal credits the mirrored fee, capped by what is left of the original', () => {
    const original = { fee: money(2000, 'USD'), credited: money(0, 'USD') };
    expect(creditOn(money(-10000, 'USD'), 2000, original).minor).toBe(2000);
    expect(creditOn(money(-2500, 'USD'), 2000, original).minor).toBe(500);
    expect(creditOn(money(-50000, 'USD'), 2000, original).minor).toBe(2000);
    expect(creditOn(money(-10000, 'USD'), 2000, { ...original, credited: money(1500, 'USD') }).minor).toBe(500);
    expect(() => creditOn(money(-1, 'EUR'), 2000, original)).toThrow(/EUR/);
  });

  it('a full reversal gives back exactly the fee charged, in every currency', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 12 }), fc.integer({ min: 0, max: 10_000 }), fc.constantFrom('USD', 'JPY', 'KWD'), (minor, bp, code) => {
        const fee = feeOn(money(minor, code), bp);
        expect(creditOn(money(-minor, code), bp, { fee, credited: money(0, code) })).toEqual(fee);
      }),
    );
  });

  it('knows JPY has no minor unit and KWD three (what the table relies on)', () => {
    expect(minorDigits(currency('JPY'))).toBe(0);
    expect(minorDigits(currency('KWD'))).toBe(3);
  });
});

describe('the ledger rules', () => {
  it('every journal of a payout, its charge, reversal and refund balances, and the seller owes nothing after', () => {
    const fee = money(2469, 'USD');
    const credit = money(500, 'USD');
    const entries = [
      ...feeJournal('P1', 'u', fee),
      ...chargeJournal('P1', 'u', fee),
      ...reversalJournal('R1', 'u', credit),
      ...refundJournal('R1', 'u', credit),
    ];
    expect(checkBalanced(entries)).toEqual([]);
    const b = balances(entries);
    expect(b.get('receivable:u USD')).toBe(0);
    expect(b.get('revenue USD')).toBe(-1969);
    expect(b.get('cash:stripe USD')).toBe(1969);
  });

  it('finds a journal that does not balance, per currency', () => {
    const bad = [
      { journalId: 'x', account: 'a', amountMinor: 100, currency: 'USD' },
      { journalId: 'x', account: 'b', amountMinor: -100, currency: 'EUR' },
      { journalId: 'y', account: 'a', amountMinor: 5, currency: 'USD' },
      { journalId: 'y', account: 'b', amountMinor: -5, currency: 'USD' },
    ];
    expect(checkBalanced(bad)).toEqual([
      { journalId: 'x', currency: 'USD', sumMinor: 100 },
      { journalId: 'x', currency: 'EUR', sumMinor: -100 },
    ]);
  });

  it('posts nothing for a zero amount and refuses a negative transfer', () => {
    expect(feeJournal('P0', 'u', money(0, 'USD'))).toEqual([]);
    expect(() => feeJournal('P0', 'u', money(-1, 'USD'))).toThrow(RangeError);
  });
});
