// Read models for the dashboard's claims table and claim page. Keyset pagination: the cursor is
// the last row's sort value and id, so pages neither repeat nor skip while claims change.
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../store/db.js';
import { actionSortKey } from './claim-order.js';
import { claims } from '../store/schema/claims-tables.js';
import { claimEvidence, evidenceFiles } from '../store/schema/evidence-tables.js';
import { filings } from '../store/schema/filing-tables.js';
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

export interface ClaimListRow {
  id: string;
  type: string;
  status: string;
  quantity: number | null;
  amount_minor: string | number | null;
  currency: string | null;
  confidence: number | null;
  deadline: string | null;
  case_id: string | null;
  created_at: string | Date;
  sort_value: string | number;
}

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
  const found = await rows<ClaimListRow>(
    q,
    sql`SELECT ${claims.id} AS id, ${claims.type} AS type, ${claims.status} AS status, ${claims.quantity} AS quantity,
               ${claims.amountMinor} AS amount_minor, ${claims.currency} AS currency, ${claims.confidence} AS confidence,
               ${claims.deadline}::text AS deadline, ${claims.caseId} AS case_id, ${claims.createdAt} AS created_at,
               ${key.expr} AS sort_value
        FROM ${claims} WHERE ${sql.join(where, sql` AND `)}
        ORDER BY ${key.expr} ${dir}, ${claims.id} ${dir}
        LIMIT ${f.limit + 1}`,
  );
  const page = found.slice(0, f.limit);
  const last = page[page.length - 1];
  const nextCursor =
    found.length > f.limit && last ? encodeCursor(key.kind === 'number' ? Number(last.sort_value) : String(last.sort_value), last.id) : null;
  return { rows: page, nextCursor };
}

/** One claim and everything the claim page shows, or undefined when it is not this user's. */
export async function claimDetail(q: Db, claimId: string, userId: string | undefined) {
  const [claim] = await q.select().from(claims).where(eq(claims.id, claimId));
  if (!claim || (userId !== undefined && claim.userId !== userId)) return undefined;
  const [evidence, filing, paid, timeline, proof, rejected] = await Promise.all([
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
    q.select().from(reimbursements).where(and(eq(reimbursements.claimId, claimId), eq(reimbursements.userId, claim.userId))).orderBy(asc(reimbursements.seenAt)),
    q.select().from(phaseAudit).where(eq(phaseAudit.claimId, claimId)).orderBy(asc(phaseAudit.id)).limit(500),
    q
      .select({ sha256: proofPackets.sha256, sizeBytes: proofPackets.sizeBytes, createdAt: proofPackets.createdAt, payoutId: proofPackets.payoutId })
      .from(proofPackets)
      .where(eq(proofPackets.claimId, claimId)),
    // The latest of Amazon's rejections: what the page explains (an earlier one was answered).
    q.select().from(rejections).where(and(eq(rejections.claimId, claimId), eq(rejections.userId, claim.userId))).orderBy(desc(rejections.at), desc(rejections.id)).limit(1),
  ]);
  return { claim, evidence, filing: filing[0] ?? null, reimbursements: paid, timeline, proof: proof[0] ?? null, rejection: rejected[0] ?? null };
}

/** The claim types a user has, for the table's filter. */
export async function claimTypesOf(q: Db, userId: string): Promise<string[]> {
  const found = await q.selectDistinct({ type: claims.type }).from(claims).where(eq(claims.userId, userId)).orderBy(desc(claims.type));
  return found.map((r) => r.type).sort();
}
