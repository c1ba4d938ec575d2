// Which reminders are due on a day. Pure: the claims, cases and rejections as they stand, the
// reminders already sent, and the clock go in; the reminders to send now come out. Each reminder
// is keyed by (kind, subject) and sent once: the store's unique index keeps it so across crashes
// and workers, and `sent` keeps this function from proposing one again.
//
//   deadline_7d / deadline_2d  a claim not yet filed whose deadline is 7 / 2 days away or less
//                              (a claim first seen with 2 days or less left gets the 2-day one only)
//   follow_up                  a filed case Amazon has not answered within FILING_FOLLOW_UP_DAYS
//   reopen                     a claim rejected for a missing document (or a case Amazon asked one for):
//                              once the document is in, or after `reopenNudgeDays` as a nudge to provide it
import type { ClaimStatus } from './claim-status.js';
import type { RejectionAction } from './rejection.js';

export const REMINDER_KINDS = ['deadline_7d', 'deadline_2d', 'follow_up', 'reopen'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** Claims that still wait to be filed: a deadline reminder is about them only. */
export const UNFILED: readonly ClaimStatus[] = ['detected', 'prompted', 'held', 'ready'];
/** A rejected claim can be reopened while it is not filed again (nor paid, expired, dismissed). */
export const REOPENABLE: readonly ClaimStatus[] = ['rejected', 'prompted', 'ready'];

export interface ClaimFacts {
  readonly id: string;
  readonly userId: string;
  readonly status: ClaimStatus;
  /** YYYY-MM-DD, the last day Amazon accepts the claim. */
  readonly deadline: string | null;
  /** The manual-channel case prepared for it that nobody has filed yet (no case id recorded). */
  readonly preparedFilingId: string | null;
}

export interface CaseFacts {
  readonly filingId: string;
  readonly userId: string;
  readonly status: 'prepared' | 'filed' | 'approved' | 'rejected';
  readonly caseId: string | null;
  readonly filedAt: Date | null;
  /** Amazon decided, or a reply of Amazon's was recorded: the case is not waiting on Amazon. */
  readonly answered: boolean;
}

export interface RejectionFacts {
  readonly claimId: string;
  readonly userId: string;
  readonly claimStatus: ClaimStatus;
  readonly deadline: string | null;
  readonly caseId: string;
  /** Which submission on the case was answered: '' for the one that opened it, else the reopening's id. */
  readonly round: string;
  /** The filing (the case, or its reopening) that was answered, when Clario knows it. */
  readonly filingId: string | null;
  readonly action: RejectionAction;
  readonly rejectedAt: Date;
}

export interface DueReminder {
  readonly kind: ReminderKind;
  /** What it is about, unique per kind: the claim, the filing, or the claim and the rejected case. */
  readonly subject: string;
  readonly userId: string;
  readonly claimId: string | null;
  readonly filingId: string | null;
  /** The day to act by (the claim's deadline), when there is one. */
  readonly due: string | null;
  /** Days to the deadline (deadline reminders). */
  readonly daysLeft: number | null;
}

export interface ReminderRules {
  readonly followUpDays: number;
  readonly reopenNudgeDays: number;
}

export interface ReminderWorld {
  readonly now: Date;
  readonly claims: readonly ClaimFacts[];
  readonly cases: readonly CaseFacts[];
  readonly rejections: readonly RejectionFacts[];
  /** `${kind}:${subject}` of every reminder already sent for these subjects. */
  readonly sent: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;

export const reminderKey = (kind: ReminderKind, subject: string): string => `${kind}:${subject}`;

/** A reopen reminder is per claim and per answered submission: a claim rejected again gets another. */
export const reopenSubject = (claimId: string, caseId: string, round = ''): string => `${claimId}@${caseId}${round ? `#${round}` : ''}`;

/** Whole days from `today` to `day` (both YYYY-MM-DD, UTC calendar days). */
export function daysBetween(today: string, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** The reminders to send at `world.now`, none of them already in `world.sent`. */
export function dueReminders(world: ReminderWorld, rules: ReminderRules): DueReminder[] {
  const today = utcDay(world.now);
  const taken = new Set(world.sent);
  const sent = (kind: ReminderKind, subject: string) => taken.has(reminderKey(kind, subject));
  const out: DueReminder[] = [];
  // Once per (kind, subject), even when the same subject is listed twice.
  const push = (r: DueReminder) => {
    if (sent(r.kind, r.subject)) return;
    taken.add(reminderKey(r.kind, r.subject));
    out.push(r);
  };

  for (const c of world.claims) {
    if (!UNFILED.includes(c.status) || c.deadline === null) continue;
    const daysLeft = daysBetween(today, c.deadline);
    // Past the deadline the claim expires: nothing left to remind of.
    if (daysLeft < 0 || daysLeft > 7) continue;
    const base = { subject: c.id, userId: c.userId, claimId: c.id, filingId: c.preparedFilingId, due: c.deadline, daysLeft };
    if (daysLeft <= 2) {
      push({ kind: 'deadline_2d', ...base });
    } else if (!sent('deadline_2d', c.id)) {
      push({ kind: 'deadline_7d', ...base });
    }
  }

  const answerBy = world.now.getTime() - rules.followUpDays * DAY_MS;
  for (const f of world.cases) {
    if (f.status !== 'filed' || f.caseId === null || f.answered || f.filedAt === null) continue;
    if (f.filedAt.getTime() > answerBy) continue;
    push({ kind: 'follow_up', subject: f.filingId, userId: f.userId, claimId: null, filingId: f.filingId, due: null, daysLeft: null });
  }

  const nudgeAt = world.now.getTime() - rules.reopenNudgeDays * DAY_MS;
  for (const r of world.rejections) {
    if (r.action !== 'reprompt' || !REOPENABLE.includes(r.claimStatus)) continue;
    if (r.deadline !== null && r.deadline < today) continue;
    // `ready` again: the document Amazon asked for is in, so the case can be reopened now.
    const documentIn = r.claimStatus === 'ready';
    if (!documentIn && r.rejectedAt.getTime() > nudgeAt) continue;
    push({ kind: 'reopen', subject: reopenSubject(r.claimId, r.caseId, r.round), userId: r.userId, claimId: r.claimId, filingId: r.filingId, due: r.deadline, daysLeft: r.deadline === null ? null : daysBetween(today, r.deadline) });
  }
  return out;
}
