// Phase 5's capability: record that the case is watched. The filing that holds the claim gets
// the case id (a case recorded through the external webhook gets a filing of its own), so payout
// matching knows the case is Clario's and credits what Amazon pays on it.
import { and, eq, isNull } from 'drizzle-orm';
import { NonRetryableError } from '../domain/errors.js';
import { claims } from '../store/schema/claims-tables.js';
import type { Capabilities } from '../workflow/capabilities.js';
import { findFilingByCase, recordCaseOnFiling } from '../filing/filings.js';

export function payoutsCapability(): Capabilities['payouts'] {
  return {
    async monitor(ctx, { claim, caseId }) {
      // A case a person filed may gain claims this way (they are told to Clario one by one); a case
      // Clario filed through Amazon's case API holds exactly the claims Clario put in it.
      const filed = await findFilingByCase(ctx.db, claim.userId, caseId);
      if (filed && filed.channel !== 'manual' && !filed.claimIds.includes(claim.id)) {
        throw new NonRetryableError(`case ${caseId} is one Clario filed through Amazon's case API, and claim ${claim.id} is not in it`, 'case_mismatch');
      }
      return {
        data: { watching: caseId },
        apply: async (tx) => {
          const filingId = await recordCaseOnFiling(tx, claim, caseId);
          // The claim's filing is where payouts look for its case.
          await tx.update(claims).set({ filingId }).where(and(eq(claims.id, claim.id), isNull(claims.filingId)));
        },
      };
    },
  };
}
