// "File today": the manual channel's cases waiting for a person to file them in Seller Central,
// nearest deadline first, and the claims Clario holds back from filing, with why. Reads only.
import { and, asc, eq, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import { daysBetween } from '../domain/calendar-days.js';
import { waitingFor } from '../domain/claim-waiting.js';
import { holdOf } from '../domain/filing-holds.js';
import { isCurrency } from '../domain/money.js';
import type { Db } from '../store/db.js';
import { claims } from '../store/schema/claims-tables.js';
import { filings } from '../store/schema/filing-tables.js';
import { placeName } from './filing-places.js';

export interface Amount {
  readonly amount_minor: number;
  readonly currency: string;
}

export interface TodayCase {
  readonly id: string;
  readonly user_id: string;
  readonly claim_type: string;
  readonly where: string;
  readonly claims: number;
  readonly units: number;
  readonly amount: Amount | null;
  readonly deadline: string | null;
  readonly days_left: number | null;
  readonly reopens_case_id: string | null;
}

export interface HeldClaim {
  readonly claim_id: string;
  readonly user_id: string;
  readonly claim_type: string;
  readonly reason: string;
  readonly code: string;
  readonly deadline: string | null;
}

type ClaimRow = typeof claims.$inferSelect;

/** Whole days from `day` to `deadline`: 0 on the last day, negative once past (as the reminders count). */
export function daysLeft(day: string, deadline: string | null): number | null {
  return deadline === null ? null : daysBetween(day, deadline);
}

/** The case's amount: null when any claim's value is unknown, or (never planned) the case mixes currencies. */
function amountOf(rows: readonly ClaimRow[]): Amount | null {
  const first = rows[0];
  if (!first?.currency || !isCurrency(first.currency)) return null;
  let total = 0;
  for (const r of rows) {
    if (r.amountMinor === null || r.currency !== first.currency) return null;
    total += r.amountMinor;
  }
  return Number.isSafeInteger(total) ? { amount_minor: total, currency: first.currency } : null;
}

/**
 * Manual-channel cases nobody has filed yet (status prepared), nearest deadline first (unknown
 * last), then oldest. `userId` null: every seller's.
 */
export async function casesToFile(db: Db, o: { userId: string | null; day: string; limit: number }): Promise<TodayCase[]> {
  const where: SQL[] = [eq(filings.channel, 'manual'), eq(filings.status, 'prepared')];
  if (o.userId !== null) where.push(eq(filings.userId, o.userId));
  const deadline = sql<string | null>`(SELECT min(${claims.deadline}) FROM ${claims} WHERE ${claims.filingId} = ${filings.id})`;
  const rows = await db
    .select({ id: filings.id, userId: filings.userId, claimIds: filings.claimIds, reopensCaseId: filings.reopensCaseId })
    .from(filings)
    .where(and(...where))
    .orderBy(sql`${deadline} ASC NULLS LAST`, asc(filings.createdAt), asc(filings.id))
    .limit(o.limit);
  const ids = [...new Set(rows.flatMap((r) => r.claimIds))];
  const found = ids.length ? await db.select().from(claims).where(inArray(claims.id, ids)) : [];
  const byId = new Map(found.map((c) => [c.id, c]));
  return rows.map((f) => {
    const mine = f.claimIds.flatMap((id) => byId.get(id) ?? []);
    const deadlines = mine.flatMap((c) => (c.deadline ? [c.deadline] : [])).sort();
    const earliest = deadlines[0] ?? null;
    const type = mine[0]?.type ?? 'unknown';
    return {
      id: f.id,
      user_id: f.userId,
      claim_type: type,
      where: placeName(type),
      claims: f.claimIds.length,
      units: mine.reduce((n, c) => n + Math.max(1, c.quantity ?? 1), 0),
      amount: amountOf(mine),
      deadline: earliest,
      days_left: daysLeft(o.day, earliest),
      // The seller's reply on the case Amazon answered (src/filing/file-claims.ts prepares it).
      reopens_case_id: f.reopensCaseId,
    };
  });
}

/**
 * Claims held back from filing, with the reason shown to the person: those with a hold (status held
 * or prompted), and those held as too doubtful to file until the seller adds evidence (status held,
 * no hold; code `needs_evidence`, the reason the claim page gives).
 */
export async function heldClaims(db: Db, o: { userId: string | null; limit: number }): Promise<HeldClaim[]> {
  // Every held claim; a prompted one only with a hold (a smart prompt alone is the seller's, not a hold).
  const where: SQL[] = [or(eq(claims.status, 'held'), and(eq(claims.status, 'prompted'), isNotNull(sql`${claims.details} -> 'hold'`)))!];
  if (o.userId !== null) where.push(eq(claims.userId, o.userId));
  const rows = await db
    .select({ id: claims.id, userId: claims.userId, type: claims.type, status: claims.status, deadline: claims.deadline, details: claims.details, score: claims.score })
    .from(claims)
    .where(and(...where))
    .orderBy(sql`${claims.deadline} ASC NULLS LAST`, asc(claims.id))
    .limit(o.limit);
  return rows.flatMap((r) => {
    const hold = holdOf(r.details);
    const base = { claim_id: r.id, user_id: r.userId, claim_type: r.type, deadline: r.deadline };
    if (hold) return [{ ...base, reason: hold.reason, code: hold.code }];
    const waiting = waitingFor({ status: r.status, missing: Array.isArray(r.score?.missing) ? r.score.missing : [] });
    return waiting ? [{ ...base, reason: waiting.why, code: 'needs_evidence' }] : [];
  });
}
