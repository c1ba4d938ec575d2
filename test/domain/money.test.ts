import { describe, expect, it } from 'vitest';
import { add, currency, formatMoney, formatMoneyForSeller, minorDigits, money, parseDecimal, percentOf, subtract } from '../../src/domain/money.js';

const USD = currency('USD');
const JPY = currency('JPY');
const KWD = currency('KWD');

describe('money', () => {
  it('refuses fractional minor units and unknown currencies', () => {
    expect(() => money(1.5, 'USD')).toThrow(RangeError);
    expect(() => money(100, 'usd')).toThrow(RangeError);
    expect(() => money(100, 'XYZ')).toThrow(RangeError);
  });

  it('knows how many minor digits each currency has', () => {
    expect(minorDigits(USD)).toBe(2);
    expect(minorDigits(JPY)).toBe(0);
    expect(minorDigits(KWD)).toBe(3);
  });

  it('never mixes currencies', () => {
    expect(() => add(money(1, 'USD'), money(1, 'EUR'))).toThrow(/currency mismatch/);
    expect(subtract(money(500, 'USD'), money(120, 'USD')).minor).toBe(380);
  });

  it('takes 20% rounded half-up on awkward amounts', () => {
    expect(percentOf(money(1, 'USD'), 2000).minor).toBe(0); // 0.2 cent
    expect(percentOf(money(3, 'USD'), 2000).minor).toBe(1); // 0.6 cent
    expect(percentOf(money(5, 'USD'), 1000).minor).toBe(1); // exactly half rounds up
    expect(percentOf(money(12345, 'USD'), 2000).minor).toBe(2469);
    expect(percentOf(money(999, 'JPY'), 2000).minor).toBe(200); // 199.8
    expect(percentOf(money(-12345, 'USD'), 2000).minor).toBe(-2469); // a reversal mirrors its charge
    expect(percentOf(money(Number.MAX_SAFE_INTEGER, 'USD'), 2000).minor).toBe(1801439850948198);
  });

  it('parses report decimals without floats', () => {
    expect(parseDecimal('12.40', USD)?.minor).toBe(1240);
    expect(parseDecimal('12.4', USD)?.minor).toBe(1240);
    expect(parseDecimal('-3.005', USD)?.minor).toBe(-301);
    expect(parseDecimal('0.1', USD)?.minor).toBe(10);
    expect(parseDecimal('1500', JPY)?.minor).toBe(1500);
    expect(parseDecimal('1,234.56', USD)).toBeUndefined();
    expect(parseDecimal('abc', USD)).toBeUndefined();
    expect(parseDecimal('', USD)).toBeUndefined();
  });

  it('formats exactly', () => {
    expect(formatMoney(money(1240, 'USD'))).toBe('12.40 USD');
    expect(formatMoney(money(-5, 'USD'))).toBe('-0.05 USD');
    expect(formatMoney(money(1500, 'JPY'))).toBe('1500 JPY');
    expect(formatMoney(money(1, 'KWD'))).toBe('0.001 KWD');
  });

  it("formats for the seller as the dashboard does ($2,552.00), exactly, even beyond a float's precision", () => {
    expect(formatMoneyForSeller(money(255_200, 'USD'))).toBe('$2,552.00');
    expect(formatMoneyForSeller(money(1324, 'USD'))).toBe('$13.24');
    expect(formatMoneyForSeller(money(-5, 'USD'))).toBe('-$0.05');
    expect(formatMoneyForSeller(money(1500, 'JPY'))).toBe('¥1,500');
    expect(formatMoneyForSeller(money(1200, 'EUR'))).toBe('€12.00');
    expect(formatMoneyForSeller(money(1234, 'CAD'))).toBe('CA$12.34');
    expect(formatMoneyForSeller(money(9_007_199_254_740_991, 'USD'))).toBe('$90,071,992,547,409.91');
  });
});
