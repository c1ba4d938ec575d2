// A paid claim's proof packet: rendered from the database (through phase 7's transaction when
// called there), stored once per claim with its SHA-256, and read back for download.
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { proofPackets } from '../store/schema/proof-tables.js';
import { gatherProof } from './gather-proof.js';
import { renderProofPdf } from './render-proof.js';

export interface RenderedProof {
  readonly bytes: Buffer;
  readonly sha256: string;
}

export async function renderProofPacket(q: Db, p: { claimId: string; payoutId: string }): Promise<RenderedProof> {
  const data = await gatherProof(q, p);
  const bytes = await renderProofPdf(data);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Stores the packet. The same payout again keeps the first packet (the hash the seller may have
 * seen already); a later payout of the same claim replaces it. Returns whether it was written.
 */
export async function saveProofPacket(
  q: Db,
  p: { claimId: string; userId: string; payoutId: string } & RenderedProof,
): Promise<boolean> {
  const r = await q
    .insert(proofPackets)
    .values({ claimId: p.claimId, userId: p.userId, payoutId: p.payoutId, sha256: p.sha256, bytes: p.bytes, sizeBytes: p.bytes.length })
    .onConflictDoUpdate({
      target: proofPackets.claimId,
      set: { payoutId: p.payoutId, sha256: p.sha256, bytes: p.bytes, sizeBytes: p.bytes.length, createdAt: sql`now()` },
      setWhere: sql`${proofPackets.payoutId} IS DISTINCT FROM excluded.payout_id`,
    })
    .returning({ claimId: proofPackets.claimId });
  return r.length > 0;
}

/** Renders and stores in one go: what phase 7 calls inside its transaction. */
export async function buildProofPacket(q: Db, p: { claimId: string; userId: string; payoutId: string }): Promise<RenderedProof & { stored: boolean }> {
  const rendered = await renderProofPacket(q, p);
  return { ...rendered, stored: await saveProofPacket(q, { ...p, ...rendered }) };
}

export type StoredProof = typeof proofPackets.$inferSelect;

export async function findProofPacket(q: Db, claimId: string): Promise<StoredProof | undefined> {
  const [row] = await q.select().from(proofPackets).where(eq(proofPackets.claimId, claimId));
  return row;
}
