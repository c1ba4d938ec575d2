// Once Amazon's case id is known (the case API answered, or the seller recorded it), every claim
// of the filing enters phase 5. The triggers come first and are idempotent per claim: a crash
// before the filing row says `filed` only repeats them, and phase 5 moves each claim to `filed`.
import type { Engine } from '../workflow/engine.js';
import type { Db } from '../store/db.js';
import { markFiled, type FilingRow } from './filings.js';

export interface RecordedClaim {
  readonly claim_id: string;
  readonly event_id: string;
  readonly duplicate: boolean;
}

export function phase5Key(filingId: string, claimId: string): string {
  return `filed:${filingId}:${claimId}`;
}

export async function recordCase(deps: { db: Db; engine: Engine }, filing: Pick<FilingRow, 'id' | 'userId' | 'claimIds'>, caseId: string): Promise<RecordedClaim[]> {
  const recorded: RecordedClaim[] = [];
  for (const claimId of filing.claimIds) {
    const key = phase5Key(filing.id, claimId);
    const a = await deps.engine.accept({
      phase: 5,
      userId: filing.userId,
      claimId,
      caseId,
      payload: { user_id: filing.userId, claim_id: claimId, case_id: caseId, filing_id: filing.id },
      idempotencyKey: key,
      requestHash: `${key}:${caseId}`,
      source: 'internal',
    });
    recorded.push({ claim_id: claimId, event_id: a.eventId, duplicate: a.duplicate });
  }
  await markFiled(deps.db, filing.id, caseId);
  return recorded;
}
