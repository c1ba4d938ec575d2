// Phase 5, autonomous recovery pipeline: a claim was submitted; record its case and watch for
// Amazon's answer.
import { canMoveClaim } from '../../domain/claim-status.js';
import { NonRetryableError } from '../../domain/errors.js';
import { moveClaim } from '../../store/claim-rows.js';
import type { Capabilities } from '../capabilities.js';
import type { PhaseHandler } from '../types.js';
import { capabilityContext, requireClaim } from './context.js';

export function monitorPayout(caps: Capabilities): PhaseHandler {
  return {
    phase: 5,
    async run(ctx) {
      const claim = await requireClaim(ctx);
      const caseId = ctx.event.caseId;
      if (!caseId) throw new NonRetryableError('a submitted claim needs its case id', 'invalid_trigger');
      if (claim.status === 'filed' && claim.caseId && claim.caseId !== caseId) {
        throw new NonRetryableError(`claim ${claim.id} is already filed as case ${claim.caseId}`, 'case_mismatch');
      }
      // Amazon's answer can overtake the submission (the payout or rejection of this very case came
      // first): the claim is already further along, so there is nothing to record.
      const overtaken = claim.caseId === caseId && (claim.status === 'paid' || claim.status === 'rejected');
      if (claim.status !== 'filed' && !overtaken && !canMoveClaim(claim.status, 'filed')) {
        throw new NonRetryableError(`claim ${claim.id} is ${claim.status} and cannot be filed`, 'claim_closed');
      }
      const watched = await caps.payouts.monitor(capabilityContext(ctx), { claim, caseId });
      return {
        data: { ...watched.data, claim_id: claim.id, case_id: caseId },
        apply: async (tx) => {
          if (claim.status !== 'filed' && !overtaken && !(await moveClaim(tx, claim.id, claim.status, 'filed', { caseId }))) {
            throw new Error(`claim ${claim.id} changed while phase 5 ran; retrying`);
          }
          await watched.apply?.(tx);
        },
      };
    },
  };
}
