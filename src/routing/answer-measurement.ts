// A seller answers a `measure` prompt: their own dimensions and weight of the SKU (already
// converted to whole millimetres and grams at the edge) and the photos. The measurement is kept
// once for the SKU (sku_measurements) and serves every open fee claim of it: each gets the photos
// linked and is re-scored and re-routed, in the transaction that records the answer, so the
// routing (not this file) is what releases them to ready.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { needsSellerMeasurements } from '../domain/filing-holds.js';
import { measurementsJson, type Measurements } from '../domain/measurements.js';
import type { RoutingThresholds } from '../domain/routing.js';
import { computeScores, linkFiles, OPEN_STATUSES, scorableOf, writeScores, type LearnedSource } from '../evidence/match-claims.js';
import { findClaim, type ClaimRow } from '../store/claim-rows.js';
import type { Db } from '../store/db.js';
import { whyNotOpen, type PromptRow } from '../store/prompt-rows.js';
import { claims } from '../store/schema/claims-tables.js';
import { evidenceFiles, prompts } from '../store/schema/evidence-tables.js';
import { publish } from '../workflow/publish.js';
import { routeScored } from './route-scored.js';
import { recordMeasurement } from './sku-measurements.js';

export type MeasurementOutcome =
  | { readonly ok: true; readonly prompt: PromptRow; readonly claim: ClaimRow; readonly claimIds: readonly string[] }
  | { readonly ok: false; readonly code: 'not_found' | 'conflict' | 'invalid_request'; readonly message: string };

const asksToMeasure = (p: PromptRow) => p.asks.some((a) => a.need === 'measure');

export async function answerMeasurement(
  db: Db,
  o: { promptId: string; userId: string; measurements: Measurements; photoIds: readonly string[]; note: string | undefined; learned: LearnedSource; thresholds: RoutingThresholds; now: Date },
): Promise<MeasurementOutcome> {
  return db.transaction(async (tx): Promise<MeasurementOutcome> => {
    const [prompt] = await tx.select().from(prompts).where(and(eq(prompts.id, o.promptId), eq(prompts.userId, o.userId)));
    if (!prompt) return { ok: false, code: 'not_found', message: `no prompt ${o.promptId}` };
    if (prompt.status !== 'open') return { ok: false, code: 'conflict', message: await whyNotOpen(tx, prompt) };
    if (!asksToMeasure(prompt)) return { ok: false, code: 'conflict', message: `prompt ${o.promptId} does not ask for measurements` };
    const claim = await findClaim(tx, prompt.claimId);
    if (!claim) return { ok: false, code: 'not_found', message: `the claim of prompt ${o.promptId} is gone` };
    const sku = scorableOf(claim).sku;
    if (!sku) return { ok: false, code: 'conflict', message: `claim ${claim.id} names no SKU to measure` };
    const photos = o.photoIds.length ? await tx.select().from(evidenceFiles).where(and(eq(evidenceFiles.userId, o.userId), inArray(evidenceFiles.id, [...o.photoIds]))) : [];
    // Another seller's file is reported exactly like one that does not exist.
    const unknown = o.photoIds.filter((id) => !photos.some((f) => f.id === id));
    if (unknown.length) return { ok: false, code: 'not_found', message: `no evidence file ${unknown.join(', ')}` };
    const notPhotos = photos.filter((f) => f.kind !== 'measurement_photo');
    if (notPhotos.length) return { ok: false, code: 'invalid_request', message: `not a measurement photo: ${notPhotos.map((f) => f.id).join(', ')} (upload JPEG or PNG with kind measurement_photo)` };

    const json = measurementsJson(o.measurements, o.now);
    const answer = { action: 'measure', measurements: json, file_ids: [...o.photoIds], ...(o.note ? { note: o.note } : {}) };
    const [answered] = await tx
      .update(prompts)
      .set({ status: 'answered', answer, answeredAt: sql`now()` })
      .where(and(eq(prompts.id, prompt.id), eq(prompts.status, 'open')))
      .returning();
    if (!answered) return { ok: false, code: 'conflict', message: `prompt ${o.promptId} was answered meanwhile` };
    await recordMeasurement(tx, { userId: o.userId, sku, measurements: o.measurements, photoFileIds: o.photoIds, promptId: prompt.id, measuredAt: o.now });
    await publish(tx, { type: 'prompt.answered', prompt_id: prompt.id, claim_id: claim.id, user_id: o.userId, action: 'measure', file_ids: [...o.photoIds], at: o.now.toISOString() });

    // Every open claim of the SKU that needs the measurement: one measurement, each fee charge its own claim.
    const ofSku = (
      await tx
        .select()
        .from(claims)
        .where(and(eq(claims.userId, o.userId), inArray(claims.status, [...OPEN_STATUSES]), sql`coalesce(${claims.details}->>'sku', ${claims.details}->'key'->>'sku') = ${sku}`))
    ).filter((c) => needsSellerMeasurements(c.type));
    const claimIds = [...new Set([claim.id, ...ofSku.map((c) => c.id)])];
    for (const c of ofSku) await linkFiles(tx, { ...scorableOf(c), userId: o.userId }, photos);
    const scored = await computeScores(tx, { userId: o.userId, claimIds, learned: o.learned, now: o.now });
    await writeScores(tx, scored);
    await routeScored(tx, scored, { thresholds: o.thresholds, eventId: null, syncId: claim.syncId });
    return { ok: true, prompt: answered, claim: (await findClaim(tx, claim.id))!, claimIds };
  });
}
