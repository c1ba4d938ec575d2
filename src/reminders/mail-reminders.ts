// E-mails the reminders not mailed yet: to the seller's notification address, with a blind copy
// to the operator's (REMINDER_EMAIL_TO), or to the operator alone. Each is claimed before SMTP
// sees it and marked sent after; a refusal releases it for the next round. A refusal of one
// message does not stop the others; an unreachable server ends the round, since every message
// would fail alike, and the next round tries them all again. A message the server took for some
// recipients and refused for others is sent: sending it again would repeat it to those who have
// it, so the refused addresses are recorded and logged instead.
import type { Db } from '../store/db.js';
import type { Log } from '../workflow/log.js';
import { claimMail, markMailed, releaseMail, unmailedReminders, type ReminderRow } from './reminder-rows.js';
import { MailError, type Mail, type Mailer } from './send-mail.js';

export interface MailOptions {
  readonly mailer: Mailer;
  /** An operator's copy of every reminder. */
  readonly operatorTo: readonly string[];
  /** The dashboard's base URL (PUBLIC_URL, or where this Clario listens). */
  readonly publicUrl: () => string;
}

export interface MailRound {
  readonly sent: number;
  readonly failed: number;
}

// Older reminders are stale (a deadline met or missed): a seller who sets an address today is
// not sent last month's.
const FRESH_MS = 7 * 86_400_000;
const BATCH = 200;

export async function mailReminders(db: Db, o: MailOptions, round: { now: Date; log: Log }): Promise<MailRound> {
  let sent = 0;
  let failed = 0;
  for (const { reminder, email } of await unmailedReminders(db, { since: new Date(round.now.getTime() - FRESH_MS), limit: BATCH })) {
    const to = email ? [email] : [...o.operatorTo];
    if (to.length === 0) continue;
    if (!(await claimMail(db, reminder.id))) continue;
    const outcome = await o.mailer.send(mailOf(reminder, { to, bcc: email ? [...o.operatorTo] : [], publicUrl: o.publicUrl() })).then(
      (sentMail) => ({ ok: true as const, refused: sentMail.refused }),
      // Only the SMTP exchange's failure releases the claim: a database error after the server took
      // the message must not, or the next round would send it again.
      (err: unknown) => ({ ok: false as const, error: err instanceof MailError ? err : new MailError(err instanceof Error ? err.name : 'error', undefined) }),
    );
    if (outcome.ok) {
      const note = outcome.refused.length > 0 ? `refused for ${outcome.refused.join(', ')}` : null;
      await markMailed(db, reminder.id, note);
      if (note) round.log.warn({ reminderId: reminder.id, userId: reminder.userId, refused: outcome.refused }, 'the SMTP server refused some recipients of a reminder');
      sent++;
      continue;
    }
    await releaseMail(db, reminder.id, outcome.error.message);
    failed++;
    round.log.error({ reminderId: reminder.id, userId: reminder.userId, error: outcome.error.message, responseCode: outcome.error.responseCode }, 'e-mailing a reminder failed; the next round tries again');
    if (outcome.error.unreachable) break;
  }
  return { sent, failed };
}

/** The e-mail of a reminder: what to do, the text to paste, and the dashboard page. */
export function mailOf(r: ReminderRow, o: { to: readonly string[]; bcc: readonly string[]; publicUrl: string }): Mail {
  const link = `${o.publicUrl.replace(/\/+$/, '')}${r.page}`;
  const parts = [r.message];
  if (r.text) parts.push('Text to paste on the case in Seller Central:', '----', r.text, '----');
  if (r.due) parts.push(`Act by: ${r.due}`);
  parts.push(`Open it in Clario: ${link}`, '--\nClario sends this reminder once. Change where reminders go with PUT /api/v1/sellers/:user_id/notifications.');
  return { to: o.to, bcc: o.bcc, subject: `Clario: ${r.title}`, text: `${parts.join('\n\n')}\n`, messageId: `<${r.id}@clario.reminders>` };
}
