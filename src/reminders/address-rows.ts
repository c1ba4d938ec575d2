// Where a seller's reminders are e-mailed, and the one confirmation mail that proves the address
// is theirs. A token is only ever stored as its hash; the mail round gets the token itself from a
// sealed copy that is cleared when the mail is claimed, so it is at rest (sealed) only until then.
import { createHash } from 'node:crypto';
import { and, eq, gt, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { notificationAddresses } from '../store/schema/reminder-tables.js';

export interface NotificationAddress {
  readonly email: string;
  readonly verified: boolean;
}

/** How long a confirmation link works. */
export const CONFIRM_TTL_MS = 7 * 86_400_000;
/** A seller re-setting the same unconfirmed address gets another mail at most this often. */
export const RESEND_AFTER_MS = 15 * 60_000;

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

export async function notificationAddress(q: Db, userId: string): Promise<NotificationAddress | null> {
  const [row] = await q.select().from(notificationAddresses).where(eq(notificationAddresses.userId, userId));
  return row ? { email: row.email, verified: row.verifiedAt !== null } : null;
}

export async function removeNotificationAddress(q: Db, userId: string): Promise<void> {
  await q.delete(notificationAddresses).where(eq(notificationAddresses.userId, userId));
}

/** The operator (the service) vouches for the address: confirmed at once, no mail. */
export async function setConfirmedAddress(q: Db, userId: string, email: string): Promise<void> {
  const confirmed = { email, updatedAt: sql`now()`, verifiedAt: sql`now()`, tokenHash: null, confirmationSealed: null, confirmationMailedAt: null };
  await q.insert(notificationAddresses).values({ userId, ...confirmed }).onConflictDoUpdate({ target: notificationAddresses.userId, set: confirmed });
}

/**
 * A seller sets an address: it waits for its owner's confirmation, with a new token to mail.
 * Setting the address already confirmed changes nothing; setting the same unconfirmed one again
 * mails another link only once the last is RESEND_AFTER_MS old, so the endpoint cannot be used
 * to flood a stranger's mailbox. Returns whether a confirmation mail is now due.
 */
export async function setUnconfirmedAddress(q: Db, o: { userId: string; email: string; tokenHash: string; sealed: string; now: Date }): Promise<boolean> {
  const t = notificationAddresses;
  const pending = { email: o.email, updatedAt: o.now, verifiedAt: null, tokenHash: o.tokenHash, confirmationSealed: o.sealed, confirmationMailedAt: null };
  const changed = await q
    .insert(t)
    .values({ userId: o.userId, ...pending })
    .onConflictDoUpdate({
      target: t.userId,
      set: pending,
      setWhere: or(
        sql`${t.email} <> excluded.email`,
        // The database's clock, as claimConfirmation stamps the mail with it: this guard is about
        // real minutes between two mails, whatever clock a demo or test moves.
        and(isNull(t.verifiedAt), or(isNull(t.confirmationMailedAt), lt(t.confirmationMailedAt, sql`now() - make_interval(secs => ${RESEND_AFTER_MS / 1000})`))),
      ),
    })
    .returning({ userId: t.userId });
  return changed.length > 0;
}

export interface PendingConfirmation {
  readonly userId: string;
  readonly email: string;
  readonly sealed: string;
}

export async function pendingConfirmations(q: Db, limit: number): Promise<PendingConfirmation[]> {
  const found = await q
    .select({ userId: notificationAddresses.userId, email: notificationAddresses.email, sealed: notificationAddresses.confirmationSealed })
    .from(notificationAddresses)
    .where(and(isNotNull(notificationAddresses.confirmationSealed), isNull(notificationAddresses.verifiedAt)))
    .orderBy(notificationAddresses.updatedAt)
    .limit(limit);
  return found.flatMap((f) => (f.sealed ? [{ userId: f.userId, email: f.email, sealed: f.sealed }] : []));
}

/** Compare and set: the one process that clears the sealed token mails it. */
export async function claimConfirmation(q: Db, c: PendingConfirmation): Promise<boolean> {
  const t = notificationAddresses;
  const r = await q
    .update(t)
    .set({ confirmationSealed: null, confirmationMailedAt: sql`now()` })
    .where(and(eq(t.userId, c.userId), eq(t.confirmationSealed, c.sealed)))
    .returning({ userId: t.userId });
  return r.length > 0;
}

/** The SMTP server refused: the mail is due again, unless the seller set another address since. */
export async function releaseConfirmation(q: Db, c: PendingConfirmation): Promise<void> {
  const t = notificationAddresses;
  await q
    .update(t)
    .set({ confirmationSealed: c.sealed, confirmationMailedAt: null })
    .where(and(eq(t.userId, c.userId), eq(t.email, c.email), isNull(t.confirmationSealed), isNull(t.verifiedAt)));
}

/** The owner followed the link: the address is confirmed (once; an old or used token does nothing). */
export async function confirmAddress(q: Db, token: string, now: Date): Promise<{ userId: string; email: string } | undefined> {
  const t = notificationAddresses;
  const [row] = await q
    .update(t)
    .set({ verifiedAt: now, tokenHash: null, confirmationSealed: null })
    .where(and(eq(t.tokenHash, tokenHash(token)), isNull(t.verifiedAt), gt(t.updatedAt, new Date(now.getTime() - CONFIRM_TTL_MS))))
    .returning({ userId: t.userId, email: t.email });
  return row;
}
