// A seller's Amazon data: sync runs, each source's progress, and the report lines as Amazon sent them.
import { bigserial, index, integer, pgTable, primaryKey, serial, text, unique, uuid } from 'drizzle-orm/pg-core';
import { ts } from './column-types.js';

/** A sync of one seller's Amazon data: phases 1–4 run once per sync run. */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    sellerId: text('seller_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('sync_runs_user').on(t.userId, t.createdAt)],
);

/**
 * One seller's lines of one source: a small number that stands for the pair in report_lines' key.
 * The key is what a sync pays for on every line it stores (a random place in the index, since it
 * ends in a hash), so it is kept narrow: this number and a 16-byte hash, not two texts and a text hash.
 */
export const reportStreams = pgTable(
  'report_streams',
  {
    id: serial('id').primaryKey(),
    userId: text('user_id').notNull(),
    source: text('source').notNull(),
  },
  (t) => [unique('report_streams_user_source').on(t.userId, t.source)],
);

/**
 * Report lines as Amazon sent them, one row per distinct line per seller and source, so repeated
 * or overlapping syncs never store a line twice. `header` is the document's header line.
 * `line_hash` is 4 bytes of the SHA-256 of the line's first field, then the first 12 bytes of the
 * SHA-256 of what identifies the line within its source (the line, or its key; store-lines.ts), as
 * a uuid: a fixed 16 bytes compared byte by byte, one day's lines side by side.
 * `stream_id` repeats `user_id` and `source` as a number, for the key only: the readers keep asking
 * by seller and source (report_lines_order).
 */
export const reportLines = pgTable(
  'report_lines',
  {
    userId: text('user_id').notNull(),
    source: text('source').notNull(),
    streamId: integer('stream_id').notNull(),
    lineHash: uuid('line_hash').notNull(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    line: text('line').notNull(),
    syncId: text('sync_id').notNull(),
    documentId: text('document_id').notNull(),
    lineNo: integer('line_no').notNull(),
  },
  (t) => [primaryKey({ name: 'report_lines_stream_hash_pk', columns: [t.streamId, t.lineHash] }), index('report_lines_order').on(t.userId, t.source, t.seq)],
);

/** Each source of each sync run: resumable, and the progress the seller sees. */
export const syncSources = pgTable(
  'sync_sources',
  {
    syncId: text('sync_id').notNull(),
    source: text('source').notNull(),
    userId: text('user_id').notNull(),
    status: text('status').$type<'pending' | 'done'>().notNull(),
    header: text('header'),
    documentId: text('document_id'),
    rows: integer('rows').notNull().default(0),
    newRows: integer('new_rows').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.syncId, t.source] }), index('sync_sources_user').on(t.userId, t.source)],
);

/**
 * A seller's answer to "did this removal shipment arrive?" (one per shipment: order, SKU and
 * tracking number). Detection reads it as a line of removal-receipts.csv.
 */
export const removalReceiptAnswers = pgTable(
  'removal_receipt_answers',
  {
    userId: text('user_id').notNull(),
    /** The shipment's id (removal-shipments.ts: a hash of order, SKU and tracking number). */
    shipmentId: text('shipment_id').notNull(),
    orderId: text('order_id').notNull(),
    sku: text('sku').notNull(),
    trackingNumber: text('tracking_number').notNull(),
    answer: text('answer').$type<'all' | 'some' | 'none'>().notNull(),
    /** Units shipped when the seller answered, and units they received. */
    shipped: integer('shipped').notNull(),
    received: integer('received').notNull(),
    answeredAt: ts('answered_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.shipmentId] })],
);
