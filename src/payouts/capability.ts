// Phase 5's capability: record that the case is watched. The filing that holds the claim gets
// the case id (a case recorded through the external webhook gets a filing of its own), so payout
// matching knows the case is Clario's and credits what Amazon pays on it.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { NonRetryableError } from '../domain/errors.js';
import { claims } from '../store/schema/claims-tables.js';
import { filings } from '../store/schema/filing-tables.js';
import type { Db } from '../store/db.js';
import type { ClaimRow } from '../store/claim-rows.js';
import type { Capabilities } from '../workflow/capabilities.js';
import { findFilingByCase } from '../filing/filings.js';
import { utcDay } from '../filing/plan-cases.js';

async function watch(tx: Db, claim: ClaimRow, caseId: string): Promise<string> {
  const existing = await findFilingByCase(tx, caseId);
  if (existing) {
    if (existing.userId !== claim.userId) throw new NonRetryableError(`case ${caseId} belongs to another seller`, 'forbidden_reference');
    if (!existing.claimIds.includes(claim.id)) {
      await tx.update(filings).set({ claimIds: sql`${filings.claimIds} || ${JSON.stringify([claim.id])}::jsonb` }).where(eq(filings.id, existing.id));
    }
    return existing.id;
  }
  if (claim.filingId) {
    const r = await tx
      .update(filings)
      .set({ caseId, status: 'filed', filedAt: sql`coalesce(${filings.filedAt}, now())` })
      .where(and(eq(filings.id, claim.filingId), isNull(filings.caseId)))
      .returning({ id: filings.id });
    if (r.length > 0) return claim.filingId;
  }
  // Submitted outside the filer (the /claim/submitted webhook): the case is still Clario's.
  const id = `fil_ext_${createHash('sha256').update(`${claim.userId}\n${caseId}`).digest('hex').slice(0, 20)}`;
  await tx
    .insert(filings)
    .values({ id, userId: claim.userId, channel: 'manual', caseId, status: 'filed', claimIds: [claim.id], subject: `Case ${caseId}`, body: 'Filed outside Clario and recorded through the claim-submitted webhook.', attachments: [], filedOn: utcDay(new Date()), filedAt: new Date() })
    .onConflictDoNothing();
  await tx.update(filings).set({ claimIds: sql`${filings.claimIds} || ${JSON.stringify([claim.id])}::jsonb` }).where(and(eq(filings.id, id), sql`NOT ${filings.claimIds} @> ${JSON.stringify([claim.id])}::jsonb`));
  return id;
}

export function payoutsCapability(): Capabilities['payouts'] {
  return {
    monitor(_ctx, { claim, caseId }) {
      return Promise.resolve({
        data: { watching: caseId },
        apply: async (tx) => {
          const filingId = await watch(tx, claim, caseId);
          // The claim's filing is where payouts look for its case.
          await tx.update(claims).set({ filingId }).where(and(eq(claims.id, claim.id), isNull(claims.filingId)));
        },
      });
    },
  };
}
