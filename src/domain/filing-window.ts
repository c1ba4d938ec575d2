// Whether a claim may be filed on a given day: never before its pending date (Amazon's own grace
// period, inside which it may still pay by itself and penalises early claims), never after its
// deadline (Amazon refuses it, and a refused claim counts against the seller). Pure; the filer
// asks it with its own clock, in the transaction that writes the case.

export type FilingWindow = 'open' | 'pending' | 'expired';

export interface WindowFacts {
  /** YYYY-MM-DD: the last day Amazon accepts the claim; null when unknown. */
  readonly deadline: string | null;
  /** YYYY-MM-DD: the first day Amazon accepts it (detection's `eligible_from`), when it has a grace period. */
  readonly eligibleFrom?: string | null | undefined;
  /** Detection's status (`details.detection_status`), for claims detected before `eligible_from` was kept. */
  readonly detectionStatus?: string | null | undefined;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Where `today` (YYYY-MM-DD, UTC) stands in the claim's filing window. Expired wins over pending. */
export function filingWindow(c: WindowFacts, today: string): FilingWindow {
  if (!DAY.test(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${today}`);
  if (c.deadline && today > c.deadline) return 'expired';
  if (c.eligibleFrom && DAY.test(c.eligibleFrom)) return today < c.eligibleFrom ? 'pending' : 'open';
  // Without the date, detection's word stands until its next run says otherwise.
  return c.detectionStatus === 'pending' ? 'pending' : 'open';
}

/** The facts of a stored claim (its deadline column and details). */
export function windowFactsOf(row: { readonly deadline: string | null; readonly details: Record<string, unknown> | null }): WindowFacts {
  const d = row.details ?? {};
  return {
    deadline: row.deadline,
    eligibleFrom: typeof d.eligible_from === 'string' ? d.eligible_from : null,
    detectionStatus: typeof d.detection_status === 'string' ? d.detection_status : null,
  };
}
