// The filings table: a case at Amazon holding one or more claims. The row is the intent, written
// (with the claims' filing_id) before the case API is called; its id is the Idempotency-Key.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { claims } from '../store/schema/claims-tables.js';
import { claimEvidence, evidenceFiles } from '../store/schema/evidence-tables.js';
import { filings } from '../store/schema/filing-tables.js';
import type { CaseClaim, CaseEvidence } from './write-case.js';

export type FilingRow = typeof filings.$inferSelect;

export async function findFiling(q: Db, id: string): Promise<FilingRow | undefined> {
  const [row] = await q.select().from(filings).where(eq(filings.id, id));
  return row;
}

export async function findFilingByCase(q: Db, caseId: string): Promise<FilingRow | undefined> {
  const [row] = await q.select().from(filings).where(eq(filings.caseId, caseId));
  return row;
}

/** Sellers with claims waiting for a case, and those claims (nearest deadline first). */
export async function readyClaims(q: Db): Promise<Map<string, Array<typeof claims.$inferSelect>>> {
  const rows = await q
    .select()
    .from(claims)
    .where(and(eq(claims.status, 'ready'), isNull(claims.filingId)))
    .orderBy(asc(claims.userId), sql`${claims.deadline} ASC NULLS LAST`, asc(claims.id));
  const byUser = new Map<string, Array<typeof claims.$inferSelect>>();
  for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
  return byUser;
}

export async function casesOnDay(q: Db, userId: string, day: string): Promise<number> {
  const [row] = await q.select({ n: sql<number>`count(*)::int` }).from(filings).where(and(eq(filings.userId, userId), eq(filings.filedOn, day)));
  return Number(row?.n ?? 0);
}

export async function claimsOf(q: Db, filing: Pick<FilingRow, 'claimIds'>): Promise<CaseClaim[]> {
  if (filing.claimIds.length === 0) return [];
  const rows = await q.select().from(claims).where(inArray(claims.id, filing.claimIds));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return filing.claimIds.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ id: r.id, type: r.type, quantity: r.quantity, amountMinor: r.amountMinor, currency: r.currency, deadline: r.deadline, details: r.details }] : [];
  });
}

export async function evidenceOf(q: Db, claimIds: readonly string[]): Promise<CaseEvidence[]> {
  if (claimIds.length === 0) return [];
  return q
    .select({
      claimId: claimEvidence.claimId,
      fileId: evidenceFiles.id,
      filename: evidenceFiles.filename,
      contentType: evidenceFiles.contentType,
      kind: evidenceFiles.kind,
      sha256: evidenceFiles.sha256,
      sizeBytes: evidenceFiles.sizeBytes,
    })
    .from(claimEvidence)
    .innerJoin(evidenceFiles, eq(evidenceFiles.id, claimEvidence.fileId))
    .where(inArray(claimEvidence.claimId, [...claimIds]));
}

/** Aborts the intent's transaction: nothing to write this round. */
class NotNow extends Error {}

/**
 * Writes the intent: the filing row, and each claim's filing_id, compare-and-set on claims still
 * `ready` and unfiled. False (nothing written) when a claim moved meanwhile or the seller's day is
 * full; the next round plans again. A per-seller lock makes the daily cap hold across processes.
 */
export async function writeIntent(db: Db, row: typeof filings.$inferInsert, maxCasesPerDay: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`filing:${row.userId}`}))`);
    if ((await casesOnDay(tx, row.userId, row.filedOn)) >= maxCasesPerDay) throw new NotNow();
    const taken = await tx
      .update(claims)
      .set({ filingId: row.id, updatedAt: sql`now()` })
      .where(and(inArray(claims.id, row.claimIds), eq(claims.status, 'ready'), isNull(claims.filingId)))
      .returning({ id: claims.id });
    if (taken.length !== row.claimIds.length) throw new NotNow();
    await tx.insert(filings).values(row).onConflictDoNothing();
    return true;
  }).catch((err: unknown) => {
    if (err instanceof NotNow) return false;
    throw err;
  });
}

/** Simulator-channel intents whose case id is not recorded yet (a crash, an unreachable API). */
export async function unfinishedIntents(q: Db): Promise<FilingRow[]> {
  return q.select().from(filings).where(and(eq(filings.channel, 'simulator'), eq(filings.status, 'prepared'))).orderBy(asc(filings.createdAt));
}

/** prepared → filed with its case id; true when this call made the change. */
export async function markFiled(q: Db, filingId: string, caseId: string): Promise<boolean> {
  const r = await q
    .update(filings)
    .set({ caseId, status: 'filed', filedAt: sql`now()` })
    .where(and(eq(filings.id, filingId), eq(filings.status, 'prepared')))
    .returning({ id: filings.id });
  return r.length > 0;
}
