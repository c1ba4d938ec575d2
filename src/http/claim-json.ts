// A claim as the API shows it, written in one place: every endpoint that returns a claim (the
// claims table, the claim page, a prompt's claim) uses these, so the same claim reads the same
// everywhere. Amounts are integer minor units with their currency; dates are ISO 8601.
import { holdOf } from '../domain/filing-holds.js';
import { waitingFor, type WaitingInput } from '../domain/claim-waiting.js';
import type { ClaimRow } from '../store/claim-rows.js';
import { amountOrNull, isoOrNull } from './json.js';

/** The columns a claim's summary needs: a list can select only these. */
export type ClaimSummaryRow = Pick<ClaimRow, 'id' | 'type' | 'status' | 'quantity' | 'amountMinor' | 'currency' | 'confidence' | 'deadline' | 'caseId' | 'createdAt'>;

/** A claim in a list (the claims table, a prompt's claim). */
export function claimJson(c: ClaimSummaryRow) {
  return {
    id: c.id,
    type: c.type,
    status: c.status,
    quantity: c.quantity,
    amount: amountOrNull(c.amountMinor, c.currency),
    confidence: c.confidence,
    deadline: c.deadline,
    case_id: c.caseId,
    created_at: isoOrNull(c.createdAt),
  };
}

/**
 * A claim's details as a seller sees them. A cited line's `seq` (its place in report_lines, kept so
 * a proof packet reads it by index) is Clario's own: it counts every seller's lines, so it is not shown.
 */
function detailsJson(details: ClaimRow['details']): ClaimRow['details'] {
  if (!details || !Array.isArray(details.sources)) return details ?? null;
  const sources: unknown[] = details.sources.map((s: unknown) => {
    if (!s || typeof s !== 'object' || !('seq' in s)) return s;
    const { seq: _seq, ...shown } = s as Record<string, unknown>;
    return shown;
  });
  return { ...details, sources };
}

/** A claim with all the claim page shows: its summary, where it came from, its score and details, and who it waits for. */
export function claimDetailJson(c: ClaimRow, approval: WaitingInput['approval'] = null) {
  return {
    ...claimJson(c),
    user_id: c.userId,
    sync_id: c.syncId,
    filing_id: c.filingId,
    score: c.score ?? null,
    details: detailsJson(c.details),
    waiting: waitingFor({
      status: c.status,
      detectionStatus: typeof c.details?.detection_status === 'string' ? c.details.detection_status : null,
      missing: Array.isArray(c.score?.missing) ? c.score.missing : [],
      hold: holdOf(c.details) ?? null,
      approval,
    }),
    updated_at: isoOrNull(c.updatedAt),
  };
}

export type ClaimJson = ReturnType<typeof claimJson>;
export type ClaimDetailJson = ReturnType<typeof claimDetailJson>;
