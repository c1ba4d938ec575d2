// Phase 5's capability: record that the case is watched. The filing that holds the claim gets
// the case id (a case recorded through the external webhook gets a filing of its own), so payout
// matching knows the case is Clario's and credits what Amazon pays on it.
import { and, eq, isNull } from 'drizzle-orm';
import { claims } from '../store/schema/claims-tables.js';
import type { Capabilities } from '../workflow/capabilities.js';
import { recordCaseOnFiling } from '../filing/filings.js';

export function payoutsCapability(): Capabilities['payouts'] {
  return {
    monitor(_ctx, { claim, caseId }) {
      return Promise.resolve({
        data: { watching: caseId },
        apply: async (tx) => {
          const filingId = await recordCaseOnFiling(tx, claim, caseId);
          // The claim's filing is where payouts look for its case.
          await tx.update(claims).set({ filingId }).where(and(eq(claims.id, claim.id), isNull(claims.filingId)));
        },
      });
    },
  };
}
