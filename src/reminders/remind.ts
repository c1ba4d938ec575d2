// The reminders loop (worker processes, beside the filer and the payouts loop). Each round: the
// pure core says which reminders are due; each is written once (unique per kind and subject) with
// its `filing.reminder` message in the same transaction, so the seller's WebSocket, webhooks and
// EventBridge hear of it exactly when it exists; then, when SMTP is set, reminders not yet mailed
// are e-mailed, each claimed first so that no crash or second worker sends one twice.
import { sql } from 'drizzle-orm';
import { dueReminders, reopenSubject, type DueReminder } from '../domain/reminders.js';
import { markFollowUp } from '../filing/filings.js';
import type { Database, Db } from '../store/db.js';
import type { Log } from '../workflow/log.js';
import { pollingLoop } from '../workflow/polling.js';
import { publish } from '../workflow/publish.js';
import { claimsByIds, insertReminder, readCandidates, reminderClaim, reminderId, type ReminderRow } from './reminder-rows.js';
import { mailReminders, type MailOptions, type MailRound } from './mail-reminders.js';
import { mailConfirmations, type ConfirmationMailOptions } from './mail-confirmations.js';
import { writeReminder, type ReminderFacts } from './write-reminder.js';

export interface ReminderLoopOptions {
  readonly database: Database;
  readonly log: Log;
  readonly intervalMs: number;
  readonly followUpDays: number;
  readonly reopenNudgeDays: number;
  /** E-mail, when SMTP is set; `openToken` opens the sealed tokens of address confirmations. */
  readonly mail?: MailOptions & { readonly openToken?: ConfirmationMailOptions['openToken'] };
  /** After reminders were written: the outbox relay sends their messages on at once. */
  readonly afterCommit?: () => void;
  readonly now?: () => Date;
}

export interface ReminderRound {
  /** The reminders written this round. */
  readonly reminders: ReminderRow[];
  readonly mail: MailRound;
  /** Address confirmation mails. */
  readonly confirmations: MailRound;
}

export interface ReminderLoop {
  runOnce(): Promise<ReminderRound>;
  nudge(): void;
  start(): void;
  stop(): Promise<void>;
}

export function createReminderLoop(options: ReminderLoopOptions): ReminderLoop {
  const db = options.database.db;
  const now = options.now ?? (() => new Date());

  async function runOnce(): Promise<ReminderRound> {
    const at = now();
    const written = await recordDue(db, { now: at, followUpDays: options.followUpDays, reopenNudgeDays: options.reopenNudgeDays });
    if (written.length > 0) options.afterCommit?.();
    const confirmations = options.mail?.openToken ? await mailConfirmations(db, { ...options.mail, openToken: options.mail.openToken }, { log: options.log }) : { sent: 0, failed: 0 };
    const mail = options.mail ? await mailReminders(db, options.mail, { now: at, log: options.log }) : { sent: 0, failed: 0 };
    return { reminders: written, mail, confirmations };
  }

  const loop = pollingLoop(runOnce, { intervalMs: options.intervalMs, onError: (err) => options.log.error({ err }, 'reminders round failed') });
  return { runOnce, nudge: () => loop.nudge(), start: () => loop.start(), stop: () => loop.stop() };
}

/**
 * Decides and writes the reminders due at `now`, in one transaction under one lock: two workers
 * take turns, and the second sees what the first wrote (the unique index would stop a duplicate
 * anyway; the lock also keeps a 7-day reminder from racing a 2-day one for the same claim).
 */
export async function recordDue(db: Db, o: { now: Date; followUpDays: number; reopenNudgeDays: number }): Promise<ReminderRow[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('clario:reminders'))`);
    const found = await readCandidates(tx, o);
    const due = dueReminders({ now: o.now, claims: found.claims, cases: found.cases, rejections: found.rejections, sent: found.sent }, o);
    const written: ReminderRow[] = [];
    for (const d of due) {
      const facts = await factsOf(tx, d, found, o.followUpDays);
      if (!facts) continue;
      const w = writeReminder(d, facts);
      const row = await insertReminder(tx, {
        id: reminderId(d.kind, d.subject),
        userId: d.userId,
        kind: d.kind,
        subject: d.subject,
        claimId: d.claimId,
        filingId: d.filingId,
        message: w.message,
        text: w.text,
        due: d.due,
        title: w.subject,
        page: w.page,
        createdAt: o.now,
      });
      if (!row) continue;
      if (d.kind === 'follow_up' && d.filingId) await markFollowUp(tx, d.filingId, o.now, w.message);
      await publish(tx, {
        type: 'filing.reminder',
        id: row.id,
        user_id: row.userId,
        kind: row.kind,
        claim_id: row.claimId,
        filing_id: row.filingId,
        message: row.message,
        text: row.text,
        due: row.due,
        created_at: row.createdAt.toISOString(),
      });
      written.push(row);
    }
    return written;
  });
}

/** What the text of reminder `d` needs; undefined when its claim or case has gone meanwhile. */
async function factsOf(tx: Db, d: DueReminder, found: Awaited<ReturnType<typeof readCandidates>>, followUpDays: number): Promise<ReminderFacts | undefined> {
  if (d.kind === 'follow_up') {
    const f = d.filingId ? found.filingRows.get(d.filingId) : undefined;
    if (!f?.caseId || !f.filedAt) return undefined;
    const claims = (await claimsByIds(tx, f.claimIds)).map(reminderClaim);
    return { filedCase: { caseId: f.caseId, filedAt: f.filedAt, claims }, followUpDays };
  }
  const claim = d.claimId ? found.claimRows.get(d.claimId) : undefined;
  if (!claim) return undefined;
  if (d.kind === 'reopen') {
    const r = found.rejections.find((x) => reopenSubject(x.claimId, x.caseId, x.round) === d.subject);
    if (!r) return undefined;
    return { claim: reminderClaim(claim), rejection: { caseId: r.caseId, reasonCode: r.reasonCode, needs: r.needs }, followUpDays };
  }
  return { claim: reminderClaim(claim), followUpDays };
}
