// Phase 6, continuous learning brain: Amazon rejected a claim; record why and learn from it.
import { moveClaim } from '../../store/claim-rows.js';
import { findRejection } from '../../store/rejections.js';
import type { Capabilities } from '../capabilities.js';
import type { PhaseHandler } from '../types.js';
import { capabilityContext, requireClaim, requireFiled } from './context.js';

export function learnFromRejection(caps: Capabilities, waitForFilingMs: number): PhaseHandler {
  return {
    phase: 6,
    async run(ctx) {
      const claim = await requireClaim(ctx);
      // The same rejection again (another trigger for it): already learned from, and the claim may
      // have moved on (re-prompted, filed again under a new case), so do nothing twice.
      const seenCase = ctx.event.caseId ?? claim.caseId;
      // A reply on a reopened case is a rejection of its own round (the reopening's filing id).
      const round = typeof ctx.event.payload.round === 'string' ? ctx.event.payload.round : '';
      const moreInformation = ctx.event.payload.more_information === true;
      const seen = seenCase ? await findRejection(ctx.db, claim.id, seenCase, round) : undefined;
      if (seen) return { data: { claim_id: claim.id, case_id: seen.caseId, duplicate: true, reason_code: seen.reasonCode, action: seen.action } };
      const caseId = requireFiled(claim, ctx.event.caseId, waitForFilingMs);
      const reason = typeof ctx.event.payload.reason === 'string' ? ctx.event.payload.reason : null;
      const learned = await caps.learning.learn(capabilityContext(ctx), { claim, caseId, reason, round, moreInformation });
      return {
        data: { ...learned.data, claim_id: claim.id, case_id: caseId, reason },
        apply: async (tx) => {
          if (claim.status === 'filed' && !(await moveClaim(tx, claim.id, 'filed', 'rejected'))) {
            throw new Error(`claim ${claim.id} changed while phase 6 ran; retrying`);
          }
          await learned.apply?.(tx);
        },
      };
    },
  };
}
