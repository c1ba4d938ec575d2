// Evidence: uploaded files, the items read from them, which claim they support, and smart prompts.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bytea, ts } from './column-types.js';

/**
 * Uploaded evidence, content-addressed: identical bytes are stored once. The row is written last,
 * so it says the bytes are all there: in `evidence_blob_chunks` (`chunks` of them), or in `bytes`
 * for a file stored before chunks (then `chunks` is null).
 */
export const evidenceBlobs = pgTable('evidence_blobs', {
  sha256: text('sha256').primaryKey(),
  bytes: bytea('bytes'),
  chunks: integer('chunks'),
  sizeBytes: integer('size_bytes').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * A blob's bytes in pieces, each written and read by a statement of its own: a 10 MB file never
 * holds the embedded database's one connection for seconds (every other request waited on it).
 */
export const evidenceBlobChunks = pgTable(
  'evidence_blob_chunks',
  {
    sha256: text('sha256').notNull(),
    idx: integer('idx').notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.idx] })],
);

/** A seller's evidence file (supplier invoice, proof of delivery) and the report of what was read. */
export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    sha256: text('sha256').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    kind: text('kind').$type<'invoice' | 'proof_of_delivery' | 'measurement_photo' | 'other'>().notNull(),
    status: text('status').$type<'parsed' | 'partial' | 'unreadable'>().notNull(),
    /** Per-file report: lines read, lines skipped with why. */
    report: jsonb('report').notNull().$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('evidence_files_user_sha').on(t.userId, t.sha256), index('evidence_files_user').on(t.userId, t.createdAt)],
);

/** A line item read from an evidence file. */
export const evidenceItems = pgTable(
  'evidence_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    fileId: text('file_id').notNull(),
    userId: text('user_id').notNull(),
    lineNo: integer('line_no').notNull(),
    /** Invoice number, delivery note or tracking number. */
    documentRef: text('document_ref'),
    supplier: text('supplier'),
    sku: text('sku'),
    productName: text('product_name'),
    quantity: integer('quantity'),
    unitCostMinor: bigint('unit_cost_minor', { mode: 'number' }),
    currency: text('currency'),
    date: date('date', { mode: 'string' }),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
  },
  (t) => [index('evidence_items_user_sku').on(t.userId, t.sku), index('evidence_items_file').on(t.fileId)],
);

/** Which evidence supports which claim, and how much of it. */
export const claimEvidence = pgTable(
  'claim_evidence',
  {
    claimId: text('claim_id').notNull(),
    fileId: text('file_id').notNull(),
    userId: text('user_id').notNull(),
    role: text('role').$type<'invoice' | 'proof_of_delivery' | 'measurement_photo' | 'other'>().notNull(),
    itemIds: jsonb('item_ids').notNull().$type<number[]>(),
    units: integer('units'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.claimId, t.fileId] }), index('claim_evidence_file').on(t.fileId)],
);

/** A smart prompt: what Clario needs from the seller about one claim. One open prompt per claim. */
export const prompts = pgTable(
  'prompts',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    claimId: text('claim_id').notNull(),
    status: text('status').$type<'open' | 'answered' | 'dismissed' | 'superseded'>().notNull(),
    /** What is missing: [{ need: 'confirm' | 'upload_invoice' | 'upload_proof_of_delivery' | ..., message }]. */
    asks: jsonb('asks').notNull().$type<Array<Record<string, unknown>>>(),
    answer: jsonb('answer').$type<Record<string, unknown>>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    answeredAt: ts('answered_at'),
  },
  (t) => [
    uniqueIndex('prompts_one_open_per_claim').on(t.claimId).where(sql`status = 'open'`),
    index('prompts_user').on(t.userId, t.status),
  ],
);

/**
 * A seller's own measurement of a SKU (whole millimetres and grams), which fee disputes need: one
 * per seller and SKU serves every fee claim of that SKU; a new measurement replaces the old. The
 * photos are evidence files of kind `measurement_photo`.
 */
export const skuMeasurements = pgTable(
  'sku_measurements',
  {
    userId: text('user_id').notNull(),
    sku: text('sku').notNull(),
    lengthMm: integer('length_mm').notNull(),
    widthMm: integer('width_mm').notNull(),
    heightMm: integer('height_mm').notNull(),
    weightG: integer('weight_g').notNull(),
    photoFileIds: jsonb('photo_file_ids').notNull().$type<string[]>(),
    /** The prompt whose answer gave it. */
    promptId: text('prompt_id'),
    measuredAt: ts('measured_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.sku] }),
    check('sku_measurements_positive', sql`${t.lengthMm} > 0 AND ${t.widthMm} > 0 AND ${t.heightMm} > 0 AND ${t.weightG} > 0`),
  ],
);
