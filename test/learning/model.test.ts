// The learning model against a real PostgreSQL: outcomes move a claim type's confidence the right
// way, each outcome counts once whatever the retries, and a replay reads without writing.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../src/domain/routing.js';
import { blendConfidence, type ClaimScore, type EvidenceProfile } from '../../src/domain/scoring.js';
import { learnedRates } from '../../src/learning/learned-rates.js';
import { recordOutcome } from '../../src/learning/record-outcome.js';
import { replayRouting } from '../../src/learning/replay.js';
import { openDatabase, rows, type Database } from '../../src/store/db.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { skuMeasurements } from '../../src/store/schema/evidence-tables.js';
import { learningStats } from '../../src/store/schema/learning-tables.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/infra.js';

function score(evidence: number, profile: EvidenceProfile, confidence = evidence): ClaimScore {
  return { version: 1, evidence, profile, learned: null, confidence, reasons: [], missing: [], scoredAt: '2026-11-01T00:00:00.000Z' };
}

let n = 0;
async function insertClaim(db: Database, type: string, s: ClaimScore | null, createdAt = new Date('2026-11-01T00:00:00Z')) {
  const id = `c${++n}`;
  await db.db.insert(claims).values({
    id,
    userId: 'seller-l',
    type,
    status: 'filed',
    caseId: `CASE-${id}`,
    amountMinor: 1000,
    currency: 'USD',
    score: s ? { ...s } : null,
    confidence: s?.confidence ?? null,
    createdAt,
  });
  return { id, type, score: s ? ({ ...s } as Record<string, unknown>) : null };
}

async function snapshot(db: Database) {
  return {
    claims: await rows(db.db, sql`SELECT * FROM claims ORDER BY id`),
    stats: await rows(db.db, sql`SELECT * FROM learning_stats ORDER BY claim_type, profile`),
    history: await rows(db.db, sql`SELECT * FROM learning_history ORDER BY id`),
  };
}

describeWithPostgres('the learning model', () => {
  let testDb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase({ url: testDb.url, poolSize: 12 });
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  it('lowers confidence for a claim type after its rejections and raises it after approvals', async () => {
    const rates = learnedRates(db.db);
    const evidence = 0.8;
    const lostBefore = blendConfidence(evidence, await rates.estimate('lost_warehouse', 'invoice'));
    const damagedBefore = blendConfidence(evidence, await rates.estimate('damaged_warehouse', 'invoice'));
    expect(lostBefore).toBe(evidence);

    for (let i = 0; i < 6; i++) {
      const c = await insertClaim(db, 'lost_warehouse', score(evidence, 'invoice'));
      await db.db.transaction((tx) => recordOutcome(tx, { claim: c, caseId: `CASE-${c.id}`, outcome: 'rejected', reasonCode: 'missing_proof_of_ownership' }));
    }
    for (let i = 0; i < 9; i++) {
      const c = await insertClaim(db, 'damaged_warehouse', score(evidence, 'invoice'));
      await db.db.transaction((tx) => recordOutcome(tx, { claim: c, caseId: `CASE-${c.id}`, outcome: 'approved' }));
    }
    const lostAfter = blendConfidence(evidence, await rates.estimate('lost_warehouse', 'invoice'));
    const damagedAfter = blendConfidence(evidence, await rates.estimate('damaged_warehouse', 'invoice'));
    expect(lostAfter).toBeLessThan(lostBefore);
    expect(damagedAfter).toBeGreaterThan(damagedBefore);
    // Another profile of the same type learned nothing.
    expect(await rates.estimate('lost_warehouse', 'invoice_and_pod')).toBeUndefined();
    expect(await rates.estimate('lost_warehouse', 'invoice')).toMatchObject({ approved: 0, rejected: 6 });

    // Approvals of the rejected type bring it back up.
    for (let i = 0; i < 12; i++) {
      const c = await insertClaim(db, 'lost_warehouse', score(evidence, 'invoice'));
      await db.db.transaction((tx) => recordOutcome(tx, { claim: c, caseId: `CASE-${c.id}`, outcome: 'approved' }));
    }
    expect(blendConfidence(evidence, await rates.estimate('lost_warehouse', 'invoice'))).toBeGreaterThan(lostAfter);
  });

  it('counts an outcome once, however often and however concurrently it is recorded', async () => {
    const rates = learnedRates(db.db);
    const c = await insertClaim(db, 'inbound_shortage', score(0.6, 'pod'));
    const record = () => db.db.transaction((tx) => recordOutcome(tx, { claim: c, caseId: `CASE-${c.id}`, outcome: 'rejected' }));
    const results = await Promise.all(Array.from({ length: 8 }, record));
    expect(results.filter((r) => r.counted)).toHaveLength(1);
    expect((await record()).counted).toBe(false);
    expect(await rates.estimate('inbound_shortage', 'pod')).toMatchObject({ approved: 0, rejected: 1 });

    // Different claims at once: every one counted, none lost to a race.
    const others = await Promise.all(Array.from({ length: 10 }, () => insertClaim(db, 'inbound_shortage', score(0.6, 'pod'))));
    await Promise.all(others.map((o) => db.db.transaction((tx) => recordOutcome(tx, { claim: o, caseId: `CASE-${o.id}`, outcome: 'approved' }))));
    expect(await rates.estimate('inbound_shortage', 'pod')).toMatchObject({ approved: 10, rejected: 1 });
    const [h] = await rows<{ n: string }>(db.db, sql`SELECT count(*) AS n FROM learning_history WHERE claim_type = 'inbound_shortage'`);
    expect(Number(h?.n)).toBe(11);
    // The last history row carries the counts after it.
    const [last] = await rows<{ approved_after: number; rejected_after: number }>(
      db.db,
      sql`SELECT approved_after, rejected_after FROM learning_history WHERE claim_type = 'inbound_shortage' ORDER BY id DESC LIMIT 1`,
    );
    expect(last).toEqual({ approved_after: 10, rejected_after: 1 });
  });

  it('rolls the count back with the transaction that recorded it', async () => {
    const c = await insertClaim(db, 'removal_shortfall', score(0.7, 'none'));
    await expect(
      db.db.transaction(async (tx) => {
        await recordOutcome(tx, { claim: c, caseId: `CASE-${c.id}`, outcome: 'approved' });
        throw new Error('the phase failed after learning');
      }),
    ).rejects.toThrow('the phase failed');
    expect(await learnedRates(db.db).estimate('removal_shortfall', 'none')).toBeUndefined();
    const again = await db.db.transaction((tx) => recordOutcome(tx, { claim: c, caseId: `CASE-${c.id}`, outcome: 'approved' }));
    expect(again.counted).toBe(true);
  });

  it('uses profile none for an unscored claim', async () => {
    const c = await insertClaim(db, 'fee_overcharge', null);
    const r = await db.db.transaction((tx) => recordOutcome(tx, { claim: c, caseId: `CASE-${c.id}`, outcome: 'rejected' }));
    expect(r).toMatchObject({ counted: true, claimType: 'fee_overcharge', profile: 'none' });
  });

  it('replays past claims with the current model, reports who would route differently, and changes nothing', async () => {
    // Stored when nothing was learned: auto-submitted at 0.86 and 0.9; prompted at 0.6.
    const early = new Date('2026-10-01T00:00:00Z');
    const a = await insertClaim(db, 'lost_warehouse', score(0.86, 'invoice'), early);
    const b = await insertClaim(db, 'return_damaged', score(0.9, 'invoice_and_pod'));
    const p = await insertClaim(db, 'damaged_warehouse', score(0.6, 'invoice'));
    await insertClaim(db, 'lost_warehouse', { ...score(0.5, 'invoice'), evidence: 'junk' as unknown as number });
    const before = await snapshot(db);

    const report = await replayRouting(db.db, { thresholds: DEFAULT_THRESHOLDS });
    expect(await snapshot(db)).toEqual(before);

    const rates = learnedRates(db.db);
    const expectA = blendConfidence(0.86, await rates.estimate('lost_warehouse', 'invoice'));
    const expectP = blendConfidence(0.6, await rates.estimate('damaged_warehouse', 'invoice'));
    const byId = new Map(report.changed.map((c) => [c.claim_id, c]));
    // lost_warehouse/invoice is now 12 of 18 approved: Beta mean 13/20 at the cap weight 0.5,
    // so 0.86 falls to 0.755, below the auto-submit line.
    expect(expectA).toBe(0.755);
    expect(byId.get(a.id)).toMatchObject({ stored_route: 'auto_submit', replayed_route: 'smart_prompt', replayed_confidence: expectA });
    // damaged_warehouse/invoice is 9 of 9 approved: Beta mean 10/11 at weight 9/19 lifts 0.6 to
    // 0.7464, still under 0.85: it stays prompted, so the replay does not list it.
    expect(expectP).toBe(0.7464);
    expect(byId.has(p.id)).toBe(false);
    expect(byId.has(b.id)).toBe(false);
    expect(report.skipped).toBe(1);
    expect(report.moves['auto_submit → smart_prompt']).toBeGreaterThanOrEqual(1);

    const since = await replayRouting(db.db, { since: new Date('2026-10-15T00:00:00Z'), thresholds: DEFAULT_THRESHOLDS });
    expect(since.changed.some((c) => c.claim_id === a.id)).toBe(false);
    expect(since.claims).toBeLessThan(report.claims);
  });

  it('replays a fee claim as routing judges it: prompted for the measurement until its SKU is measured', async () => {
    // Fee claims with a POD were approved 40 times: 0.75 blends to over the auto-submit line.
    await db.db.insert(learningStats).values({ claimType: 'fee_overcharge', profile: 'pod', approved: 40, rejected: 0 });
    const at = new Date('2026-12-01T00:00:00Z');
    const fee = async (sku: string) => {
      const c = await insertClaim(db, 'fee_overcharge', score(0.75, 'pod'), at);
      await db.db.update(claims).set({ details: { sku } }).where(eq(claims.id, c.id));
      return c.id;
    };
    const unmeasured = await fee('SKU-NOT-MEASURED');
    const measured = await fee('SKU-MEASURED');
    await db.db.insert(skuMeasurements).values({ userId: 'seller-l', sku: 'SKU-MEASURED', lengthMm: 100, widthMm: 80, heightMm: 50, weightG: 400, photoFileIds: [], measuredAt: at });

    const blended = blendConfidence(0.75, await learnedRates(db.db).estimate('fee_overcharge', 'pod'));
    expect(blended).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.autoSubmit);
    const report = await replayRouting(db.db, { since: at, thresholds: DEFAULT_THRESHOLDS });
    const byId = new Map(report.changed.map((c) => [c.claim_id, c]));
    expect(byId.get(measured)).toMatchObject({ stored_route: 'smart_prompt', replayed_route: 'auto_submit', replayed_confidence: blended });
    // Routing would prompt for the measurement whatever the confidence: no move to report.
    expect(byId.has(unmeasured)).toBe(false);
  });

  it('cannot write inside a replay: the transaction is read-only', async () => {
    await expect(
      db.db.transaction((tx) => tx.insert(claims).values({ id: 'x', userId: 'u', type: 't', status: 'detected' }), { accessMode: 'read only' }),
    ).rejects.toThrow();
  });
});
