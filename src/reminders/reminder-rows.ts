// The reminders' queries: what the pure core (src/domain/reminders.ts) decides on, the reminders
// it sends, the seller's list, and the e-mail's claim-then-mark bookkeeping.
import { createHash } from 'node:crypto';
import { and, desc, eq, gte, inArray, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { missingDocuments, type RejectionAction, type RejectionCode } from '../domain/rejection.js';
import { utcDay } from '../domain/calendar-days.js';
import { REOPENABLE, UNFILED, type CaseFacts, type ClaimFacts, type RejectionFacts, type ReminderKind } from '../domain/reminders.js';
import type { Db } from '../store/db.js';
import { claims } from '../store/schema/claims-tables.js';
import { filings } from '../store/schema/filing-tables.js';
import { rejections } from '../store/schema/learning-tables.js';
import { notificationAddresses, reminders } from '../store/schema/reminder-tables.js';
import type { ReminderClaim } from './write-reminder.js';

export type ReminderRow = typeof reminders.$inferSelect;
type ClaimRow = typeof claims.$inferSelect;

const DAY_MS = 86_400_000;
// A round looks at this many of each at most; the next round takes the rest.
const BATCH = 500;

/** The same reminder always has the same id, whichever worker writes it first. */
export function reminderId(kind: ReminderKind, subject: string): string {
  return `rem_${createHash('sha256').update(`${kind}\n${subject}`).digest('hex').slice(0, 24)}`;
}

export function reminderClaim(c: ClaimRow): ReminderClaim {
  const missing = c.score?.missing;
  return { id: c.id, type: c.type, status: c.status, quantity: c.quantity, amountMinor: c.amountMinor, currency: c.currency, deadline: c.deadline, details: c.details, missing: Array.isArray(missing) ? missing : [] };
}

export interface RejectionRead extends RejectionFacts {
  readonly reasonCode: string;
  readonly needs: ReturnType<typeof missingDocuments>;
}

/** What the reminders decide on at `now`: only rows that could be due, so a round stays small. */
export async function readCandidates(q: Db, o: { now: Date; followUpDays: number }) {
  const today = utcDay(o.now);
  const weekOut = utcDay(new Date(o.now.getTime() + 7 * DAY_MS));
  const unfiled = await q
    .select({ claim: claims, prepared: filings.id })
    .from(claims)
    .leftJoin(filings, and(eq(filings.id, claims.filingId), eq(filings.channel, 'manual'), eq(filings.status, 'prepared')))
    .where(and(inArray(claims.status, [...UNFILED]), gte(claims.deadline, today), lte(claims.deadline, weekOut)))
    .orderBy(claims.deadline, claims.id)
    .limit(BATCH);

  const answerBy = new Date(o.now.getTime() - o.followUpDays * DAY_MS);
  // Answered: decided, or a reply of Amazon's on the case pasted since this submission was filed.
  const replied = sql<boolean>`EXISTS (SELECT 1 FROM filing_replies r WHERE r.case_id = ${filings.caseId} AND r.user_id = ${filings.userId} AND r.received_at >= ${filings.filedAt})`;
  const waiting = await q
    .select({ f: filings, replied })
    .from(filings)
    .where(and(eq(filings.status, 'filed'), sql`${filings.caseId} IS NOT NULL`, lte(filings.filedAt, answerBy), notReminded('follow_up', sql`${filings.id}`)))
    .orderBy(filings.filedAt, filings.id)
    .limit(BATCH);

  // The claim's latest answer only, on its current case: a claim filed again under a new case is
  // judged on that one, and a reopening answered again on the same case is a round of its own.
  const later = sql`NOT EXISTS (SELECT 1 FROM rejections r2 WHERE r2.claim_id = ${rejections.claimId} AND r2.case_id = ${rejections.caseId} AND (r2.at, r2.id) > (${rejections.at}, ${rejections.id}))`;
  // The submission answered: the filing that opened the case, or the reopening (its id is the round).
  const answeredFiling = sql<string | null>`CASE WHEN ${rejections.roundKey} = '' THEN (SELECT f.id FROM filings f WHERE f.user_id = ${rejections.userId} AND f.case_id = ${rejections.caseId} AND f.reopens_case_id IS NULL LIMIT 1) ELSE ${rejections.roundKey} END`;
  const subject = sql`${rejections.claimId} || '@' || ${rejections.caseId} || CASE WHEN ${rejections.roundKey} = '' THEN '' ELSE '#' || ${rejections.roundKey} END`;
  const rejected = await q
    .select({ r: rejections, claim: claims, filingId: answeredFiling })
    .from(rejections)
    .innerJoin(claims, and(eq(claims.id, rejections.claimId), eq(claims.caseId, rejections.caseId)))
    .where(and(eq(rejections.action, 'reprompt'), inArray(claims.status, [...REOPENABLE]), later, notReminded('reopen', subject)))
    .orderBy(rejections.at, rejections.id)
    .limit(BATCH);

  const claimIds = unfiled.map((u) => u.claim.id);
  const sent = claimIds.length
    ? await q.select({ kind: reminders.kind, subject: reminders.subject }).from(reminders).where(and(inArray(reminders.kind, ['deadline_7d', 'deadline_2d']), inArray(reminders.subject, claimIds)))
    : [];

  const claimFacts: ClaimFacts[] = unfiled.map(({ claim, prepared }) => ({ id: claim.id, userId: claim.userId, status: claim.status, deadline: claim.deadline, preparedFilingId: prepared }));
  const caseFacts: CaseFacts[] = waiting.map(({ f, replied: r }) => ({ filingId: f.id, userId: f.userId, status: f.status, caseId: f.caseId, filedAt: f.filedAt, answered: f.decidedAt !== null || r }));
  const rejectionFacts: RejectionRead[] = rejected.map(({ r, claim, filingId }) => ({
    claimId: claim.id,
    userId: claim.userId,
    claimStatus: claim.status,
    deadline: claim.deadline,
    caseId: r.caseId,
    round: r.roundKey,
    filingId,
    action: r.action as RejectionAction,
    rejectedAt: r.at,
    reasonCode: r.reasonCode,
    needs: missingDocuments(r.reasonCode as RejectionCode, r.rawText, claim.type),
  }));
  return {
    claims: claimFacts,
    cases: caseFacts,
    rejections: rejectionFacts,
    sent: new Set(sent.map((s) => `${s.kind}:${s.subject}`)),
    claimRows: new Map([...unfiled.map((u) => u.claim), ...rejected.map((r) => r.claim)].map((c) => [c.id, c])),
    filingRows: new Map(waiting.map(({ f }) => [f.id, f])),
  };
}

function notReminded(kind: ReminderKind, subject: SQL): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM reminders m WHERE m.kind = ${kind} AND m.subject = ${subject})`;
}

export async function claimsByIds(q: Db, ids: readonly string[]): Promise<ClaimRow[]> {
  if (ids.length === 0) return [];
  const found = await q.select().from(claims).where(inArray(claims.id, [...ids]));
  const byId = new Map(found.map((c) => [c.id, c]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Writes the reminder once; the row when this call wrote it, undefined when it existed. */
export async function insertReminder(q: Db, row: typeof reminders.$inferInsert): Promise<ReminderRow | undefined> {
  const [inserted] = await q.insert(reminders).values(row).onConflictDoNothing().returning();
  return inserted;
}

/** A seller's reminders (or every seller's), newest first; `open`: not dismissed. */
export async function listReminders(q: Db, o: { userId: string | null; open: boolean; limit: number }): Promise<ReminderRow[]> {
  const where: SQL[] = [];
  if (o.userId !== null) where.push(eq(reminders.userId, o.userId));
  if (o.open) where.push(isNull(reminders.dismissedAt));
  return q.select().from(reminders).where(and(...where)).orderBy(desc(reminders.createdAt), desc(reminders.id)).limit(o.limit);
}

export async function findReminder(q: Db, id: string): Promise<ReminderRow | undefined> {
  const [row] = await q.select().from(reminders).where(eq(reminders.id, id));
  return row;
}

/** Dismisses a reminder (again: no change); returns it as it now is. */
export async function dismissReminder(q: Db, id: string): Promise<ReminderRow | undefined> {
  await q.update(reminders).set({ dismissedAt: sql`now()` }).where(and(eq(reminders.id, id), isNull(reminders.dismissedAt)));
  return findReminder(q, id);
}

export interface UnmailedReminder {
  readonly reminder: ReminderRow;
  /** The seller's own address, when they set one. */
  readonly email: string | null;
}

/** Reminders not e-mailed yet nor being e-mailed, not dismissed, written since `since`; oldest first. */
export async function unmailedReminders(q: Db, o: { since: Date; limit: number }): Promise<UnmailedReminder[]> {
  const found = await q
    .select({ reminder: reminders, email: notificationAddresses.email })
    .from(reminders)
    // Only a confirmed address: an unconfirmed one is as if none were set.
    .leftJoin(notificationAddresses, and(eq(notificationAddresses.userId, reminders.userId), isNotNull(notificationAddresses.verifiedAt)))
    .where(and(isNull(reminders.emailedAt), isNull(reminders.emailClaimedAt), isNull(reminders.dismissedAt), gte(reminders.createdAt, o.since)))
    .orderBy(reminders.createdAt, reminders.id)
    .limit(o.limit);
  return found.map((f) => ({ reminder: f.reminder, email: f.email }));
}

/**
 * Claims a reminder's e-mail before it is handed to SMTP (compare and set): one process sends it.
 * A crash after this and before `markMailed` leaves it claimed and never sent again: SMTP cannot
 * be asked whether a message went out, and a duplicate is worse than a reminder missing from the
 * inbox while it stays on the dashboard.
 */
export async function claimMail(q: Db, id: string): Promise<boolean> {
  const r = await q
    .update(reminders)
    .set({ emailClaimedAt: sql`now()`, emailAttempts: sql`${reminders.emailAttempts} + 1` })
    .where(and(eq(reminders.id, id), isNull(reminders.emailClaimedAt), isNull(reminders.emailedAt)))
    .returning({ id: reminders.id });
  return r.length > 0;
}

/** Sent; `note` says which recipients the server refused, if any did. */
export async function markMailed(q: Db, id: string, note: string | null = null): Promise<void> {
  await q.update(reminders).set({ emailedAt: sql`now()`, emailError: note }).where(eq(reminders.id, id));
}

/** The SMTP server refused or could not be reached: the next round tries again. */
export async function releaseMail(q: Db, id: string, error: string): Promise<void> {
  await q.update(reminders).set({ emailClaimedAt: null, emailError: error.slice(0, 500) }).where(and(eq(reminders.id, id), isNull(reminders.emailedAt)));
}
