// Phase 6, continuous learning brain: Amazon rejected a claim; record why and learn from it.
import { moveClaim } from '../../store/claims.js';
import type { Capabilities } from '../capabilities.js';
import type { PhaseHandler } from '../types.js';
import { capabilityContext, requireClaim, requireFiled } from './context.js';

export function learnFromRejection(caps: Capabilities, waitForFilingMs: number): PhaseHandler {
  return {
    phase: 6,
    async run(ctx) {
      const claim = await requireClaim(ctx);
      const caseId = requireFiled(claim, ctx.event.caseId, waitForFilingMs);
      const reason = typeof ctx.event.payload.reason === 'string' ? ctx.event.payload.reason : null;
      const learned = await caps.learning.learn(capabilityContext(ctx), { claim, caseId, reason });
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
