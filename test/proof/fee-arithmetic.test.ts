import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currency } from '../../src/domain/money.js';
import { exactProduct, feeArithmetic, formatRate, netOf } from '../../src/proof/fee-arithmetic.js';

describe("the packet's fee arithmetic", () => {
  it('writes the exact product and the rounded fee', () => {
    expect(formatRate(2000)).toBe('20.00%');
    expect(formatRate(1250)).toBe('12.50%');
    expect(exactProduct(4961, 2000, currency('USD'))).toBe('9.922 USD');
    expect(exactProduct(4960, 2000, currency('USD'))).toBe('9.92 USD');
    expect(exactProduct(13, 2000, currency('JPY'))).toBe('2.6 JPY');
    expect(exactProduct(-4961, 2000, currency('USD'))).toBe('-9.922 USD');
    expect(exactProduct(1, 2000, currency('KWD'))).toBe('0.0002 KWD');
    const line = feeArithmetic({ reimbursedMinor: 4962, feeMinor: 992, rateBp: 2000, currency: 'USD' });
    expect(line).toEqual({ text: '49.62 USD x 20.00% = 9.924 USD, rounded half-up to the minor unit: fee 9.92 USD', recomputedMinor: 992, matches: true });
    expect(feeArithmetic({ reimbursedMinor: 4963, feeMinor: 992, rateBp: 2000, currency: 'USD' })).toMatchObject({ recomputedMinor: 993, matches: false });
    expect(feeArithmetic({ reimbursedMinor: 13, feeMinor: 3, rateBp: 2000, currency: 'JPY' }).text).toBe('13 JPY x 20.00% = 2.6 JPY, rounded half-up to the minor unit: fee 3 JPY');
  });
});

describe("the packet's net recovered and net fee", () => {
  const row = fc.record({
    kind: fc.constantFrom('charge' as const, 'refund' as const),
    minor: fc.nat({ max: 100_000_000 }),
    fee: fc.nat({ max: 20_000_000 }),
    currency: fc.constantFrom('USD', 'JPY', 'EUR'),
  });

  it('are what the payouts less their reversals come to, and their fees less what was given back, per currency', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        // As fee_charges holds them: a reversal's amount and fee are negative.
        const fees = rows.map((r) => ({ kind: r.kind, currency: r.currency, reimbursedMinor: r.kind === 'charge' ? r.minor : -r.minor, feeMinor: r.kind === 'charge' ? r.fee : -r.fee }));
        const net = netOf(fees);
        expect(net.map((n) => n.currency)).toEqual([...new Set(fees.map((f) => f.currency))].sort());
        for (const n of net) {
          const mine = fees.filter((f) => f.currency === n.currency);
          expect(n.paidMinor - n.reversedMinor).toBe(mine.reduce((s, f) => s + BigInt(f.reimbursedMinor), 0n));
          expect(n.feeMinor - n.givenBackMinor).toBe(mine.reduce((s, f) => s + BigInt(f.feeMinor), 0n));
          expect(n.reversedMinor >= 0n && n.givenBackMinor >= 0n).toBe(true);
        }
      }),
    );
  });
});
