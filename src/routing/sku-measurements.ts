// The sellers' measurements of their SKUs (sku_measurements): one per seller and SKU, serving
// every fee claim of that SKU. Read by routing (a fee claim is ready only once its SKU is
// measured) and written by the answer to a `measure` prompt.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { measurementsJson, type Measurements, type MeasurementsJson } from '../domain/measurements.js';
import type { Db } from '../store/db.js';
import { skuMeasurements } from '../store/schema/evidence-tables.js';

const keyOf = (userId: string, sku: string) => `${userId}\u0000${sku}`;

/** The measurements of these (seller, SKU) pairs, keyed by `measuredKey`. */
export async function measurementsOf(q: Db, pairs: ReadonlyArray<{ userId: string; sku: string }>): Promise<Map<string, MeasurementsJson>> {
  const out = new Map<string, MeasurementsJson>();
  const users = [...new Set(pairs.map((p) => p.userId))];
  for (const userId of users) {
    const skus = [...new Set(pairs.filter((p) => p.userId === userId).map((p) => p.sku))];
    if (skus.length === 0) continue;
    const rows = await q.select().from(skuMeasurements).where(and(eq(skuMeasurements.userId, userId), inArray(skuMeasurements.sku, skus)));
    for (const r of rows) out.set(keyOf(r.userId, r.sku), measurementsJson({ lengthMm: r.lengthMm, widthMm: r.widthMm, heightMm: r.heightMm, weightG: r.weightG }, r.measuredAt));
  }
  return out;
}

export const measuredKey = keyOf;

/** Records (or replaces) the seller's measurement of a SKU. */
export async function recordMeasurement(
  q: Db,
  m: { userId: string; sku: string; measurements: Measurements; photoFileIds: readonly string[]; promptId: string; measuredAt: Date },
): Promise<void> {
  const values = {
    lengthMm: m.measurements.lengthMm,
    widthMm: m.measurements.widthMm,
    heightMm: m.measurements.heightMm,
    weightG: m.measurements.weightG,
    photoFileIds: [...m.photoFileIds],
    promptId: m.promptId,
    measuredAt: m.measuredAt,
  };
  await q
    .insert(skuMeasurements)
    .values({ userId: m.userId, sku: m.sku, ...values })
    .onConflictDoUpdate({ target: [skuMeasurements.userId, skuMeasurements.sku], set: { ...values, photoFileIds: sql`excluded.photo_file_ids` } });
}
