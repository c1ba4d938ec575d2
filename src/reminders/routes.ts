// Reminders over HTTP: the list (a seller's own, or every seller's for the service), dismissing
// one, and where a seller's reminders are e-mailed.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REMINDER_KINDS } from '../domain/reminders.js';
import { covers, requireSubject, SERVICE_SEES_ALL, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { isoOrNull } from '../http/json.js';
import { ErrorBody, Id } from '../http/schemas.js';
import type { Db } from '../store/db.js';
import { dismissReminder, findReminder, listReminders, type ReminderRow } from './reminder-rows.js';
import { confirmAddress, notificationAddress, removeNotificationAddress, setConfirmedAddress, setUnconfirmedAddress, tokenHash } from './address-rows.js';
import { tokenContext } from './mail-confirmations.js';
import { escapeHtml, flowPage, wantsPage } from '../connect/pages.js';
import type { SecretBox } from '../security/secret-box.js';

const Reminder = z.object({
  id: z.string(),
  user_id: z.string(),
  kind: z.enum(REMINDER_KINDS),
  claim_id: z.string().nullable(),
  filing_id: z.string().nullable(),
  message: z.string().describe('What to do, in a sentence'),
  text: z.string().nullable().describe('The follow-up or reopening text to paste on the case in Seller Central'),
  due: z.string().nullable().describe('YYYY-MM-DD: the day to act by'),
  created_at: z.string(),
  dismissed_at: z.string().nullable(),
});

export function reminderJson(r: ReminderRow): z.infer<typeof Reminder> {
  return {
    id: r.id,
    user_id: r.userId,
    kind: r.kind,
    claim_id: r.claimId,
    filing_id: r.filingId,
    message: r.message,
    text: r.text,
    due: r.due,
    created_at: r.createdAt.toISOString(),
    dismissed_at: isoOrNull(r.dismissedAt),
  };
}

const Notifications = z.object({
  user_id: z.string(),
  email: z.string().nullable().describe('Where reminders are e-mailed; null: nowhere (the operator\'s REMINDER_EMAIL_TO still gets them)'),
  verified: z.boolean().describe('Its owner followed the confirmation link (or the service set it): only then is it mailed'),
});

export interface ReminderRouteDeps {
  readonly db: Db;
  /** Seals the confirmation token for the mail round. */
  readonly box: SecretBox;
  readonly now: () => Date;
}

export function reminderRoutes(deps: ReminderRouteDeps) {
  const db = deps.db;
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

    r.get(
      '/api/v1/reminders',
      {
        schema: {
          operationId: 'listReminders',
          summary: 'Reminders: deadlines near, cases to follow up, rejected cases to reopen (newest first)',
          description:
            "What a person must do, newest first: a claim not yet filed 7 or 2 days before its deadline, a filed case Amazon has not answered within FILING_FOLLOW_UP_DAYS (with a follow-up text to paste), a rejected claim that can be reopened with a document (with the reopening text). ?open=true leaves out the dismissed ones. A seller sees their own; the service sees every seller's, or one's with user_id.",
          tags: ['reminders'],
          querystring: z.object({
            user_id: Id.optional(),
            open: z.enum(['true', 'false']).optional().describe('true: only reminders not dismissed'),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ reminders: z.array(Reminder) }), ...errors },
        },
      },
      async (request) => {
        const userId = requireSubject(principal(request), request.query.user_id, SERVICE_SEES_ALL);
        const found = await listReminders(db, { userId, open: request.query.open === 'true', limit: request.query.limit });
        return { reminders: found.map(reminderJson) };
      },
    );

    r.post(
      '/api/v1/reminders/:id/dismiss',
      {
        schema: {
          operationId: 'dismissReminder',
          summary: 'Dismiss a reminder: it leaves the open list, and is not e-mailed if it was not yet',
          description: 'Marks a reminder dismissed (again: no change). A seller dismisses their own.',
          tags: ['reminders'],
          params: z.object({ id: Id }),
          response: { 200: z.object({ reminder: Reminder }), ...errors },
        },
      },
      async (request) => {
        const subject = requireSubject(principal(request), undefined, SERVICE_SEES_ALL);
        const found = await findReminder(db, request.params.id);
        // Not found and not yours look the same: ids are not to be probed.
        if (!found || !covers(subject, found.userId)) throw new ApiError('not_found', 'no such reminder');
        const dismissed = await dismissReminder(db, found.id);
        if (!dismissed) throw new ApiError('not_found', 'no such reminder');
        return { reminder: reminderJson(dismissed) };
      },
    );

    r.get(
      '/api/v1/sellers/:user_id/notifications',
      {
        schema: {
          operationId: 'getNotifications',
          summary: "Where a seller's reminders are e-mailed",
          description: 'The address a seller\'s reminders are e-mailed to (when SMTP_URL is set), or null, and whether its owner has confirmed it (only a confirmed address is mailed). A seller reads their own.',
          tags: ['reminders'],
          params: z.object({ user_id: Id }),
          response: { 200: Notifications, ...errors },
        },
      },
      async (request) => {
        const userId = requireSubject(principal(request), request.params.user_id);
        const found = await notificationAddress(deps.db, userId);
        return { user_id: userId, email: found?.email ?? null, verified: found?.verified ?? false };
      },
    );

    r.put(
      '/api/v1/sellers/:user_id/notifications',
      {
        bodyLimit: 4096,
        schema: {
          operationId: 'setNotifications',
          summary: "Set where a seller's reminders are e-mailed",
          description:
            "Sets the address a seller's reminders are e-mailed to when SMTP_URL is set (null: none). An address a seller sets is mailed one confirmation link, and nothing else until its owner follows it (setting the same unconfirmed address again mails another link at most every 15 minutes); an address the service sets is confirmed at once. Reminders already e-mailed are not sent again; those of the last 7 days not yet e-mailed go to the address once it is confirmed. A seller sets their own; the service sets anyone's.",
          tags: ['reminders'],
          params: z.object({ user_id: Id }),
          body: z.object({ email: z.email().max(254).nullable() }),
          response: { 200: Notifications, ...errors },
        },
      },
      async (request) => {
        const who = principal(request);
        const userId = requireSubject(who, request.params.user_id);
        const email = request.body.email;
        if (email === null) {
          await removeNotificationAddress(deps.db, userId);
          return { user_id: userId, email: null, verified: false };
        }
        if (who.kind === 'service') {
          await setConfirmedAddress(deps.db, userId, email);
          return { user_id: userId, email, verified: true };
        }
        const token = randomBytes(32).toString('base64url');
        await setUnconfirmedAddress(deps.db, { userId, email, tokenHash: tokenHash(token), sealed: deps.box.seal(token, tokenContext(userId)), now: deps.now() });
        const found = await notificationAddress(deps.db, userId);
        return { user_id: userId, email, verified: found?.email === email && found.verified };
      },
    );

    confirmRoutes(app, deps);
  };
}

/**
 * The link in the confirmation mail. Opening it shows a button, and only pressing it (a POST)
 * confirms: mail scanners open links on their own, and would otherwise confirm any address an
 * attacker typed. Both prove themselves with the token, so neither needs a session.
 */
function confirmRoutes(app: FastifyInstance, deps: ReminderRouteDeps): void {
  void app.register((sub, _options, done) => {
    // The page's form posts application/x-www-form-urlencoded; JSON callers are welcome too.
    sub.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const r = sub.withTypeProvider<ZodTypeProvider>();
    const Token = z.object({ token: z.string().min(20).max(100).regex(/^[A-Za-z0-9_-]+$/) });
    r.get(
      '/api/v1/notifications/confirm',
      {
        config: { public: true },
        schema: {
          operationId: 'showAddressConfirmation',
          summary: 'The page a confirmation link opens',
          description: 'An HTML page with one button that confirms the address (a POST). Opening the link alone confirms nothing. Proves itself with the token from the mail, not a session.',
          tags: ['reminders'],
          querystring: Token,
          answers: { 200: { description: 'The confirmation page', type: 'text/html' } },
        },
      },
      (request, reply) =>
        flowPage(reply, 200, 'Confirm this address', [
          'Clario will e-mail your claim reminders here once you confirm.',
          `<form method="post" action="/api/v1/notifications/confirm"><input type="hidden" name="token" value="${escapeHtml(request.query.token)}"><button type="submit">Confirm</button></form>`,
        ]),
    );
    r.post(
      '/api/v1/notifications/confirm',
      {
        config: { public: true },
        bodyLimit: 1024,
        schema: {
          operationId: 'confirmAddress',
          summary: 'Confirm a notification address (the button on the confirmation page)',
          description:
            'Confirms the address whose mail carried this token (within 7 days, once); 404 when the token is unknown, used or expired. A browser (the page\'s form; `Accept: text/html`) gets an HTML page; any other caller gets `{"confirmed": true, "user_id", "email"}`, and a 404 in the error format. Proves itself with the token, not a session.',
          tags: ['reminders'],
          body: Token,
          answers: {
            200: { description: 'Confirmed: an HTML page for a browser, JSON for any other caller', type: 'text/html' },
            404: { description: 'Unknown, used or expired: an HTML page for a browser, the error format for any other caller', type: 'text/html' },
          },
        },
      },
      async (request, reply) => {
        const confirmed = await confirmAddress(deps.db, request.body.token, deps.now());
        if (!wantsPage(request)) {
          if (!confirmed) throw new ApiError('not_found', 'the token is unknown, already used or older than 7 days; set the address again for a new one');
          return { confirmed: true, user_id: confirmed.userId, email: confirmed.email };
        }
        if (!confirmed) return flowPage(reply, 404, 'Link not valid', ['This link is unknown, already used or older than 7 days. Set the address again in Clario to get a new one.']);
        return flowPage(reply, 200, 'Address confirmed', [`Clario will e-mail the reminders of seller account ${escapeHtml(confirmed.userId)} to ${escapeHtml(confirmed.email)}.`]);
      },
    );
    done();
  });
}
