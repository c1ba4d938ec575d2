// The `measurements` of a `measure` answer, checked at the edge: the shape with zod, the values
// (positive, bounded, at most 3 decimals, not rounding to nothing) by the pure converter, which
// then yields whole millimetres and grams. A value that fails says which field and why (400).
import { z } from 'zod';
import { LENGTH_UNITS, readMeasurements, WEIGHT_UNITS, type Measurements } from '../domain/measurements.js';

// Bounded before conversion too, so a huge number never reaches it.
const Size = z.number().positive().max(1_000_000);

export const MeasurementsBody = z
  .object({
    length: Size,
    width: Size,
    height: Size,
    dimension_unit: z.enum(LENGTH_UNITS),
    weight: Size,
    weight_unit: z.enum(WEIGHT_UNITS),
  })
  .strict()
  .transform((m, ctx): Measurements => {
    const read = readMeasurements({ length: m.length, width: m.width, height: m.height, dimensionUnit: m.dimension_unit, weight: m.weight, weightUnit: m.weight_unit });
    if (read.ok) return read.value;
    for (const p of read.problems) ctx.addIssue({ code: 'custom', path: [p.field], message: `${p.field}: ${p.message}` });
    return z.NEVER;
  });
