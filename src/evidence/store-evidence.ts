// Storing uploaded evidence: content-addressed bytes (one blob per SHA-256), one file row per
// seller and content (uploading the same bytes again returns the file already there), and the
// line items read from it. Type is decided by content, never by the declared header alone.
import { createHash, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Currency } from '../domain/money.js';
import type { Db } from '../store/db.js';
import { claimEvidence, evidenceBlobs, evidenceFiles, evidenceItems } from '../store/schema/evidence-tables.js';
import { chunksFor, writeChunks } from './blob-store.js';
import { guessKind, statusOf, type ReadResult } from './read/items.js';
import { checkFile, isPhoto, readFile, type EvidenceContentType } from './read/read-evidence.js';
import { PDF_LIMITS } from './read/read-pdf.js';

export { ACCEPTED_TYPES, UnsupportedFileError } from './read/read-evidence.js';

export type EvidenceFileRow = typeof evidenceFiles.$inferSelect;
export type EvidenceItemRow = typeof evidenceItems.$inferSelect;
export type EvidenceKind = 'invoice' | 'proof_of_delivery' | 'measurement_photo';

export interface PreparedFile {
  readonly filename: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly contentType: EvidenceContentType;
  readonly kind: EvidenceKind;
  readonly read: ReadResult;
}

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The kind a file is filed as: what the seller said, else what its content or name suggests. */
export const kindOf = (read: ReadResult, filename: string, said?: EvidenceKind, contentType?: EvidenceContentType): EvidenceKind =>
  contentType && isPhoto(contentType) ? 'measurement_photo' : (said ?? read.kindHint ?? guessKind(filename) ?? 'invoice');

/**
 * Checks what the bytes are and reads them, in this thread (tests and small files; uploads read
 * off the event loop through read-off-thread.ts). Throws UnsupportedFileError for anything but a
 * CSV, a PDF or a photo declared as one, or when the declared type contradicts the content.
 */
export async function prepareFile(f: { filename: string; bytes: Uint8Array; declaredType: string; kind?: EvidenceKind | undefined; defaultCurrency: Currency }): Promise<PreparedFile> {
  const contentType = checkFile(f);
  const read = await readFile(f.bytes, contentType, f.defaultCurrency, PDF_LIMITS);
  return { filename: f.filename, bytes: f.bytes, sha256: sha256Of(f.bytes), contentType, kind: kindOf(read, f.filename, f.kind, contentType), read };
}

/** Skipped lines listed one by one in a report; beyond, one line says how many more. */
export const MAX_REPORTED_SKIPS = 100;

export function reportOf(r: ReadResult) {
  const listed = r.skipped.slice(0, MAX_REPORTED_SKIPS).map((s) => ({ line: s.line, reason: s.reason }));
  const more = r.skipped.length - listed.length;
  return { lines_read: r.linesRead, items: r.items.length, skipped: more > 0 ? [...listed, { line: 0, reason: `and ${more} more lines skipped` }] : listed };
}

/** Line items per statement: small enough that each is a short turn on the embedded database. */
const ITEMS_PER_STATEMENT = 250;

/**
 * Stores a prepared file for a seller; the same bytes uploaded again return the stored file
 * (`created` false). The bytes and the line items go first, a statement at a time and outside the
 * transaction, so a large file never holds the embedded database's one connection for seconds;
 * the transaction then writes the blob's row and the file's. Until the file row exists its items
 * are read by no one (matching reads the items of the seller's files), so a crash in between
 * leaves only rows nothing sees.
 */
export async function storeFile(db: Db, userId: string, p: PreparedFile): Promise<{ file: EvidenceFileRow; created: boolean }> {
  const known = await fileBySha(db, userId, p.sha256);
  if (known) return { file: known, created: false };
  await writeChunks(db, p.sha256, p.bytes);
  const id = `evf_${randomUUID()}`;
  // Items written and no file row to own them (a failure, or the same bytes stored first by
  // another upload): they are this upload's alone, and go.
  const dropItems = () => db.delete(evidenceItems).where(eq(evidenceItems.fileId, id));
  let stored: { file: EvidenceFileRow; created: boolean };
  try {
    for (let at = 0; at < p.read.items.length; at += ITEMS_PER_STATEMENT) {
      await db.insert(evidenceItems).values(
        p.read.items.slice(at, at + ITEMS_PER_STATEMENT).map((i) => ({
          fileId: id,
          userId,
          lineNo: i.lineNo,
          documentRef: i.documentRef,
          supplier: i.supplier,
          sku: i.sku,
          productName: i.productName,
          quantity: i.quantity,
          unitCostMinor: i.unitCost?.minor ?? null,
          currency: i.unitCost?.currency ?? null,
          date: i.date,
          raw: i.raw,
        })),
      );
    }
    stored = await db.transaction(async (tx) => {
      const existing = await fileBySha(tx, userId, p.sha256);
      if (existing) return { file: existing, created: false };
      await tx.insert(evidenceBlobs).values({ sha256: p.sha256, chunks: chunksFor(p.bytes.byteLength), sizeBytes: p.bytes.byteLength }).onConflictDoNothing();
      const [file] = await tx
        .insert(evidenceFiles)
        .values({
          id,
          userId,
          sha256: p.sha256,
          filename: p.filename,
          contentType: p.contentType,
          sizeBytes: p.bytes.byteLength,
          kind: p.kind,
          // A photo has nothing to read: kept as sent, it is not "unreadable".
          status: isPhoto(p.contentType) ? 'parsed' : statusOf(p.read),
          report: reportOf(p.read),
        })
        .onConflictDoNothing()
        .returning();
      // A concurrent upload of the same bytes won the race: it is the same file.
      return file ? { file, created: true } : { file: (await fileBySha(tx, userId, p.sha256))!, created: false };
    });
  } catch (err) {
    // The failure to report is `err`; rows this cleanup could not drop are ones nothing reads.
    await dropItems().catch(() => undefined);
    throw err;
  }
  if (!stored.created) await dropItems();
  return stored;
}

/** The seller's file with these bytes, if they uploaded them before. */
export async function fileBySha(q: Db, userId: string, sha256: string): Promise<EvidenceFileRow | undefined> {
  const [row] = await q.select().from(evidenceFiles).where(and(eq(evidenceFiles.userId, userId), eq(evidenceFiles.sha256, sha256)));
  return row;
}

export async function filesOfUser(q: Db, userId: string, limit = 500): Promise<EvidenceFileRow[]> {
  return q.select().from(evidenceFiles).where(eq(evidenceFiles.userId, userId)).orderBy(desc(evidenceFiles.createdAt), desc(evidenceFiles.id)).limit(limit);
}

export async function itemsOfFile(q: Db, fileId: string): Promise<EvidenceItemRow[]> {
  return q.select().from(evidenceItems).where(eq(evidenceItems.fileId, fileId)).orderBy(asc(evidenceItems.lineNo), asc(evidenceItems.id));
}

/** The claims each file is linked to. */
export async function claimsOfFiles(q: Db, fileIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (fileIds.length === 0) return out;
  const links = await q.select({ fileId: claimEvidence.fileId, claimId: claimEvidence.claimId }).from(claimEvidence).where(inArray(claimEvidence.fileId, [...fileIds]));
  for (const l of links) out.set(l.fileId, [...(out.get(l.fileId) ?? []), l.claimId].sort());
  return out;
}
