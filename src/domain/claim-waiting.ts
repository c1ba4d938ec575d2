// Who a claim waits for, and why, in the seller's words: the "Next deadlines" list and the claim
// page say it beside the deadline, so a claim nobody seems to touch explains itself. Pure.
import type { ClaimStatus } from './claim-status.js';
import type { Hold } from './filing-holds.js';
import { formatMoneyForSeller, type Money } from './money.js';

export type Waiting = { readonly on: 'you' | 'clario' | 'amazon'; readonly why: string };

export interface WaitingInput {
  readonly status: ClaimStatus;
  /** Detection's status of the claim (`details.detection_status`): `pending` is Amazon's grace period. */
  readonly detectionStatus?: string | null | undefined;
  /** What the score says would help (`score.missing`): `upload_invoice`, `upload_proof_of_delivery`, `check_cost`, `confirm`. */
  readonly missing?: readonly unknown[] | null | undefined;
  /** Why Clario holds it back from filing (`details.hold`, src/domain/filing-holds.ts), if it does. */
  readonly hold?: Hold | null | undefined;
  /** Amazon's pasted reply approved the case, and no payout is credited yet (src/filing/replies.ts). */
  readonly approval?: { readonly caseId: string; readonly amount: Money | null } | null | undefined;
}

const DOCUMENTS: Record<string, string> = { upload_invoice: 'the supplier invoice', upload_proof_of_delivery: 'the proof of delivery' };

/** Who the claim waits for; null when it waits for nobody (paid, expired, dismissed) or its rejection says it. */
export function waitingFor(c: WaitingInput): Waiting | null {
  // A hold says itself, in the words the filer wrote: who can lift it, and how.
  if (c.hold && (c.status === 'prompted' || c.status === 'held')) {
    return c.hold.code === 'needs_measurements' ? { on: 'you', why: c.hold.reason } : { on: 'clario', why: c.hold.reason };
  }
  switch (c.status) {
    case 'prompted':
      return { on: 'you', why: 'Waiting for your answer to a smart prompt.' };
    case 'held': {
      // Its own invoice contradicts its value: no other document helps until the cost agrees.
      if ((c.missing ?? []).includes('check_cost')) {
        return { on: 'you', why: "The invoice's unit cost differs from the claimed one: correct the cost in your costs file (Costs & receipts), or add the invoice for these units, and Clario can file it." };
      }
      const docs = (c.missing ?? []).map((m) => DOCUMENTS[String(m)]).filter((d): d is string => d !== undefined);
      return {
        on: 'you',
        why: docs.length
          ? `Waiting for evidence: upload ${docs.join(' and ')} and Clario can file it.`
          : 'Waiting for evidence: too doubtful to file as it stands.',
      };
    }
    case 'detected':
      return c.detectionStatus === 'pending'
        ? { on: 'amazon', why: "Inside Amazon's own grace period: Amazon may still pay by itself. Clario files it if Amazon has not when the grace period ends." }
        : { on: 'clario', why: 'Clario is weighing the evidence.' };
    case 'ready':
      return { on: 'clario', why: 'Clario files it in its next filing slot.' };
    case 'filed':
      // Approved in words only: the money is credited from the report's line, so never twice.
      return c.approval
        ? {
            on: 'amazon',
            why: `Amazon approved ${c.approval.amount ? formatMoneyForSeller(c.approval.amount) : 'this claim'} on case ${c.approval.caseId}: Clario credits it when the reimbursement appears in the Reimbursements report.`,
          }
        : { on: 'amazon', why: 'Filed: waiting for Amazon to decide.' };
    // A rejected claim's page says Amazon's reason and Clario's next step (src/domain/rejection.ts).
    case 'rejected':
    case 'paid':
    case 'expired':
    case 'dismissed':
      return null;
  }
}
