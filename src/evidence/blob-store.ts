// Evidence bytes in the database, a piece at a time. Each piece is its own statement, outside any
// transaction: on the embedded database (one connection, every request waiting its turn) a 10 MB
// file in one statement held everyone else for seconds (about 8 s to write, 1.5 s to read). The
// evidence_blobs row is written after the pieces (by storeFile, with the file row), so a blob
// whose row exists has every piece; pieces left by a crash before it are reused by the next upload
// of the same bytes (they are keyed by content).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { evidenceBlobChunks, evidenceBlobs } from '../store/schema/evidence-tables.js';

export const CHUNK_BYTES = 256 * 1024;

/** How many pieces `size` bytes take. */
export const chunksFor = (size: number) => Math.ceil(size / CHUNK_BYTES);

/** Writes the pieces of a blob not stored yet; the caller then writes its evidence_blobs row. */
export async function writeChunks(db: Db, sha256: string, bytes: Uint8Array): Promise<void> {
  const [stored] = await db.select({ sha256: evidenceBlobs.sha256 }).from(evidenceBlobs).where(eq(evidenceBlobs.sha256, sha256));
  if (stored) return;
  for (let idx = 0; idx < chunksFor(bytes.byteLength); idx++) {
    const piece = bytes.subarray(idx * CHUNK_BYTES, (idx + 1) * CHUNK_BYTES);
    await db.insert(evidenceBlobChunks).values({ sha256, idx, bytes: piece }).onConflictDoNothing();
  }
}

/**
 * A stored blob's bytes, a piece at a time (undefined when no complete blob has this hash). A
 * blob stored before pieces comes whole.
 */
export async function readBlob(db: Db, sha256: string): Promise<{ size: number; pieces: AsyncIterable<Uint8Array> } | undefined> {
  const [blob] = await db.select({ bytes: evidenceBlobs.bytes, chunks: evidenceBlobs.chunks, size: evidenceBlobs.sizeBytes }).from(evidenceBlobs).where(eq(evidenceBlobs.sha256, sha256));
  if (!blob) return undefined;
  const { bytes, chunks, size } = blob;
  async function* pieces(): AsyncGenerator<Uint8Array> {
    if (bytes) {
      yield bytes;
      return;
    }
    for (let idx = 0; idx < (chunks ?? 0); idx++) {
      const [piece] = await db
        .select({ bytes: evidenceBlobChunks.bytes })
        .from(evidenceBlobChunks)
        .where(and(eq(evidenceBlobChunks.sha256, sha256), eq(evidenceBlobChunks.idx, idx)));
      if (!piece) throw new Error(`evidence blob ${sha256} has lost piece ${idx} of ${chunks}`);
      yield piece.bytes;
    }
  }
  return { size, pieces: pieces() };
}

/** A stored blob's bytes in one buffer (read a piece at a time). */
export async function readBlobWhole(db: Db, sha256: string): Promise<Buffer | undefined> {
  const blob = await readBlob(db, sha256);
  if (!blob) return undefined;
  const parts: Uint8Array[] = [];
  for await (const piece of blob.pieces) parts.push(piece);
  return Buffer.concat(parts);
}
