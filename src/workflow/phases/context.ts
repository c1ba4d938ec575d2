import { NonRetryableError, RetryAfterError, UnknownReferenceError } from '../../domain/errors.js';
import { claimsOfCase, findClaim, type ClaimRow } from '../../store/claim-rows.js';
import { findSyncRun } from '../../store/sync-runs.js';
import type { CapabilityContext, SyncRef } from '../capabilities.js';
import type { PhaseContext } from '../types.js';

export function capabilityContext(ctx: PhaseContext): CapabilityContext {
  return { event: ctx.event, db: ctx.db, effects: ctx.effects, signal: ctx.signal, reportProgress: (p) => ctx.reportProgress(p) };
}

/** The sync run a phase 2–4 event is about; unknown runs are retried, then parked. */
export async function requireSyncRun(ctx: PhaseContext): Promise<SyncRef> {
  const { syncId, userId } = ctx.event;
  if (!syncId) throw new UnknownReferenceError(`user ${userId} has no sync run to continue`, 'unknown_sync');
  const run = await findSyncRun(ctx.db, syncId);
  if (!run) throw new UnknownReferenceError(`sync run ${syncId} is not known (yet)`, 'unknown_sync');
  if (run.userId !== userId) throw new NonRetryableError(`sync run ${syncId} belongs to another user`, 'forbidden_reference');
  return { userId, sellerId: run.sellerId, syncId };
}

/** The claim a phase 5–7 event is about, by claim id or case id. */
export async function requireClaim(ctx: PhaseContext): Promise<ClaimRow> {
  const { claimId, caseId, userId } = ctx.event;
  let claim = claimId ? await findClaim(ctx.db, claimId) : undefined;
  if (!claimId && caseId) {
    const ofCase = await claimsOfCase(ctx.db, userId, caseId, 10);
    if (ofCase.length > 1) throw new NonRetryableError(`case ${caseId} holds several claims; the trigger must name claim_id`, 'ambiguous_case');
    claim = ofCase[0];
  }
  if (!claim) throw new UnknownReferenceError(`claim ${claimId ?? `for case ${caseId ?? '?'}`} is not known (yet)`, 'unknown_claim');
  if (claim.userId !== userId) throw new NonRetryableError(`claim ${claim.id} belongs to another user`, 'forbidden_reference');
  return claim;
}

/** Amazon's answer may arrive before our record of the filing: wait for it rather than fail. */
export function requireFiled(claim: ClaimRow, caseId: string | null, waitMs: number): string {
  if (claim.status !== 'filed' && claim.status !== 'rejected' && claim.status !== 'paid') {
    throw new RetryAfterError(`claim ${claim.id} has not been filed yet (status ${claim.status})`, waitMs, 'claim_not_filed');
  }
  const known = claim.caseId;
  if (!known) throw new RetryAfterError(`claim ${claim.id} has no case id yet`, waitMs, 'claim_not_filed');
  if (caseId && caseId !== known) {
    throw new NonRetryableError(`case ${caseId} is not the case Clario filed for claim ${claim.id} (${known})`, 'case_mismatch');
  }
  return known;
}
