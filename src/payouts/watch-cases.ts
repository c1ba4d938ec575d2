// Amazon's answers on open cases: polled on the simulator channel (GET /cases/:id). An approval
// credits each item as a payout (the same payout ids the report will carry); a rejection sends
// every claim of the case to phase 6 with Amazon's text. A case without any answer for too long
// is the reminders loop's (src/reminders/): it tells the seller to follow up.
import type { Db } from '../store/db.js';
import type { Engine } from '../workflow/engine.js';
import type { CaseView } from '../filing/case-api.js';
import type { ClaimsChannel } from '../filing/channel.js';
import { markChecked, markDecided, openSimulatorCases, type FilingRow } from '../filing/filings.js';
import { creditLine, type Credit } from './credit-payouts.js';
import type { ReimbursementLine } from './reimbursement-line.js';

/** The approval's items as reimbursement lines, keyed exactly as the report will key them. */
export function approvalLines(view: CaseView): ReimbursementLine[] {
  if (!view.decision || !('approved' in view.decision)) return [];
  const a = view.decision.approved;
  const items = a.items ?? [{ reimbursement_id: a.reimbursement_id, sku: '', fnsku: '', order_id: '', quantity: 1, amount_minor: a.amount_minor }];
  return items.map((i) => ({
    reimbursementId: i.reimbursement_id,
    caseId: view.case_id,
    orderId: i.order_id || null,
    shipmentId: i.shipment_id || null,
    reason: null,
    sku: i.sku || null,
    fnsku: i.fnsku || null,
    quantity: i.quantity,
    amountMinor: i.amount_minor,
    currency: a.currency,
    approvalDate: null,
    originalReimbursementId: null,
    lineSeq: null,
    raw: {},
  }));
}

export interface CaseAnswered {
  readonly claimId: string;
  readonly eventId: string;
  readonly duplicate: boolean;
}

/**
 * Amazon's answer on a case that is not a payment: a rejection, or (`moreInformation`) a request
 * for documents that keeps the case open. Either way phase 6 for each claim, keyed by case, claim
 * and round (a reopening's answer is its own), so the same answer twice triggers nothing new.
 */
export async function answerCase(
  deps: { db: Db; engine: Engine },
  filing: Pick<FilingRow, 'id' | 'userId' | 'claimIds'> & { reopensCaseId?: string | null },
  caseId: string,
  reason: string,
  options: { moreInformation?: boolean } = {},
): Promise<CaseAnswered[]> {
  const round = filing.reopensCaseId ? filing.id : '';
  const answered: CaseAnswered[] = [];
  for (const claimId of filing.claimIds) {
    const key = `${options.moreInformation ? 'more_information' : 'rejected'}:${caseId}:${claimId}${round ? `:${round}` : ''}`;
    const a = await deps.engine.accept({
      phase: 6,
      userId: filing.userId,
      claimId,
      caseId,
      payload: { user_id: filing.userId, claim_id: claimId, case_id: caseId, reason, ...(round ? { round } : {}), ...(options.moreInformation ? { more_information: true } : {}) },
      idempotencyKey: key,
      requestHash: key,
      source: 'internal',
    });
    answered.push({ claimId, eventId: a.eventId, duplicate: a.duplicate });
  }
  // Asking for documents decides nothing: the case stays open at Amazon.
  if (!options.moreInformation) await markDecided(deps.db, { filingId: filing.id }, 'rejected');
  return answered;
}

/** Amazon rejected the case: phase 6 for each of its claims; how many triggers were new. */
export async function rejectCase(deps: { db: Db; engine: Engine }, filing: Pick<FilingRow, 'id' | 'userId' | 'claimIds'> & { reopensCaseId?: string | null }, caseId: string, reason: string): Promise<number> {
  return (await answerCase(deps, filing, caseId, reason)).filter((a) => !a.duplicate).length;
}

export interface PollResult {
  readonly checked: number;
  readonly credits: Credit[];
  readonly rejected: number;
}

export async function pollOpenCases(deps: {
  db: Db;
  engine: Engine;
  channel: ClaimsChannel;
  limit?: number;
  log?: { error(obj: object, msg: string): void };
  /** A stopping loop's: cancels the case API call in flight and ends the poll. */
  signal?: AbortSignal;
}): Promise<PollResult> {
  const { channel } = deps;
  if (channel.kind !== 'simulator') return { checked: 0, credits: [], rejected: 0 };
  const open = await openSimulatorCases(deps.db, deps.limit ?? 100);
  const credits: Credit[] = [];
  let rejected = 0;
  let checked = 0;
  for (const filing of open) {
    if (!filing.caseId) continue;
    try {
      const view = await (await channel.caseApi(filing.userId, deps.signal)).get(filing.caseId);
      checked++;
      await markChecked(deps.db, filing.id);
      if (view.status === 'approved') {
        for (const line of approvalLines(view)) credits.push(await creditLine(deps, filing.userId, line));
      } else if (view.status === 'rejected' && view.decision && 'rejected' in view.decision) {
        rejected += await rejectCase(deps, filing, filing.caseId, view.decision.rejected.reason);
      }
    } catch (err) {
      if (deps.signal?.aborted) throw err;
      deps.log?.error({ err, filingId: filing.id }, 'checking a case failed; the next round retries it');
    }
  }
  return { checked, credits, rejected };
}
