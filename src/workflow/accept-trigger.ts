// Intake: fills in what a trigger leaves implicit, then stores it in the inbox. A phase 1 without
// a sync id starts a new sync run; phases 2–4 without one continue the user's latest run; phases
// 5–7 named only by case id find their claim. Whatever cannot be resolved is still stored: the
// phase then fails visibly, since Amazon's events may arrive before Clario expects them.
import { PHASES } from '../domain/phase.js';
import { claimsOfCase, findClaim } from '../store/claim-rows.js';
import type { Database, Db } from '../store/db.js';
import { latestSyncRun } from '../store/sync-runs.js';
import { currentTraceParent, inSpan } from '../observability/tracing.js';
import { newSyncId } from './lane.js';
import type { AcceptedTrigger, TriggerInput } from './types.js';

/** A trigger names a case that holds several claims, and no claim: which one is meant is unknown. */
export class AmbiguousCaseError extends Error {
  override readonly name = 'AmbiguousCaseError';
  constructor(readonly caseId: string, readonly claimIds: readonly string[]) {
    super(`case ${caseId} holds several claims (${claimIds.join(', ')}); send claim_id`);
  }
}

export async function resolveTrigger(tx: Db, t: TriggerInput): Promise<TriggerInput> {
  if (PHASES[t.phase].scope === 'sync') {
    if (t.syncId) return t;
    if (t.phase === 1) return { ...t, syncId: newSyncId() };
    const latest = await latestSyncRun(tx, t.userId);
    return latest ? { ...t, syncId: latest.id } : t;
  }
  let claim = t.claimId ? await findClaim(tx, t.claimId) : undefined;
  if (!t.claimId && t.caseId) {
    const ofCase = await claimsOfCase(tx, t.userId, t.caseId, 10);
    if (ofCase.length > 1) throw new AmbiguousCaseError(t.caseId, ofCase.map((c) => c.id));
    claim = ofCase[0];
  }
  if (!claim || claim.userId !== t.userId) return t;
  return { ...t, claimId: claim.id, syncId: t.syncId ?? claim.syncId ?? undefined };
}

/** Stores a resolved trigger: alone (insertTrigger) or in a batch with concurrent ones (engine.ts). */
export type StoreTrigger = (t: TriggerInput) => Promise<AcceptedTrigger>;

export async function acceptTrigger(database: Database, t: TriggerInput, store: StoreTrigger): Promise<AcceptedTrigger> {
  // The trace starts here (or continues the caller's `traceparent`); the stored traceparent carries it
  // through the queue to whichever worker runs the phase.
  return inSpan('clario.trigger', { parent: t.traceParent, attributes: { 'clario.phase': t.phase, 'clario.source': t.source } }, async (span) => {
    const accepted = await store({ ...(await resolveTrigger(database.db, t)), traceParent: currentTraceParent() });
    span.setAttributes({ 'clario.event_id': accepted.eventId, 'clario.duplicate': accepted.duplicate });
    return accepted;
  });
}
