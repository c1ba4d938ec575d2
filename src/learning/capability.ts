// The learning capability. Phase 6: Amazon rejected a case. Classify why, record it, teach the model, and
// re-route the claim: ask the seller for exactly the missing document, or close it. Everything is
// written in the phase's commit; the rejections row (unique per claim and case) makes a second
// delivery of the same rejection a no-op. Phase 7: Amazon approved one; the model counts it.
import { NonRetryableError } from '../domain/errors.js';
import { actionFor, askMessage, classifyRejection, missingDocuments, moreInformationAsk, moreInformationSummary, readRejection, rejectionSummary, type RejectionReading } from '../domain/rejection.js';
import { blendConfidence, type ApprovalEstimate } from '../domain/scoring.js';
import { moveClaim, type ClaimRow } from '../store/claim-rows.js';
import type { Db } from '../store/db.js';
import { openPrompt } from '../store/prompt-rows.js';
import { claims } from '../store/schema/claims-tables.js';
import { rejections } from '../store/schema/learning-tables.js';
import type { Capabilities } from '../workflow/capabilities.js';
import { publish } from '../workflow/publish.js';
import { evidenceOf } from './profile.js';
import { recordOutcome } from './record-outcome.js';
import { eq, sql } from 'drizzle-orm';

export interface RejectionApplied {
  /** False when this rejection was already recorded (nothing written). */
  readonly recorded: boolean;
  readonly promptId: string | null;
  readonly confidence: number | null;
}

export function learningCapability(): Capabilities['learning'] {
  return {
    learn(ctx, { claim, caseId, reason, round = '', moreInformation = false }) {
      if (!caseId) return Promise.reject(new NonRetryableError(`claim ${claim.id} has no case id to learn from`, 'invalid_trigger'));
      const reading = moreInformation ? readMoreInformation(reason, claim.type) : readRejection(reason, claim.type);
      return Promise.resolve({
        data: { reason_code: reading.code, action: reading.action, needs: [...reading.needs], ...(moreInformation ? { more_information: true } : {}) },
        apply: async (tx) => {
          await applyRejection(tx, { claim, caseId, reading, eventId: ctx.event.id, round, moreInformation });
        },
      });
    },
    // Counted in phase 7's commit; the history row's unique index makes a repeat a no-op.
    recordApproval: (_ctx, { claim, caseId }) =>
      Promise.resolve({
        apply: async (tx) => {
          await recordOutcome(tx, { claim, caseId, outcome: 'approved' });
        },
      }),
  };
}

/**
 * Amazon's request for documents, read like a rejection Clario can answer: its reason when the
 * taxonomy says a document fixes it, else "more information", and exactly the documents to ask for.
 */
function readMoreInformation(text: string | null, claimType: string): RejectionReading {
  const read = classifyRejection(text);
  const code = actionFor(read) === 'reprompt' ? read : 'insufficient_information';
  return { code, rawText: text?.trim() ? text : null, action: 'reprompt', needs: missingDocuments(code, text, claimType) };
}

/** The rejection's state changes, inside the phase's transaction. */
export async function applyRejection(
  tx: Db,
  r: { claim: ClaimRow; caseId: string; reading: RejectionReading; eventId: string | null; round?: string; moreInformation?: boolean },
): Promise<RejectionApplied> {
  const { claim, caseId, reading } = r;
  const inserted = await tx
    .insert(rejections)
    .values({ userId: claim.userId, claimId: claim.id, caseId, reasonCode: reading.code, rawText: reading.rawText, action: reading.action, roundKey: r.round ?? '' })
    .onConflictDoNothing()
    .returning({ id: rejections.id });
  if (inserted.length === 0) return { recorded: false, promptId: null, confidence: null };

  // A request for documents is no decision: the model learns from Amazon's answers, not its questions.
  // (A later round's rejection on the same case is counted once per claim and case: learning_history.)
  const confidence = r.moreInformation
    ? null
    : await rescore(tx, claim, (await recordOutcome(tx, { claim, caseId, outcome: 'rejected', reasonCode: reading.code })).estimate);
  const ask = r.moreInformation ? moreInformationAsk : askMessage;

  let promptId: string | null = null;
  // The handler moved filed → rejected in this transaction; a claim Amazon paid meanwhile stays paid.
  if (reading.action === 'reprompt' && reading.needs.length > 0 && (await moveClaim(tx, claim.id, 'rejected', 'prompted'))) {
    promptId = await openPrompt(tx, {
      userId: claim.userId,
      claimId: claim.id,
      asks: reading.needs.map((need) => ({ need, message: ask(need, caseId) })),
    });
  }
  await publish(tx, {
    type: 'claim.rejected',
    event_id: r.eventId,
    user_id: claim.userId,
    claim_id: claim.id,
    case_id: caseId,
    claim_type: claim.type,
    reason_code: reading.code,
    reason_text: reading.rawText,
    action: reading.action,
    needs: [...reading.needs],
    prompt_id: promptId,
    message: r.moreInformation ? moreInformationSummary(caseId) : rejectionSummary(reading.code, caseId),
    at: new Date().toISOString(),
  });
  return { recorded: true, promptId, confidence };
}

/** The claim's confidence with the model as it now stands (what a refiling would be routed on). */
async function rescore(tx: Db, claim: ClaimRow, estimate: ApprovalEstimate): Promise<number | null> {
  const evidence = evidenceOf(claim.score);
  if (evidence === undefined || !claim.score) return null;
  const confidence = blendConfidence(evidence, estimate);
  await tx
    .update(claims)
    .set({ score: { ...claim.score, learned: { ...estimate }, confidence }, confidence, updatedAt: sql`now()` })
    .where(eq(claims.id, claim.id));
  return confidence;
}
