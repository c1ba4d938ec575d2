// Phase 7, hyper-transparency layer: Amazon paid. Three steps, written in one commit in this
// order: settle (post and charge the fee), record the outcome (the learning model counts the
// approval), build the proof packet (last, so it shows the fee and the payout).
// Only payouts on cases Clario filed get here (requireFiled checks the case id). A reversal
// (Amazon takes a payout back) arrives for a claim already paid and leaves the claim where it is.
import { NonRetryableError } from '../../domain/errors.js';
import { money } from '../../domain/money.js';
import { payoutProblem, type PayoutLimits } from '../../domain/payout-check.js';
import { claimPaidSoFar, moveClaim } from '../../store/claim-rows.js';
import type { Capabilities } from '../capabilities.js';
import type { PhaseHandler } from '../types.js';
import { capabilityContext, requireClaim, requireFiled } from './context.js';

export function settlePayout(caps: Capabilities, waitForFilingMs: number, limits: PayoutLimits): PhaseHandler {
  return {
    phase: 7,
    async run(ctx) {
      const claim = await requireClaim(ctx);
      const caseId = requireFiled(claim, ctx.event.caseId, waitForFilingMs);
      const { payout_id: payoutId, amount_minor: minor, currency, kind = 'reimbursement', reverses } = ctx.event.payload;
      if (typeof payoutId !== 'string' || typeof minor !== 'number' || typeof currency !== 'string') {
        throw new NonRetryableError('a payout needs payout_id, amount_minor and currency', 'invalid_trigger');
      }
      if ((kind !== 'reimbursement' && kind !== 'reversal') || (reverses !== undefined && typeof reverses !== 'string')) {
        throw new NonRetryableError("kind is 'reimbursement' or 'reversal'; reverses names a payout", 'invalid_trigger');
      }
      if (!Number.isSafeInteger(minor)) throw new NonRetryableError(`amount_minor ${minor} is not a safe integer`, 'payout_mismatch');
      const amount = money(minor, currency);
      // Checked before anything is charged: a payout that does not fit its claim waits for an operator.
      // A reversal is bounded by the payout it takes back instead, which the settlement reads under
      // that payout's lock (reversalOverreach), so it is checked here for its currency only.
      const paidBefore = kind === 'reversal' ? 0n : await claimPaidSoFar(ctx.db, claim.id, amount.currency, payoutId);
      const problem = payoutProblem(amount, claim, paidBefore, limits);
      if (problem) throw new NonRetryableError(`payout ${payoutId} does not fit claim ${claim.id}: ${problem}`, 'payout_mismatch');
      const steps = capabilityContext(ctx);
      const settled = await caps.settlement.settle(steps, {
        claim,
        caseId,
        payoutId,
        amount,
        kind,
        ...(typeof reverses === 'string' ? { reverses } : {}),
      });
      const outcome = await caps.learning.recordApproval(steps, { claim, caseId });
      const proof = await caps.proof.build(steps, { claim, payoutId });
      return {
        data: { ...settled.data, claim_id: claim.id, case_id: caseId, payout_id: payoutId, kind, amount: { minor, currency } },
        apply: async (tx) => {
          if (kind === 'reimbursement' && claim.status !== 'paid' && !(await moveClaim(tx, claim.id, claim.status, 'paid'))) {
            throw new Error(`claim ${claim.id} changed while phase 7 ran; retrying`);
          }
          await settled.apply?.(tx);
          await outcome.apply?.(tx);
          await proof.apply?.(tx);
        },
      };
    },
  };
}
