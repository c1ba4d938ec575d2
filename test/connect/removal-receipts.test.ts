// The seller's removal receipts: the CSV upload, the "did these units arrive?" prompt per removal
// shipment, and what the next detection makes of them (removal_lost_in_transit).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { detect } from '../../src/detection/index.js';
import { lastCompleteDay } from '../../src/detection/detect-claims.js';
import { materialize } from '../../src/sync/materialize.js';
import { rows } from '../../src/store/db.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { storeLine } from '../support/report-lines.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
});
afterAll(async () => {
  await t.close();
});

const SHIPMENTS = 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv';
const HEADER = ['request-date', 'order-id', 'shipment-date', 'sku', 'fnsku', 'disposition', 'shipped-quantity', 'carrier', 'tracking-number', 'removal-order-type'].join('\t');
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** Stores removal shipment lines as a sync would (report_lines and the source's header). */
async function synced(userId: string, parcels: Array<{ order: string; sku: string; tracking: string; shipped: number; ago: number }>) {
  const db = t.clario.database.db;
  const syncId = `sync-${userId}`;
  await rows(db, sql`INSERT INTO sync_sources (sync_id, source, user_id, status, header, document_id, rows, new_rows)
    VALUES (${syncId}, ${SHIPMENTS}, ${userId}, 'done', ${HEADER}, 'doc-1', ${parcels.length}, ${parcels.length})`);
  for (const [i, p] of parcels.entries()) {
    const line = [`${daysAgo(p.ago + 5)}T00:00:00+00:00`, p.order, `${daysAgo(p.ago)}T10:00:00+00:00`, p.sku, `X-${p.sku}`, 'Sellable', String(p.shipped), 'UPS', p.tracking, 'Return'].join('\t');
    await storeLine(db, { userId, source: SHIPMENTS, key: `h-${userId}-${i}`, line, syncId, documentId: 'doc-1', lineNo: i + 2 });
  }
}

/** The removal_lost_in_transit claims detection finds now, as the service runs it. */
async function lostInTransit(userId: string) {
  const dir = await mkdtemp(join(tmpdir(), 'clario-receipts-'));
  try {
    await materialize(t.clario.database.db, userId, dir);
    const { claims } = await detect(dir, { asOf: lastCompleteDay() });
    return claims
      .filter((c) => c.type === 'removal_lost_in_transit')
      .map((c) => ({ order: c.key.removal_order_id, quantity: c.quantity, status: c.status }))
      .sort((a, b) => String(a.order).localeCompare(String(b.order)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function upload(userId: string, body: string, token: string | null = t.serviceToken, headers: Record<string, string> = {}) {
  return t.request(`/api/v1/sellers/${userId}/removal-receipts`, { method: 'PUT', token, body, headers: { 'content-type': 'text/csv', ...headers } });
}
const list = (userId: string, state = '', token: string | null = t.serviceToken) => t.request(`/api/v1/sellers/${userId}/removal-shipments${state ? `?state=${state}` : ''}`, { token });
const answer = (userId: string, id: string, body: unknown, token: string | null = t.serviceToken) =>
  t.request(`/api/v1/sellers/${userId}/removal-shipments/${id}/answer`, { token, body });
const idOf = async (userId: string, order: string) => ((await list(userId)).body.shipments as Array<{ id: string; order_id: string }>).find((s) => s.order_id === order)?.id ?? '';

describe('removal shipments awaiting the seller', () => {
  it('asks about each shipment; an unanswered one is never a claim, an answered one is judged by the next detection', async () => {
    await synced('rs-ask', [
      { order: 'RMV-1', sku: 'A', tracking: '1Z001', shipped: 12, ago: 40 },
      { order: 'RMV-2', sku: 'B', tracking: '1Z002', shipped: 5, ago: 40 },
    ]);
    const before = await list('rs-ask', 'awaiting');
    expect(before.status).toBe(200);
    expect(before.body.shipments).toMatchObject([
      { order_id: 'RMV-1', sku: 'A', tracking_number: '1Z001', shipped_quantity: 12, shipment_date: daysAgo(40), state: 'awaiting', received_quantity: null },
      { order_id: 'RMV-2', state: 'awaiting' },
    ]);
    expect(await lostInTransit('rs-ask')).toEqual([]);

    const a = await answer('rs-ask', await idOf('rs-ask', 'RMV-1'), { answer: 'some', received_quantity: 4 });
    expect(a.status).toBe(200);
    expect(a.body.shipment).toMatchObject({ state: 'answered', received_quantity: 4, answer: { answer: 'some' } });
    // RMV-2 is still unanswered: the receipts file now exists, yet it is held back, not "none received".
    expect(await lostInTransit('rs-ask')).toEqual([{ order: 'RMV-1', quantity: 8, status: 'eligible' }]);
    expect((await list('rs-ask', 'awaiting')).body.shipments.map((s: { order_id: string }) => s.order_id)).toEqual(['RMV-2']);

    expect((await answer('rs-ask', await idOf('rs-ask', 'RMV-2'), { answer: 'all' })).status).toBe(200);
    expect(await lostInTransit('rs-ask')).toEqual([{ order: 'RMV-1', quantity: 8, status: 'eligible' }]);
  });

  it('refuses a bad answer, a second answer, an unknown shipment and other sellers', async () => {
    await synced('rs-rules', [{ order: 'RMV-9', sku: 'A', tracking: '1Z9', shipped: 3, ago: 10 }]);
    const id = await idOf('rs-rules', 'RMV-9');
    expect((await answer('rs-rules', id, { answer: 'some', received_quantity: 3 })).status).toBe(400);
    expect((await answer('rs-rules', id, { answer: 'some' })).status).toBe(400);
    expect((await answer('rs-rules', id, { answer: 'maybe' })).status).toBe(400);
    expect((await answer('rs-rules', 'rms_nope', { answer: 'all' })).status).toBe(404);
    const mallory = await t.sellerToken('mallory');
    expect((await answer('rs-rules', id, { answer: 'none' }, mallory)).status).toBe(403);
    expect((await list('rs-rules', '', mallory)).status).toBe(403);
    expect((await list('rs-rules', '', null)).status).toBe(401);
    // Another seller naming their own path does not find this seller's shipment.
    expect((await answer('mallory', id, { answer: 'none' }, mallory)).status).toBe(404);
    const own = await t.sellerToken('rs-rules');
    expect((await answer('rs-rules', id, { answer: 'none' }, own)).status).toBe(200);
    expect((await answer('rs-rules', id, { answer: 'all' }, own)).status).toBe(409);
  });
});

describe('uploading removal receipts', () => {
  it('an uploaded row wins; a shipment sent before the upload that the file lacks arrived not at all; a later one is still asked about', async () => {
    await synced('rs-file', [
      { order: 'RMV-1', sku: 'A', tracking: '1Z001', shipped: 12, ago: 40 }, // answered "all" before the upload
      { order: 'RMV-2', sku: 'B', tracking: '1Z002', shipped: 5, ago: 40 }, // in the file: 2 of 5
      { order: 'RMV-3', sku: 'C', tracking: '1Z003', shipped: 4, ago: 30 }, // sent before the upload, not in the file: none arrived
      { order: 'RMV-4', sku: 'D', tracking: '1Z004', shipped: 6, ago: 3 }, // sent after the upload: asked
    ]);
    expect((await answer('rs-file', await idOf('rs-file', 'RMV-1'), { answer: 'all' })).status).toBe(200);
    // Columns in any order, tracking numbers spelled with spaces and lower case, a bad line reported.
    const r = await upload('rs-file', `received_date,received_quantity,tracking_number,sku,order_id\n${daysAgo(20)},2,1z 002,B,RMV-2\n${daysAgo(20)},two,1Z003,C,RMV-3\n`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 1, problems: [{ line: 3, message: expect.stringContaining('received_quantity') as unknown }] });
    // The file was made ten days ago, before RMV-4 left.
    await rows(t.clario.database.db, sql`UPDATE sync_sources SET updated_at = now() - interval '10 days' WHERE sync_id = ${r.body.upload_id as string}`);

    const states = Object.fromEntries((await list('rs-file')).body.shipments.map((s: { order_id: string; state: string; received_quantity: number | null }) => [s.order_id, [s.state, s.received_quantity]]));
    expect(states).toEqual({ 'RMV-1': ['answered', 12], 'RMV-2': ['uploaded', 2], 'RMV-3': ['not_in_upload', 0], 'RMV-4': ['awaiting', null] });
    expect(await lostInTransit('rs-file')).toEqual([
      { order: 'RMV-2', quantity: 3, status: 'eligible' },
      { order: 'RMV-3', quantity: 4, status: 'eligible' },
    ]);
    // The file is the seller's record: a shipment it has a row for is no longer theirs to answer.
    expect((await answer('rs-file', await idOf('rs-file', 'RMV-2'), { answer: 'all' })).status).toBe(409);
    // One the file merely lacks can still be answered: it came after all.
    expect((await answer('rs-file', await idOf('rs-file', 'RMV-3'), { answer: 'all' })).status).toBe(200);
    expect(await lostInTransit('rs-file')).toEqual([{ order: 'RMV-2', quantity: 3, status: 'eligible' }]);
  });

  it('counts two equal lines as two deliveries of one parcel', async () => {
    await synced('rs-twice', [{ order: 'RMV-1', sku: 'A', tracking: '1Z001', shipped: 6, ago: 40 }]);
    const line = `RMV-1,A,1Z001,2,${daysAgo(30)}`;
    expect((await upload('rs-twice', `order_id,sku,tracking_number,received_quantity,received_date\n${line}\n${line}\n`)).body.rows).toBe(2);
    expect((await list('rs-twice')).body.shipments).toMatchObject([{ state: 'uploaded', received_quantity: 4 }]);
    expect(await lostInTransit('rs-twice')).toEqual([{ order: 'RMV-1', quantity: 2, status: 'eligible' }]);
  });

  it('refuses a file without the columns, an empty one, a body too large, and other sellers', async () => {
    const header = 'order_id,sku,tracking_number,received_quantity,received_date';
    const noColumns = await upload('rs-bad', 'order_id,sku,qty\nR,A,1\n');
    expect(noColumns.status).toBe(400);
    expect(noColumns.body.error.message).toContain('received_quantity');
    expect((await upload('rs-bad', `${header}\nR,A,T,-1,\nR,,T,1,\n`)).status).toBe(400);
    const big = await upload('rs-bad', `${header}\n${'R,A,T,1,2026-01-01\n'.repeat((21 * 1024 * 1024) / 19)}`);
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    expect((await upload('rs-bad', `${header}\nR,A,T,1,\n`, null)).status).toBe(401);
    expect((await upload('rs-bad', `${header}\nR,A,T,1,\n`, await t.sellerToken('mallory'))).status).toBe(403);
    expect((await upload('rs-bad', `${header}\nR,A,T,1,\n`, await t.sellerToken('rs-bad'))).status).toBe(200);
    expect((await upload('rs-bad', `${header}\nR,A,T,1,2026-02-30\n`)).body.error.message).toContain('no usable line');
  });
});
