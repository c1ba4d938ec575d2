import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeMeasurements, MEASUREMENT_LIMITS, measurementsJson, readMeasurements, toGrams, toMillimetres, type WeightUnit } from '../../src/domain/measurements.js';

const value = (c: ReturnType<typeof toGrams>) => (c.ok ? c.value : c.message);

/** A decimal with at most 3 places, as the number a form sends: k / 10^d. */
const decimal = (maxWhole: number) =>
  fc
    .constantFrom(0, 1, 2, 3)
    .chain((d) => fc.tuple(fc.integer({ min: 1, max: maxWhole * 10 ** d }), fc.constant(d)))
    .map(([k, d]) => ({ k: BigInt(k), d, n: Number(`${Math.floor(k / 10 ** d)}.${String(k % 10 ** d).padStart(d, '0')}`.replace(/\.$/, '')) }));

describe("a seller's measurement", () => {
  it.each([
    [30, 'cm', 300],
    [12.5, 'cm', 125],
    [0.05, 'cm', 1],
    [10, 'in', 254],
    [1.5, 'in', 38],
    [0.02, 'in', 1],
  ] as const)('%s %s is %i mm', (v, unit, mm) => {
    expect(value(toMillimetres(v, unit))).toBe(mm);
  });

  it.each([
    [1250, 'g', 1250],
    [1.25, 'kg', 1250],
    [16, 'oz', 454],
    [1, 'lb', 454],
    [2.205, 'lb', 1000],
    [0.5, 'g', 1],
  ] as const)('%s %s is %i g', (v, unit, g) => {
    expect(value(toGrams(v, unit))).toBe(g);
  });

  it('converts centimetres and kilograms exactly: n tenths of a cm are n mm, n thousandths of a kg are n g', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MEASUREMENT_LIMITS.maxMm }), fc.integer({ min: 1, max: MEASUREMENT_LIMITS.maxG }), (mm, g) => {
        expect(toMillimetres(mm / 10, 'cm')).toEqual({ ok: true, value: mm });
        expect(toGrams(g / 1000, 'kg')).toEqual({ ok: true, value: g });
        expect(toGrams(g, 'g')).toEqual({ ok: true, value: g });
      }),
    );
  });

  it('rounds inches, ounces and pounds to the nearest whole unit, half up, from the exact factor', () => {
    const factors: Record<Exclude<WeightUnit, 'g' | 'kg'>, [bigint, bigint]> = { oz: [28_349_523_125n, 1_000_000_000n], lb: [45_359_237n, 100_000n] };
    fc.assert(
      fc.property(decimal(190), (x) => {
        const c = toMillimetres(x.n, 'in');
        // Under half a millimetre rounds to nothing, which is refused.
        if (!c.ok) {
          expect(c.message).toMatch(/too small/);
          return;
        }
        // |mm·10^d·10 − k·254| ≤ half of 10^d·10, and exactly half only rounds up.
        const den = 10n ** BigInt(x.d) * 10n;
        const diff = BigInt(c.value) * den - x.k * 254n;
        expect(2n * diff > -den && 2n * diff <= den).toBe(true);
      }),
    );
    fc.assert(
      fc.property(decimal(1000), fc.constantFrom('oz' as const, 'lb' as const), (x, unit) => {
        const c = toGrams(x.n, unit);
        if (!c.ok) {
          expect(c.message).toMatch(/too large|too small/);
          return;
        }
        const [num, per] = factors[unit];
        const den = 10n ** BigInt(x.d) * per;
        const diff = BigInt(c.value) * den - x.k * num;
        expect(2n * diff > -den && 2n * diff <= den).toBe(true);
      }),
    );
  });

  it('never stores a float, and a bigger measure never converts to less', () => {
    fc.assert(
      fc.property(decimal(500), decimal(500), fc.constantFrom('cm' as const, 'in' as const), (a, b, unit) => {
        const [lo, hi] = a.n <= b.n ? [a, b] : [b, a];
        const x = toMillimetres(lo.n, unit);
        const y = toMillimetres(hi.n, unit);
        if (x.ok) expect(Number.isSafeInteger(x.value)).toBe(true);
        if (x.ok && y.ok) expect(x.value).toBeLessThanOrEqual(y.value);
      }),
    );
  });

  it('refuses nonsense: zero, negative, not a number, infinite, too many decimals, beyond the bounds, rounding to nothing', () => {
    const bad = [0, -1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, 1.2345, 1e-7, 1e21, 600, 0.004];
    for (const v of bad) expect(toMillimetres(v, 'cm').ok, String(v)).toBe(false);
    expect(value(toGrams(600, 'kg'))).toMatch(/too large: over 500000 g/);
    expect(value(toGrams(0.01, 'g'))).toMatch(/too small/);
    expect(value(toMillimetres(1.2345, 'cm'))).toBe('at most 3 decimals');
    fc.assert(
      fc.property(fc.oneof(fc.double({ max: 0 }), fc.double({ min: 1e6, noNaN: true }), fc.constant(Number.NaN)), (v) => {
        expect(toGrams(v, 'kg').ok).toBe(false);
        expect(toMillimetres(v, 'in').ok).toBe(false);
      }),
    );
  });

  it('reads a whole measurement, or says what is wrong with each field', () => {
    const ok = readMeasurements({ length: 30, width: 20, height: 15.5, dimensionUnit: 'cm', weight: 2.5, weightUnit: 'lb' });
    expect(ok).toEqual({ ok: true, value: { lengthMm: 300, widthMm: 200, heightMm: 155, weightG: 1134 } });
    const bad = readMeasurements({ length: 0, width: 20, height: 9999, dimensionUnit: 'cm', weight: -1, weightUnit: 'g' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.field)).toEqual(['length', 'height', 'weight']);
    if (ok.ok) {
      expect(measurementsJson(ok.value, new Date('2026-05-01T10:00:00Z'))).toEqual({ length_mm: 300, width_mm: 200, height_mm: 155, weight_g: 1134, measured_at: '2026-05-01T10:00:00.000Z' });
      expect(describeMeasurements(measurementsJson(ok.value, new Date(0)))).toBe('300 × 200 × 155 mm, 1134 g');
    }
  });
});
