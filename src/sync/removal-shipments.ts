// The removal shipments Amazon sent back to a seller (the synced removal shipment report), and
// what the seller says arrived of each: a row of their uploaded receipts file, or their answer to
// "did these 12 units arrive?". Detection judges a shipment only once the seller has spoken for
// it (DETECTION.md's "no row means nothing arrived" would otherwise claim every parcel nobody
// was asked about): see docs/detection.md, "Removal receipts".
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { formatDay, parseIsoDay } from '../detection/index.js';
import { matchHeader } from '../detection/read/columns.js';
import { RowError } from '../detection/read/fields.js';
import { removalShipmentsFormat } from '../detection/read/removal-shipments.js';
import { parcelId } from '../detection/rules/removal-lost-in-transit.js';
import { type Db, rows } from '../store/db.js';
import { removalReceiptAnswers } from '../store/schema/sync-tables.js';
import { RECEIPTS_FILE } from './seller-files.js';
import { latestDone } from './latest-sync.js';

export const REMOVAL_SHIPMENTS_FILE = 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv';

/**
 * What Clario knows of a shipment's arrival:
 * - `uploaded`: the latest receipts file has a row for it;
 * - `answered`: the seller answered its prompt;
 * - `not_in_upload`: the latest receipts file has no row for it and was uploaded on or after the
 *   day it shipped: nothing arrived, as DETECTION.md reads the file (the claim stays pending for
 *   the rule's grace days, and the seller may still answer);
 * - `awaiting`: none of these; the seller is asked, and detection does not see the shipment.
 */
export type ReceiptState = 'uploaded' | 'answered' | 'not_in_upload' | 'awaiting';
export type ReceiptAnswer = 'all' | 'some' | 'none';

export interface RemovalShipment {
  readonly id: string;
  readonly orderId: string;
  readonly sku: string;
  readonly fnsku: string | undefined;
  readonly carrier: string | undefined;
  /** As Amazon wrote it (the first line's spelling). */
  readonly trackingNumber: string;
  readonly shipped: number;
  /** The first shipment date, YYYY-MM-DD. */
  readonly shipmentDate: string;
  readonly state: ReceiptState;
  /** Units the seller received, as recorded; null while awaiting. */
  readonly received: number | null;
  readonly answer: { readonly answer: ReceiptAnswer; readonly answeredAt: Date } | null;
  /** The stored report lines of the shipment (report_lines.seq). */
  readonly seqs: readonly number[];
}

/** A shipment's stable id: the same order, SKU and tracking number give the same id. */
export function shipmentId(orderId: string, sku: string, trackingNumber: string): string {
  return `rms_${createHash('sha256').update(parcelId(orderId, sku, trackingNumber)).digest('base64url').slice(0, 22)}`;
}

interface Parcel {
  id: string;
  orderId: string;
  sku: string;
  fnsku: string | undefined;
  carrier: string | undefined;
  trackingNumber: string;
  shipped: number;
  first: number;
  seqs: number[];
}

/** The seller's stored removal shipment lines, one parcel per order, SKU and tracking number. */
async function storedParcels(db: Db, userId: string): Promise<Parcel[]> {
  const latest = await latestDone(db, userId, REMOVAL_SHIPMENTS_FILE);
  if (!latest?.header) return [];
  const format = removalShipmentsFormat();
  const match = matchHeader(latest.header.split('\t'), format.columns);
  if (!match.ok) return [];
  const lines = await rows<{ seq: string | number; line: string }>(db,
    sql`SELECT seq, line FROM report_lines WHERE user_id = ${userId} AND source = ${REMOVAL_SHIPMENTS_FILE} ORDER BY seq`,
  );
  const parcels = new Map<string, Parcel>();
  for (const l of lines) {
    let row;
    try {
      row = format.parse(l.line.split('\t'), match.index, { file: REMOVAL_SHIPMENTS_FILE, line: 0 });
    } catch (err) {
      // Detection reports the unreadable line; here it is simply no shipment.
      if (err instanceof RowError) continue;
      throw err;
    }
    const id = shipmentId(row.orderId, row.sku, row.trackingNumber);
    let p = parcels.get(id);
    if (!p) {
      p = { id, orderId: row.orderId, sku: row.sku, fnsku: row.fnsku, carrier: row.carrier, trackingNumber: row.trackingNumber, shipped: 0, first: row.day, seqs: [] };
      parcels.set(id, p);
    }
    p.shipped += row.shipped;
    p.first = Math.min(p.first, row.day);
    p.fnsku ??= row.fnsku;
    p.carrier ??= row.carrier;
    p.seqs.push(Number(l.seq));
  }
  return [...parcels.values()];
}

interface Upload {
  readonly syncId: string;
  readonly day: number;
  /** Units received per shipment id (rows of one parcel add up). */
  readonly received: Map<string, number>;
}

/** The latest receipts upload; its lines are stored in RECEIPTS_HEADER's order. */
async function latestUpload(db: Db, userId: string): Promise<Upload | undefined> {
  const latest = await latestDone(db, userId, RECEIPTS_FILE);
  if (!latest) return undefined;
  const lines = await rows<{ line: string }>(db,
    sql`SELECT line FROM report_lines WHERE user_id = ${userId} AND source = ${RECEIPTS_FILE} AND sync_id = ${latest.sync_id}`,
  );
  const received = new Map<string, number>();
  for (const { line } of lines) {
    const [orderId = '', sku = '', tracking = '', units = '0'] = line.split(',');
    const id = shipmentId(orderId, sku, tracking);
    received.set(id, (received.get(id) ?? 0) + Number(units));
  }
  const day = parseIsoDay(new Date(latest.updated_at).toISOString().slice(0, 10)) ?? 0;
  return { syncId: latest.sync_id, day, received };
}

async function answersOf(db: Db, userId: string) {
  const found = await db.select().from(removalReceiptAnswers).where(eq(removalReceiptAnswers.userId, userId));
  return new Map(found.map((a) => [a.shipmentId, a]));
}

export interface ReceiptsView {
  readonly shipments: RemovalShipment[];
  /** The latest receipts upload's id, when there is one. */
  readonly uploadSyncId: string | undefined;
  /** Answers to write as receipt lines: those for shipments the upload has no row for. */
  readonly answerLines: ReadonlyArray<{ orderId: string; sku: string; trackingNumber: string; received: number }>;
}

/**
 * Every removal shipment of the seller with what is known of its arrival, awaiting ones first,
 * then the newest. A row of the latest upload wins over an answer (the file is the seller's
 * fuller record); an answer wins over an upload that merely lacks the shipment.
 */
export async function removalReceipts(db: Db, userId: string): Promise<ReceiptsView> {
  const [parcels, upload, answers] = await Promise.all([storedParcels(db, userId), latestUpload(db, userId), answersOf(db, userId)]);
  const shipments = parcels
    .filter((p) => p.shipped > 0)
    .map((p): RemovalShipment => {
      const a = answers.get(p.id);
      const uploaded = upload?.received.get(p.id);
      const base = { id: p.id, orderId: p.orderId, sku: p.sku, fnsku: p.fnsku, carrier: p.carrier, trackingNumber: p.trackingNumber, shipped: p.shipped, shipmentDate: formatDay(p.first), seqs: p.seqs };
      const answer = a ? { answer: a.answer, answeredAt: a.answeredAt } : null;
      if (uploaded !== undefined) return { ...base, state: 'uploaded', received: uploaded, answer };
      if (a) return { ...base, state: 'answered', received: a.received, answer };
      // A file uploaded before the shipment left could not have recorded it: ask instead.
      if (upload && p.first <= upload.day) return { ...base, state: 'not_in_upload', received: 0, answer };
      return { ...base, state: 'awaiting', received: null, answer };
    })
    .sort((x, y) => Number(y.state === 'awaiting') - Number(x.state === 'awaiting') || y.shipmentDate.localeCompare(x.shipmentDate) || x.id.localeCompare(y.id));
  const answerLines = [...answers.values()]
    .filter((a) => upload?.received.get(a.shipmentId) === undefined)
    .map((a) => ({ orderId: a.orderId, sku: a.sku, trackingNumber: a.trackingNumber, received: a.received }));
  return { shipments, uploadSyncId: upload?.syncId, answerLines };
}

export type AnswerOutcome =
  | { readonly ok: true; readonly shipment: RemovalShipment }
  | { readonly ok: false; readonly code: 'not_found' | 'conflict' | 'invalid_request'; readonly message: string };

/**
 * Records the seller's answer to "did these units arrive?": all, some (with how many) or none.
 * A shipment is answered once; an uploaded receipts file with a row for it replaces the answer.
 */
export async function answerRemovalShipment(db: Db, o: { userId: string; shipmentId: string; answer: ReceiptAnswer; received?: number | undefined }): Promise<AnswerOutcome> {
  const view = await removalReceipts(db, o.userId);
  const s = view.shipments.find((x) => x.id === o.shipmentId);
  if (!s) return { ok: false, code: 'not_found', message: `no removal shipment ${o.shipmentId}` };
  if (s.state === 'uploaded' || s.state === 'answered') {
    return { ok: false, code: 'conflict', message: `removal shipment ${o.shipmentId} is already ${s.state}; upload removal-receipts.csv to change it` };
  }
  let received: number;
  if (o.answer === 'all') received = s.shipped;
  else if (o.answer === 'none') received = 0;
  else if (o.received === undefined || o.received < 1 || o.received >= s.shipped) {
    return { ok: false, code: 'invalid_request', message: `"some" needs received_quantity between 1 and ${s.shipped - 1} (of ${s.shipped} shipped); answer "all" or "none" otherwise` };
  } else received = o.received;
  const inserted = await db
    .insert(removalReceiptAnswers)
    .values({ userId: o.userId, shipmentId: s.id, orderId: s.orderId, sku: s.sku, trackingNumber: s.trackingNumber, answer: o.answer, shipped: s.shipped, received })
    .onConflictDoNothing()
    .returning();
  if (inserted.length === 0) return { ok: false, code: 'conflict', message: `removal shipment ${o.shipmentId} was answered meanwhile` };
  const [row] = await db.select().from(removalReceiptAnswers).where(and(eq(removalReceiptAnswers.userId, o.userId), eq(removalReceiptAnswers.shipmentId, s.id)));
  return { ok: true, shipment: { ...s, state: 'answered', received, answer: row ? { answer: row.answer, answeredAt: row.answeredAt } : null } };
}
