// Read models for the dashboard's claims table and claim page. Keyset pagination: the cursor is
// the last row's sort value and id, so pages neither repeat nor skip while claims change.
import { and, asc, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { ClaimSummaryRow } from '../http/claim-json.js';
import { covers } from '../http/auth.js';
import type { Db } from '../store/db.js';
import { actionSortKey } from './claim-order.js';
import { feeCharges } from '../store/schema/billing-tables.js';
import { claims } from '../store/schema/claims-tables.js';
import { claimEvidence, evidenceFiles } from '../store/schema/evidence-tables.js';
import { filingReplies, filings } from '../store/schema/filing-tables.js';
import { rejections } from '../store/schema/learning-tables.js';
import { reimbursements } from '../store/schema/payouts-tables.js';
import { proofPackets } from '../store/schema/proof-tables.js';
import { phaseAudit } from '../store/schema/workflow-tables.js';

export type ClaimSort = 'action' | 'deadline' | 'value' | 'confidence' | 'created';

export interface ClaimListQuery {
  readonly userId: string;
  readonly status?: readonly string[] | undefined;
  readonly type?: readonly string[] | undefined;
  readonly sort: ClaimSort;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
  readonly cursor?: string | undefined;
}

// Nulls sort last in ascending order (a claim without a deadline is not urgent) and first in
// descending order; coalescing keeps the keyset comparison a plain row comparison.
const SORT_KEY: Record<ClaimSort, { expr: SQL; kind: 'number' | 'text' }> = {
  // What the seller can act on first, expired claims last (src/dashboard/claim-order.ts).
  action: { expr: actionSortKey(sql`${claims.status}`, sql`${claims.deadline}`), kind: 'text' },
  deadline: { expr: sql`coalesce(${claims.deadline}::text, '9999-12-31')`, kind: 'text' },
  value: { expr: sql`coalesce(${claims.amountMinor}, -1)`, kind: 'number' },
  confidence: { expr: sql`coalesce(${claims.confidence}, -1)::float8`, kind: 'number' },
  created: { expr: sql`to_char(${claims.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`, kind: 'text' },
};

export class CursorError extends Error {
  override readonly name = 'CursorError';
}

export function encodeCursor(value: string | number, id: string): string {
  return Buffer.from(JSON.stringify([value, id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, kind: 'number' | 'text'): [string | number, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError('the cursor is not one this API gave out');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== 'string' || typeof parsed[0] !== (kind === 'number' ? 'number' : 'string')) {
    throw new CursorError('the cursor does not fit this sort order');
  }
  return [parsed[0] as string | number, parsed[1]];
}

/** A row of the claims table: what a claim's summary shows (src/http/claim-json.ts), and its place in the sort order. */
export type ClaimListRow = ClaimSummaryRow & { readonly sortValue: string | number };

export async function listClaims(q: Db, f: ClaimListQuery): Promise<{ rows: ClaimListRow[]; nextCursor: string | null }> {
  const key = SORT_KEY[f.sort];
  const where: SQL[] = [sql`${claims.userId} = ${f.userId}`];
  if (f.status?.length) where.push(sql`${claims.status} IN (${sql.join(f.status.map((s) => sql`${s}`), sql`, `)})`);
  if (f.type?.length) where.push(sql`${claims.type} IN (${sql.join(f.type.map((s) => sql`${s}`), sql`, `)})`);
  if (f.cursor) {
    const [value, id] = decodeCursor(f.cursor, key.kind);
    const cmp = f.order === 'asc' ? sql`>` : sql`<`;
    where.push(sql`(${key.expr}, ${claims.id}) ${cmp} (${value}, ${id})`);
  }
  const dir = f.order === 'asc' ? sql`ASC` : sql`DESC`;
  const found = await q
    .select({
      id: claims.id,
      type: claims.type,
      status: claims.status,
      quantity: claims.quantity,
      amountMinor: claims.amountMinor,
      currency: claims.currency,
      confidence: claims.confidence,
      deadline: claims.deadline,
      caseId: claims.caseId,
      createdAt: claims.createdAt,
      sortValue: sql<string | number>`${key.expr}`,
    })
    .from(claims)
    .where(and(...where))
    .orderBy(sql`${key.expr} ${dir}`, sql`${claims.id} ${dir}`)
    .limit(f.limit + 1);
  const page = found.slice(0, f.limit);
  const last = page[page.length - 1];
  const nextCursor =
    found.length > f.limit && last ? encodeCursor(key.kind === 'number' ? Number(last.sortValue) : String(last.sortValue), last.id) : null;
  return { rows: page, nextCursor };
}

/**
 * The payouts (and reversals) phase 7 credited to the claim: its fee_charges rows, the record the
 * statement and the overview sum, with what Amazon's line of each says (reason, units, approval
 * date) where a line is stored. A line phase 7 has not settled (still running, or parked for an
 * operator) is not the claim's money yet.
 */
function creditedPayouts(q: Db, userId: string, claimId: string) {
  return q
    .select({
      payoutId: feeCharges.payoutId,
      caseId: feeCharges.caseId,
      kind: feeCharges.kind,
      amountMinor: feeCharges.reimbursedMinor,
      currency: feeCharges.currency,
      creditedAt: feeCharges.createdAt,
      reimbursementId: reimbursements.reimbursementId,
      reason: reimbursements.reason,
      quantity: reimbursements.quantity,
      approvalDate: reimbursements.approvalDate,
    })
    .from(feeCharges)
    .leftJoin(
      reimbursements,
      and(eq(reimbursements.userId, feeCharges.userId), sql`${reimbursements.reimbursementId} || ':' || ${reimbursements.lineKey} = ${feeCharges.payoutId}`),
    )
    .where(and(eq(feeCharges.claimId, claimId), eq(feeCharges.userId, userId)))
    .orderBy(asc(feeCharges.createdAt), asc(feeCharges.payoutId));
}

/** One claim and everything the claim page shows, or undefined when it is not `subject`'s (null: every seller's). */
export async function claimDetail(q: Db, claimId: string, subject: string | null) {
  const [claim] = await q.select().from(claims).where(eq(claims.id, claimId));
  if (!claim || !covers(subject, claim.userId)) return undefined;
  const [evidence, filing, paid, timeline, proof, rejected, replies] = await Promise.all([
    q
      .select({
        fileId: claimEvidence.fileId,
        role: claimEvidence.role,
        units: claimEvidence.units,
        filename: evidenceFiles.filename,
        kind: evidenceFiles.kind,
        status: evidenceFiles.status,
        createdAt: evidenceFiles.createdAt,
      })
      .from(claimEvidence)
      .leftJoin(evidenceFiles, eq(evidenceFiles.id, claimEvidence.fileId))
      .where(eq(claimEvidence.claimId, claimId))
      .orderBy(asc(claimEvidence.createdAt)),
    claim.filingId ? q.select().from(filings).where(eq(filings.id, claim.filingId)) : Promise.resolve([]),
    creditedPayouts(q, claim.userId, claimId),
    q.select().from(phaseAudit).where(eq(phaseAudit.claimId, claimId)).orderBy(asc(phaseAudit.id)).limit(500),
    q
      .select({ sha256: proofPackets.sha256, sizeBytes: proofPackets.sizeBytes, createdAt: proofPackets.createdAt, payoutId: proofPackets.payoutId })
      .from(proofPackets)
      .where(eq(proofPackets.claimId, claimId)),
    // The latest of Amazon's rejections: what the page explains (an earlier one was answered).
    q.select().from(rejections).where(and(eq(rejections.claimId, claimId), eq(rejections.userId, claim.userId))).orderBy(desc(rejections.at), desc(rejections.id)).limit(1),
    // Amazon's replies on the claim's case (every submission on it), oldest first.
    claim.caseId || claim.filingId
      ? q
          .select()
          .from(filingReplies)
          .where(and(eq(filingReplies.userId, claim.userId), or(claim.caseId ? eq(filingReplies.caseId, claim.caseId) : undefined, claim.filingId ? eq(filingReplies.filingId, claim.filingId) : undefined)))
          .orderBy(asc(filingReplies.receivedAt), asc(filingReplies.id))
          .limit(100)
      : Promise.resolve([]),
  ]);
  return { claim, evidence, filing: filing[0] ?? null, reimbursements: paid, timeline, proof: proof[0] ?? null, rejection: rejected[0] ?? null, replies };
}

/** The claim types a user has, for the table's filter. */
export async function claimTypesOf(q: Db, userId: string): Promise<string[]> {
  const found = await q.selectDistinct({ type: claims.type }).from(claims).where(eq(claims.userId, userId)).orderBy(desc(claims.type));
  return found.map((r) => r.type).sort();
}
