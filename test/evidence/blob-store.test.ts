// Evidence bytes stored and read a 256 KiB piece at a time, each piece its own statement (a 10 MB
// file in one statement held the embedded database's one connection for about 8 s), on both
// engines: the bytes come back exactly, files stored whole before pieces still read, and pieces a
// crash left behind are reused by the next upload of the same bytes.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { CHUNK_BYTES, readBlob, readBlobWhole, writeChunks } from '../../src/evidence/blob-store.js';
import { sha256Of, storeFile, type PreparedFile } from '../../src/evidence/store-evidence.js';
import { rows } from '../../src/store/db.js';
import { evidenceBlobChunks, evidenceBlobs } from '../../src/store/schema/evidence-tables.js';
import { describeOnEngines } from '../support/infra.js';

const prepared = (bytes: Buffer): PreparedFile => ({
  filename: 'big.pdf',
  bytes,
  sha256: sha256Of(bytes),
  contentType: 'application/pdf',
  kind: 'invoice',
  read: { linesRead: 0, items: [], skipped: [], kindHint: null } as unknown as PreparedFile['read'],
});

describeOnEngines('evidence bytes in pieces', (database) => {
  it('stores a file over several pieces and reads back the same bytes, a piece at a time', async () => {
    const db = database().db;
    const bytes = randomBytes(2 * CHUNK_BYTES + 1234);
    const { file, created } = await storeFile(db, 'alice', prepared(bytes));
    expect(created).toBe(true);
    const pieces = await db.select({ idx: evidenceBlobChunks.idx }).from(evidenceBlobChunks).where(eq(evidenceBlobChunks.sha256, file.sha256));
    expect(pieces.map((p) => p.idx).sort()).toEqual([0, 1, 2]);
    const [blob] = await db.select({ bytes: evidenceBlobs.bytes, chunks: evidenceBlobs.chunks }).from(evidenceBlobs).where(eq(evidenceBlobs.sha256, file.sha256));
    expect(blob).toEqual({ bytes: null, chunks: 3 });

    const read = await readBlob(db, file.sha256);
    const sizes: number[] = [];
    for await (const piece of read!.pieces) sizes.push(piece.byteLength);
    expect(sizes).toEqual([CHUNK_BYTES, CHUNK_BYTES, 1234]);
    expect(read!.size).toBe(bytes.byteLength);
    expect((await readBlobWhole(db, file.sha256))!.equals(bytes)).toBe(true);
  });

  it('keeps no line items of an upload whose file row could not be written', async () => {
    const db = database().db;
    const bytes = randomBytes(100);
    const items = [{ lineNo: 2, documentRef: 'INV-9', supplier: null, sku: 'SKU-9', productName: null, quantity: 1, unitCost: null, date: null, raw: { sku: 'SKU-9', qty: '1' } }];
    // PostgreSQL text cannot hold NUL: the file row's insert fails after the items were written.
    const broken = { ...prepared(bytes), filename: 'a\u0000b.pdf', read: { ...prepared(bytes).read, items } } as PreparedFile;
    await expect(storeFile(db, 'carol', broken)).rejects.toThrow();
    const [n] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM evidence_items WHERE user_id = 'carol'`);
    expect(n?.n).toBe(0);
  });

  it('reads a file stored whole before pieces', async () => {
    const db = database().db;
    const bytes = randomBytes(1000);
    await db.insert(evidenceBlobs).values({ sha256: sha256Of(bytes), bytes, sizeBytes: 1000 });
    expect((await readBlobWhole(db, sha256Of(bytes)))!.equals(bytes)).toBe(true);
  });

  it('knows no blob whose row was never written, and reuses the pieces a crash left', async () => {
    const db = database().db;
    const bytes = randomBytes(CHUNK_BYTES + 10);
    const sha = sha256Of(bytes);
    // A crash after the pieces, before the row: nothing reads as stored.
    await writeChunks(db, sha, bytes);
    expect(await readBlob(db, sha)).toBeUndefined();
    const { file } = await storeFile(db, 'bob', prepared(bytes));
    expect((await readBlobWhole(db, file.sha256))!.equals(bytes)).toBe(true);
    const [n] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM evidence_blob_chunks WHERE sha256 = ${sha}`);
    expect(n?.n).toBe(2);
  });
});
