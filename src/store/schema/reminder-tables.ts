// Reminders to the seller (deadlines, follow-ups, reopening), and where to e-mail them.
import { date, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ReminderKind } from '../../domain/reminders.js';
import { ts } from './column-types.js';

/**
 * A reminder, sent once: unique per (kind, subject), so a crash or a second worker cannot send it
 * twice. Its e-mail is claimed (`email_claimed_at`) before it is handed to SMTP and marked sent
 * after; a failure the SMTP server reports releases the claim for the next round.
 */
export const reminders = pgTable(
  'reminders',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    kind: text('kind').$type<ReminderKind>().notNull(),
    /** What it is about, unique per kind (src/domain/reminders.ts). */
    subject: text('subject').notNull(),
    claimId: text('claim_id'),
    filingId: text('filing_id'),
    message: text('message').notNull(),
    /** The follow-up or reopening text to paste on the case. */
    text: text('text'),
    due: date('due', { mode: 'string' }),
    /** The e-mail's subject line, and the dashboard page it links to. */
    title: text('title').notNull(),
    page: text('page').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    dismissedAt: ts('dismissed_at'),
    emailClaimedAt: ts('email_claimed_at'),
    emailedAt: ts('emailed_at'),
    emailAttempts: integer('email_attempts').notNull().default(0),
    emailError: text('email_error'),
  },
  (t) => [
    uniqueIndex('reminders_once').on(t.kind, t.subject),
    index('reminders_user').on(t.userId, t.createdAt),
    index('reminders_unmailed').on(t.emailedAt, t.createdAt),
  ],
);

/**
 * Where a seller wants reminders e-mailed (Clario keeps no other address of theirs). An address a
 * seller sets is used only once its owner confirms it (`verified_at`): otherwise anyone could have
 * Clario mail a stranger. Until then the confirmation token is kept as a hash, and sealed (for
 * the mail round to put in the one confirmation mail) until that mail is claimed.
 */
export const notificationAddresses = pgTable('notification_addresses', {
  userId: text('user_id').primaryKey(),
  email: text('email').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  verifiedAt: ts('verified_at'),
  tokenHash: text('token_hash'),
  confirmationSealed: text('confirmation_sealed'),
  confirmationMailedAt: ts('confirmation_mailed_at'),
});
