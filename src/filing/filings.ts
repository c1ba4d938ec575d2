// The filings table: a case at Amazon holding one or more claims. The row is the intent, written
// (with the claims' filing_id) before the case API is called; its id is the Idempotency-Key.
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { filingWindow, windowFactsOf } from '../domain/filing-window.js';
import type { ClaimRow } from '../store/claim-rows.js';
import type { Db } from '../store/db.js';
import { claims } from '../store/schema/claims-tables.js';
import { claimEvidence, evidenceFiles } from '../store/schema/evidence-tables.js';
import { filings } from '../store/schema/filing-tables.js';
import { expireReadyClaims } from './expire-claims.js';
import { utcDay } from '../domain/calendar-days.js';
import type { CaseClaim, CaseEvidence } from './write-case.js';

export type FilingRow = typeof filings.$inferSelect;

export async function findFiling(q: Db, id: string): Promise<FilingRow | undefined> {
  const [row] = await q.select().from(filings).where(eq(filings.id, id));
  return row;
}

/**
 * The filing that opened the seller's Amazon case `caseId` (its reopenings hold a subset of its
 * claims). Case ids are unique per seller account only.
 */
export async function findFilingByCase(q: Db, userId: string, caseId: string): Promise<FilingRow | undefined> {
  const [row] = await q.select().from(filings).where(and(eq(filings.userId, userId), eq(filings.caseId, caseId), isNull(filings.reopensCaseId)));
  return row;
}

/** The case a ready claim was filed in before, and Amazon's answer there that sent it back. */
export interface PreviousFiling {
  readonly filingId: string;
  readonly caseId: string;
  readonly reasonCode: string;
  readonly rawText: string | null;
}

export type ReadyClaimRow = typeof claims.$inferSelect & { readonly previous: PreviousFiling | null };

// Amazon's answer on the claim's current submission: a rejection or request recorded for its round
// ('' for the filing that opened the case, else the reopening's id). A claim whose filing is only
// waiting for its case id or its phase 5 has none, so it is never taken for a second filing.
const ANSWERED = sql`(
  SELECT r.reason_code || chr(31) || coalesce(r.raw_text, '') FROM rejections r
  WHERE r.claim_id = ${claims.id} AND r.case_id = ${filings.caseId}
    AND r.round_key = CASE WHEN ${filings.reopensCaseId} IS NULL THEN '' ELSE ${filings.id} END
  ORDER BY r.at DESC, r.id DESC LIMIT 1)`;

/**
 * Sellers with claims waiting for a case, and those claims (nearest deadline first): never filed,
 * or filed and sent back by Amazon's answer (rejected or asked for a document), then made ready
 * again by the seller's answer: `previous` says where they were filed.
 */
export async function readyClaims(q: Db): Promise<Map<string, ReadyClaimRow[]>> {
  const rows = await q
    .select({ claim: claims, previousCase: filings.caseId, answered: sql<string | null>`${ANSWERED}` })
    .from(claims)
    .leftJoin(filings, eq(filings.id, claims.filingId))
    .where(and(eq(claims.status, 'ready'), or(isNull(claims.filingId), and(isNotNull(filings.caseId), sql`${ANSWERED} IS NOT NULL`))))
    .orderBy(asc(claims.userId), sql`${claims.deadline} ASC NULLS LAST`, asc(claims.id));
  const byUser = new Map<string, ReadyClaimRow[]>();
  for (const { claim, previousCase, answered } of rows) {
    const [reasonCode = 'other', rawText = ''] = (answered ?? '').split('\u001f');
    const previous = claim.filingId && previousCase && answered !== null ? { filingId: claim.filingId, caseId: previousCase, reasonCode, rawText: rawText || null } : null;
    byUser.set(claim.userId, [...(byUser.get(claim.userId) ?? []), { ...claim, previous }]);
  }
  return byUser;
}

/** New cases the seller's filings opened on `day`: a reply on a case Amazon answered opens none. */
export async function casesOnDay(q: Db, userId: string, day: string): Promise<number> {
  const [row] = await q
    .select({ n: sql<number>`count(*)::int` })
    .from(filings)
    .where(and(eq(filings.userId, userId), eq(filings.filedOn, day), isNull(filings.reopensCaseId)));
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
 * The claims' filing window is judged here too, on the filing's day (the filer's clock) and under
 * the claims' row locks: a claim past its deadline is expired instead (that much is written), one
 * still inside its pending period stays ready, and no case is written for either.
 */
export async function writeIntent(db: Db, row: typeof filings.$inferInsert, maxCasesPerDay: number, replaces: readonly string[] = []): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`filing:${row.userId}`}))`);
    if (!row.reopensCaseId && (await casesOnDay(tx, row.userId, row.filedOn)) >= maxCasesPerDay) throw new NotNow();
    // A claim filed before moves from the filing Amazon answered (`replaces`) to this one.
    const unfiled = replaces.length ? or(isNull(claims.filingId), inArray(claims.filingId, [...replaces])) : isNull(claims.filingId);
    const locked = await tx
      .select({ id: claims.id, deadline: claims.deadline, details: claims.details })
      .from(claims)
      .where(and(inArray(claims.id, row.claimIds), eq(claims.status, 'ready'), unfiled))
      .for('update');
    if (locked.length !== row.claimIds.length) throw new NotNow();
    // A reply on a case Amazon already holds is not a new claim: the case's own window governs it.
    const windows = row.reopensCaseId ? [] : locked.map((c) => ({ id: c.id, window: filingWindow(windowFactsOf(c), row.filedOn) }));
    if (windows.some((w) => w.window !== 'open')) {
      await expireReadyClaims(tx, windows.filter((w) => w.window === 'expired').map((w) => w.id), row.filedOn);
      return false;
    }
    const taken = await tx
      .update(claims)
      .set({ filingId: row.id, updatedAt: sql`now()` })
      .where(and(inArray(claims.id, row.claimIds), eq(claims.status, 'ready'), unfiled))
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

/**
 * Phase 5: the case is recorded on the filing that holds the claim, so payout matching knows the
 * case is Clario's. A case filed outside the filer (the /claim/submitted webhook) gets a filing of
 * its own. Returns the filing's id.
 */
export async function recordCaseOnFiling(tx: Db, claim: ClaimRow, caseId: string): Promise<string> {
  const existing = await findFilingByCase(tx, claim.userId, caseId);
  if (existing) {
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
  const id = `fil_ext_${createHash('sha256').update(`${claim.userId}\n${caseId}`).digest('hex').slice(0, 20)}`;
  await tx
    .insert(filings)
    .values({ id, userId: claim.userId, channel: 'manual', caseId, status: 'filed', claimIds: [claim.id], subject: `Case ${caseId}`, body: 'Filed outside Clario and recorded through the claim-submitted webhook.', attachments: [], filedOn: utcDay(new Date()), filedAt: new Date() })
    .onConflictDoNothing();
  await tx.update(filings).set({ claimIds: sql`${filings.claimIds} || ${JSON.stringify([claim.id])}::jsonb` }).where(and(eq(filings.id, id), sql`NOT ${filings.claimIds} @> ${JSON.stringify([claim.id])}::jsonb`));
  return id;
}

/** Amazon decided a filed case (approved: by the case id its payout names; rejected: by filing). */
export async function markDecided(q: Db, of: { userId: string; caseId: string } | { filingId: string }, status: 'approved' | 'rejected'): Promise<void> {
  const which = 'caseId' in of ? and(eq(filings.userId, of.userId), eq(filings.caseId, of.caseId)) : eq(filings.id, of.filingId);
  // An approval keeps the first decision's time; filed → decided happens once either way.
  const decidedAt = status === 'approved' ? sql`coalesce(${filings.decidedAt}, now())` : sql`now()`;
  await q.update(filings).set({ status, decidedAt }).where(and(which, eq(filings.status, 'filed')));
}

/** Open simulator-channel cases, least recently checked first. */
export async function openSimulatorCases(q: Db, limit: number): Promise<FilingRow[]> {
  return q
    .select()
    .from(filings)
    .where(and(eq(filings.channel, 'simulator'), eq(filings.status, 'filed')))
    .orderBy(sql`${filings.lastCheckedAt} ASC NULLS FIRST`, asc(filings.id))
    .limit(limit);
}

export async function markChecked(q: Db, filingId: string): Promise<void> {
  await q.update(filings).set({ lastCheckedAt: sql`now()` }).where(eq(filings.id, filingId));
}

/** Notes on the case that the seller was reminded to follow up on it (once; the reminder says how). */
export async function markFollowUp(q: Db, filingId: string, at: Date, reason: string): Promise<void> {
  await q.update(filings).set({ followUpAt: at, followUpReason: reason }).where(and(eq(filings.id, filingId), isNull(filings.followUpAt)));
}
