import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { money } from '../../src/domain/money.js';
import { allowedTotal, payoutProblem, reversalConflict, reversalOverreach, type SettledPayout } from '../../src/domain/payout-check.js';

const limits = { tolerancePercent: 25, maxMinor: 100_000_000 };

describe('is a payout believable for its claim', () => {
  it('refuses another currency than the claim', () => {
    expect(payoutProblem(money(5000, 'JPY'), { amountMinor: 5000, currency: 'CAD' }, 0n, limits)).toMatch(/JPY.*CAD/);
  });

  it('refuses the largest safe integer on a 0.79 claim, and anything above the maximum', () => {
    expect(payoutProblem(money(Number.MAX_SAFE_INTEGER, 'USD'), { amountMinor: 79, currency: 'USD' }, 0n, limits)).toBeDefined();
    expect(payoutProblem(money(100_000_001, 'USD'), { amountMinor: null, currency: null }, 0n, limits)).toMatch(/largest believed/);
  });

  it('takes what Amazon pays at its own valuation within the tolerance, counting what was paid before', () => {
    expect(allowedTotal(79, 25)).toBe(99n); // 98.75 rounded up
    expect(payoutProblem(money(99, 'USD'), { amountMinor: 79, currency: 'USD' }, 0n, limits)).toBeUndefined();
    expect(payoutProblem(money(100, 'USD'), { amountMinor: 79, currency: 'USD' }, 0n, limits)).toBeDefined();
    expect(payoutProblem(money(50, 'USD'), { amountMinor: 79, currency: 'USD' }, 49n, limits)).toBeUndefined();
    expect(payoutProblem(money(50, 'USD'), { amountMinor: 79, currency: 'USD' }, 60n, limits)).toBeDefined();
    // What was paid before is summed exactly, however large a bad line made it.
    expect(payoutProblem(money(1, 'USD'), { amountMinor: 79, currency: 'USD' }, BigInt(Number.MAX_SAFE_INTEGER) * 4n, limits)).toBeDefined();
  });

  it('leaves a claim of unknown value to the maximum alone', () => {
    expect(payoutProblem(money(12_345, 'USD'), { amountMinor: null, currency: null }, 0n, limits)).toBeUndefined();
  });
});

describe('may a reversal take back the payout it names', () => {
  const on = { userId: 'u-1', claimId: 'claim-a', caseId: 'CASE-A' };
  const paid = (minor: number): SettledPayout => ({ ...on, kind: 'charge', reimbursedMinor: minor, currency: 'USD' });

  it("refuses another claim's payout, another case's, another seller's, a reversal's, or one in another currency", () => {
    const conflict = (original: SettledPayout) => reversalConflict(money(-579, 'USD'), on, original);
    expect(conflict(paid(1158))).toBeUndefined();
    expect(conflict({ ...paid(1158), claimId: 'claim-b' })).toMatch(/credited to claim claim-b, not claim-a/);
    expect(conflict({ ...paid(1158), caseId: 'CASE-B' })).toMatch(/on case CASE-B, not CASE-A/);
    expect(conflict({ ...paid(1158), userId: 'u-2' })).toBeDefined();
    expect(conflict({ ...paid(1158), kind: 'refund' })).toBeDefined();
    expect(conflict({ ...paid(1158), currency: 'EUR' })).toBeDefined();
  });

  it('refuses more than the payout paid, or than is left of it after earlier reversals', () => {
    expect(reversalOverreach(money(-5_000_000, 'USD'), paid(6199), 0n)).toMatch(/takes back 5000000 minor units of a payout of 6199, of which 6199 are left/);
    expect(reversalOverreach(money(-6199, 'USD'), paid(6199), 0n)).toBeUndefined();
    expect(reversalOverreach(money(-3200, 'USD'), paid(6199), 3000n)).toBeDefined();
    expect(reversalOverreach(money(-3199, 'USD'), paid(6199), 3000n)).toBeUndefined();
    // What was taken back before is summed exactly, however large.
    expect(reversalOverreach(money(-1, 'USD'), paid(Number.MAX_SAFE_INTEGER), BigInt(Number.MAX_SAFE_INTEGER))).toBeDefined();
  });

  it('reversals taken one after another never together take back more than the payout paid, and only those that would are refused', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 9 }), fc.array(fc.nat({ max: 2 * 10 ** 9 }), { maxLength: 12 }), (original, asked) => {
        let taken = 0n;
        for (const minor of asked) {
          const refused = reversalOverreach(money(-minor, 'USD'), paid(original), taken) !== undefined;
          expect(refused).toBe(taken + BigInt(minor) > BigInt(original));
          if (!refused) taken += BigInt(minor);
        }
        expect(taken <= BigInt(original)).toBe(true);
      }),
    );
  });
});
