// Phase 7's share of learning and transparency, for the settlement capability to call last in its
// `apply(tx)` (after the fee and ledger rows, so the packet shows them): the approval teaches the
// model once, and the proof packet is rendered from the committing transaction and stored.
import { recordOutcome, type RecordedOutcome } from '../learning/record-outcome.js';
import type { ClaimRow } from '../store/claim-rows.js';
import type { Db } from '../store/db.js';
import { buildProofPacket } from './proof-packet.js';

export interface PayoutRecorded {
  readonly learned: RecordedOutcome;
  readonly proof: { readonly sha256: string; readonly sizeBytes: number; readonly stored: boolean };
}

export async function recordPayout(q: Db, p: { claim: ClaimRow; caseId: string; payoutId: string }): Promise<PayoutRecorded> {
  const learned = await recordOutcome(q, { claim: p.claim, caseId: p.caseId, outcome: 'approved' });
  const proof = await buildProofPacket(q, { claimId: p.claim.id, userId: p.claim.userId, payoutId: p.payoutId });
  return { learned, proof: { sha256: proof.sha256, sizeBytes: proof.bytes.length, stored: proof.stored } };
}
