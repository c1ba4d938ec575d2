// The confirmation mail of an address a seller set: one per token, claimed before SMTP sees it
// (as reminders are), released for the next round when the server refuses it. Nothing else is
// mailed to the address until its owner follows the link.
import type { Db } from '../store/db.js';
import type { Log } from '../workflow/log.js';
import { claimConfirmation, pendingConfirmations, releaseConfirmation, tokenHash, type PendingConfirmation } from './address-rows.js';
import { MailError, type Mail, type Mailer } from './send-mail.js';

export interface ConfirmationMailOptions {
  readonly mailer: Mailer;
  readonly publicUrl: () => string;
  /** Opens the sealed token (the secret box, bound to the seller). */
  readonly openToken: (sealed: string, userId: string) => string;
}

export const tokenContext = (userId: string) => `notification-address:${userId}`;

export async function mailConfirmations(db: Db, o: ConfirmationMailOptions, round: { log: Log }): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (const pending of await pendingConfirmations(db, 100)) {
    let token: string;
    try {
      token = o.openToken(pending.sealed, tokenContext(pending.userId));
    } catch (err) {
      // A token sealed with a key no longer configured: the seller sets the address again.
      round.log.error({ userId: pending.userId, err: err instanceof Error ? err.message : String(err) }, 'a confirmation token cannot be opened; the seller must set the address again');
      await claimConfirmation(db, pending);
      continue;
    }
    if (!(await claimConfirmation(db, pending))) continue;
    const outcome = await o.mailer.send(confirmationMail(pending, token, o.publicUrl())).then(
      () => undefined,
      (err: unknown) => (err instanceof MailError ? err : new MailError(err instanceof Error ? err.name : 'error', undefined)),
    );
    if (!outcome) {
      sent++;
      continue;
    }
    await releaseConfirmation(db, pending);
    failed++;
    round.log.error({ userId: pending.userId, error: outcome.message, responseCode: outcome.responseCode }, 'e-mailing an address confirmation failed; the next round tries again');
    if (outcome.unreachable) break;
  }
  return { sent, failed };
}

export function confirmationMail(p: PendingConfirmation, token: string, publicUrl: string): Mail {
  const link = `${publicUrl.replace(/\/+$/, '')}/api/v1/notifications/confirm?token=${encodeURIComponent(token)}`;
  const text = [
    `Someone asked Clario to e-mail the claim reminders of seller account ${p.userId} to this address.`,
    `If that was you, confirm it here (the link works for 7 days):\n${link}`,
    'If it was not you, ignore this message: Clario sends nothing more to this address unless it is confirmed.',
  ].join('\n\n');
  return { to: [p.email], bcc: [], subject: 'Clario: confirm where your reminders go', text: `${text}\n`, messageId: `<confirm-${tokenHash(token).slice(0, 24)}@clario.reminders>` };
}
