// Routing writes are compare-and-set: a claim filed (or dismissed) between scoring and routing
// keeps its status and gets no message; a ready claim whose score drops goes back to the seller.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { computeScores, NO_LEARNING, writeScores } from '../../src/evidence/match-claims.js';
import { routeScored } from '../../src/routing/route-scored.js';
import { recordMeasurement } from '../../src/routing/sku-measurements.js';
import { moveClaim } from '../../src/store/claim-rows.js';
import { rows, type Database } from '../../src/store/db.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { evidenceFiles, evidenceItems } from '../../src/store/schema/evidence-tables.js';
import { openPglite } from '../support/infra.js';

const thresholds = { autoSubmit: 0.85, smartPrompt: 0.5 };
const base = { userId: 'u1', syncId: 'run-1', currency: 'USD', deadline: '2026-03-31' };
const details = (sku: string, type = 'lost_warehouse') => ({ type, sku, key: { fnsku: `X-${sku}` } });

describe('routing scored claims', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openPglite();
    await database.db.insert(claims).values([
      { ...base, id: 'c-filed', type: 'lost_warehouse', status: 'detected', amountMinor: 1000, quantity: 2, details: details('A') },
      { ...base, id: 'c-ready', type: 'lost_warehouse', status: 'ready', amountMinor: 1000, quantity: 2, details: details('B') },
      { ...base, id: 'c-fee', type: 'fee_overcharge', status: 'detected', amountMinor: 300, quantity: 3, details: details('C', 'fee_overcharge') },
    ]);
  });
  afterAll(async () => {
    await database.close();
  });

  it('leaves a claim that moved meanwhile alone, and sends a ready claim whose evidence is short back to the seller', async () => {
    const scored = await computeScores(database.db, { userId: 'u1', learned: NO_LEARNING, now: new Date('2026-02-01T00:00:00Z') });
    expect(scored.map((s) => [s.id, s.score.confidence])).toEqual([['c-fee', 0.9], ['c-filed', 0.55], ['c-ready', 0.55]].sort());
    // The filing capability files one claim between phase 3's scoring and phase 4's commit.
    expect(await moveClaim(database.db, 'c-filed', 'detected', 'filed', { caseId: 'CASE-1' })).toBe(true);
    const routed = await database.db.transaction(async (tx) => {
      await writeScores(tx, scored);
      return routeScored(tx, scored, { thresholds, eventId: null, syncId: 'run-1' });
    });
    // The fee claim is confident enough to file, but not without the seller's measurement.
    expect(routed.map((r) => [r.id, r.from, r.to])).toEqual([
      ['c-fee', 'detected', 'prompted'],
      ['c-ready', 'ready', 'prompted'],
    ]);
    const after = await rows<{ id: string; status: string; score: unknown }>(database.db, sql`SELECT id, status, score FROM claims ORDER BY id`);
    expect(after.map((c) => [c.id, c.status, c.score === null])).toEqual([
      ['c-fee', 'prompted', false],
      ['c-filed', 'filed', true],
      ['c-ready', 'prompted', false],
    ]);
    const messages = await rows<{ type: string; claim: string }>(database.db, sql`SELECT type, payload->>'claim_id' AS claim FROM outbox ORDER BY seq`);
    expect(messages).toEqual([
      { type: 'prompt.opened', claim: 'c-fee' },
      { type: 'claim.routed', claim: 'c-fee' },
      { type: 'prompt.opened', claim: 'c-ready' },
      { type: 'claim.routed', claim: 'c-ready' },
    ]);
  });

  it('links an invoice line by a product name that names the SKU, and a delivery note by its shipment id', async () => {
    await database.db.insert(claims).values({ ...base, userId: 'u2', id: 'c-inbound', type: 'inbound_shortage', status: 'detected', amountMinor: 2500, quantity: 5, details: { sku: 'SKU-Z', key: { shipment_id: 'FBA15ABC0009', sku: 'SKU-Z' } } });
    const file = (id: string, kind: 'invoice' | 'proof_of_delivery') => ({ id, userId: 'u2', sha256: id, filename: `${id}.pdf`, contentType: 'application/pdf', sizeBytes: 1, kind, status: 'parsed' as const, report: {} });
    await database.db.insert(evidenceFiles).values([file('f-inv', 'invoice'), file('f-pod', 'proof_of_delivery'), file('f-other', 'invoice')]);
    await database.db.insert(evidenceItems).values([
      { fileId: 'f-inv', userId: 'u2', lineNo: 9, documentRef: 'INV-5', productName: 'Widget SKU-Z, blue', quantity: 5, unitCostMinor: 500, currency: 'USD', date: '2026-01-01' },
      { fileId: 'f-pod', userId: 'u2', lineNo: 3, documentRef: '1Z999', raw: { text: 'Delivered for shipment FBA15ABC0009', shipment_id: 'FBA15ABC0009' } },
      { fileId: 'f-other', userId: 'u2', lineNo: 2, documentRef: 'INV-6', productName: 'Widget SKU-ZZ', quantity: 5, unitCostMinor: 500, currency: 'USD', date: '2026-01-01' },
    ]);
    const [s] = await computeScores(database.db, { userId: 'u2', learned: NO_LEARNING, now: new Date('2026-02-01T00:00:00Z') });
    expect(s?.links.map((l) => [l.fileId, l.role, l.units])).toEqual([['f-inv', 'invoice', 5], ['f-pod', 'proof_of_delivery', 0]]);
    expect(s?.score).toMatchObject({ profile: 'invoice_and_pod', evidence: 1, missing: ['confirm'] });
    expect(s?.score.reasons).toContain('proof of delivery 1Z999 for FBA15ABC0009');
  });
});

describe('a claim inside Amazon’s own grace period', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openPglite();
    await database.db.insert(claims).values([
      { ...base, userId: 'u3', id: 'g-pending', type: 'refund_not_returned', status: 'detected', amountMinor: 300, quantity: 3, details: { ...details('P', 'refund_not_returned'), detection_status: 'pending' } },
      { ...base, userId: 'u3', id: 'g-eligible', type: 'refund_not_returned', status: 'detected', amountMinor: 300, quantity: 3, details: { ...details('E', 'refund_not_returned'), detection_status: 'eligible' } },
    ]);
  });
  afterAll(async () => {
    await database.close();
  });

  it('is scored but not routed: it stays detected, with the reason, while an eligible twin is filed', async () => {
    const scored = await computeScores(database.db, { userId: 'u3', learned: NO_LEARNING, now: new Date('2026-02-01T00:00:00Z') });
    expect(scored.map((s) => s.score.confidence)).toEqual([0.9, 0.9]);
    const routed = await database.db.transaction(async (tx) => {
      await writeScores(tx, scored);
      return routeScored(tx, scored, { thresholds, eventId: null, syncId: 'run-1' });
    });
    expect(routed.map((r) => [r.id, r.to])).toEqual([['g-eligible', 'ready']]);
    const after = await rows<{ id: string; status: string; score: { reasons: string[] } }>(database.db, sql`SELECT id, status, score FROM claims WHERE user_id = 'u3' ORDER BY id`);
    expect(after.map((c) => [c.id, c.status])).toEqual([['g-eligible', 'ready'], ['g-pending', 'detected']]);
    expect(after[1]?.score.reasons).toContain("inside Amazon's own reimbursement grace period: Clario files only if Amazon has not paid by its end");
  });
});

describe('a fee claim and the seller’s measurement of its SKU', () => {
  let database: Database;
  const route = async (userId: string) => {
    const scored = await computeScores(database.db, { userId, learned: NO_LEARNING, now: new Date('2026-02-01T00:00:00Z') });
    return database.db.transaction(async (tx) => {
      await writeScores(tx, scored);
      return routeScored(tx, scored, { thresholds, eventId: null, syncId: null });
    });
  };
  const claimRows = () => rows<{ id: string; status: string; details: Record<string, any> }>(database.db, sql`SELECT id, status, details FROM claims WHERE user_id = 'u4' ORDER BY id`);
  beforeAll(async () => {
    database = await openPglite();
    // Two fee charges of one SKU are two claims; one measurement serves both.
    await database.db.insert(claims).values([
      { ...base, userId: 'u4', id: 'f-1', type: 'fee_overcharge', status: 'detected', amountMinor: 300, quantity: 3, details: { type: 'fee_overcharge', sku: 'SKU-M', key: { sku: 'SKU-M' } } },
      { ...base, userId: 'u4', id: 'f-2', type: 'fee_overcharge', status: 'detected', amountMinor: 200, quantity: 2, currency: 'CAD', details: { type: 'fee_overcharge', sku: 'SKU-M', key: { sku: 'SKU-M' } } },
    ]);
  });
  afterAll(async () => {
    await database.close();
  });

  it('is prompted to measure, with the hold and its reason, until the SKU is measured; then it is ready with the measurement in its details', async () => {
    expect((await route('u4')).map((r) => [r.id, r.to])).toEqual([['f-1', 'prompted'], ['f-2', 'prompted']]);
    const before = await claimRows();
    expect(before.map((c) => c.details.hold?.code)).toEqual(['needs_measurements', 'needs_measurements']);
    expect(before[0]?.details.hold.reason).toMatch(/measure SKU-M/);
    const asks = await rows<{ asks: Array<{ need: string }> }>(database.db, sql`SELECT asks FROM prompts WHERE claim_id = 'f-1' AND status = 'open'`);
    expect(asks[0]?.asks.map((a) => a.need)).toEqual(['measure', 'dismiss']);
    // Routing again asks nothing new.
    await route('u4');
    expect((await rows(database.db, sql`SELECT id FROM prompts WHERE user_id = 'u4'`)).length).toBe(2);

    await recordMeasurement(database.db, { userId: 'u4', sku: 'SKU-M', measurements: { lengthMm: 300, widthMm: 200, heightMm: 150, weightG: 1250 }, photoFileIds: [], promptId: 'p', measuredAt: new Date('2026-02-02T09:00:00Z') });
    expect((await route('u4')).map((r) => [r.id, r.to])).toEqual([['f-1', 'ready'], ['f-2', 'ready']]);
    const after = await claimRows();
    expect(after.map((c) => [c.status, c.details.hold, c.details.measurements])).toEqual(
      Array(2).fill(['ready', undefined, { length_mm: 300, width_mm: 200, height_mm: 150, weight_g: 1250, measured_at: '2026-02-02T09:00:00.000Z' }]),
    );
    expect((await rows(database.db, sql`SELECT id FROM prompts WHERE user_id = 'u4' AND status = 'open'`)).length).toBe(0);
  });
});
