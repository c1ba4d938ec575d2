// A seller's own measurement of a SKU (dimensions and weight), which Amazon's fee dispute needs:
// its own measurement governs unless the seller sends theirs. Entered in cm or inches, grams,
// kilograms, ounces or pounds; kept as whole millimetres and grams. The conversion runs on the
// decimal digits the seller typed, in integers: no float ever decides a stored value. Pure.

export const LENGTH_UNITS = ['cm', 'in'] as const;
export const WEIGHT_UNITS = ['g', 'kg', 'oz', 'lb'] as const;
export type LengthUnit = (typeof LENGTH_UNITS)[number];
export type WeightUnit = (typeof WEIGHT_UNITS)[number];

/** What the seller typed. */
export interface MeasurementInput {
  readonly length: number;
  readonly width: number;
  readonly height: number;
  readonly dimensionUnit: LengthUnit;
  readonly weight: number;
  readonly weightUnit: WeightUnit;
}

/** What is kept: whole millimetres and grams. */
export interface Measurements {
  readonly lengthMm: number;
  readonly widthMm: number;
  readonly heightMm: number;
  readonly weightG: number;
}

/**
 * Bounds that no parcel Amazon fulfils comes near (its largest items are under 3 m and 70 kg):
 * a value beyond them is a typing slip (a weight in grams entered as kilograms), not a product.
 */
export const MEASUREMENT_LIMITS = Object.freeze({ maxMm: 5_000, maxG: 500_000, maxDecimals: 3 });

/** Exact factors as fractions (numerator / denominator): 1 in = 25.4 mm, 1 oz = 28.349523125 g, 1 lb = 453.59237 g. */
const TO_MM: Readonly<Record<LengthUnit, readonly [bigint, bigint]>> = { cm: [10n, 1n], in: [254n, 10n] };
const TO_G: Readonly<Record<WeightUnit, readonly [bigint, bigint]>> = { g: [1n, 1n], kg: [1000n, 1n], oz: [28_349_523_125n, 1_000_000_000n], lb: [45_359_237n, 100_000n] };

export type Converted = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

/** The decimal digits of a positive number as a fraction (digits, 10^decimals); undefined when it is not one. */
function decimalOf(value: number): { num: bigint; den: bigint } | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  // A number's shortest text is the digits the seller typed (12.3 prints "12.3"); an exponent
  // (1e-7, 1e21) is far outside any bound and is refused with them.
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(value));
  if (!m) return undefined;
  const decimals = m[2] ?? '';
  return { num: BigInt(`${m[1]}${decimals}`), den: 10n ** BigInt(decimals.length) };
}

/** num/den rounded half up, for positive fractions. */
const roundHalfUp = (num: bigint, den: bigint): bigint => (2n * num + den) / (2n * den);

function convert(value: number, factor: readonly [bigint, bigint], max: number, unitName: string, smallest: string): Converted {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, message: 'must be a number' };
  if (value <= 0) return { ok: false, message: 'must be more than 0' };
  const d = decimalOf(value);
  if (!d) return { ok: false, message: 'must be a plain decimal number' };
  if (d.den > 10n ** BigInt(MEASUREMENT_LIMITS.maxDecimals)) return { ok: false, message: `at most ${MEASUREMENT_LIMITS.maxDecimals} decimals` };
  const whole = roundHalfUp(d.num * factor[0], d.den * factor[1]);
  if (whole < 1n) return { ok: false, message: `too small: under 1 ${smallest} once converted from ${unitName}` };
  if (whole > BigInt(max)) return { ok: false, message: `too large: over ${max} ${smallest}; check the unit (${unitName})` };
  return { ok: true, value: Number(whole) };
}

/** A length in whole millimetres (rounded half up). */
export const toMillimetres = (value: number, unit: LengthUnit): Converted => convert(value, TO_MM[unit], MEASUREMENT_LIMITS.maxMm, unit, 'mm');
/** A weight in whole grams (rounded half up). */
export const toGrams = (value: number, unit: WeightUnit): Converted => convert(value, TO_G[unit], MEASUREMENT_LIMITS.maxG, unit, 'g');

export type MeasurementProblem = { readonly field: 'length' | 'width' | 'height' | 'weight'; readonly message: string };

/** The seller's measurement, converted; every field's problem when any is wrong. */
export function readMeasurements(input: MeasurementInput): { ok: true; value: Measurements } | { ok: false; problems: MeasurementProblem[] } {
  const fields = [
    ['length', toMillimetres(input.length, input.dimensionUnit)],
    ['width', toMillimetres(input.width, input.dimensionUnit)],
    ['height', toMillimetres(input.height, input.dimensionUnit)],
    ['weight', toGrams(input.weight, input.weightUnit)],
  ] as const;
  const problems = fields.flatMap(([field, c]) => (c.ok ? [] : [{ field, message: c.message }]));
  if (problems.length > 0) return { ok: false, problems };
  const [l, w, h, g] = fields.map(([, c]) => (c as { value: number }).value) as [number, number, number, number];
  return { ok: true, value: { lengthMm: l, widthMm: w, heightMm: h, weightG: g } };
}

/** As the claim's details keep it (`details.measurements`), for the case kit and the dashboard. */
export interface MeasurementsJson {
  readonly length_mm: number;
  readonly width_mm: number;
  readonly height_mm: number;
  readonly weight_g: number;
  /** ISO time the seller gave them. */
  readonly measured_at: string;
}

export function measurementsJson(m: Measurements, measuredAt: Date): MeasurementsJson {
  return { length_mm: m.lengthMm, width_mm: m.widthMm, height_mm: m.heightMm, weight_g: m.weightG, measured_at: measuredAt.toISOString() };
}

/** "300 × 200 × 150 mm, 1250 g": the measurement in one line, for prompts and case texts. */
export function describeMeasurements(m: Pick<MeasurementsJson, 'length_mm' | 'width_mm' | 'height_mm' | 'weight_g'>): string {
  return `${m.length_mm} × ${m.width_mm} × ${m.height_mm} mm, ${m.weight_g} g`;
}
