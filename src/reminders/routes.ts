// Reminders over HTTP: the list (a seller's own, or every seller's for the service), dismissing
// one, and where a seller's reminders are e-mailed.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REMINDER_KINDS } from '../domain/reminders.js';
import { covers, requireSubject, SERVICE_SEES_ALL, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { isoOrNull } from '../http/json.js';
import { ErrorBody, Id } from '../http/schemas.js';
import type { Db } from '../store/db.js';
import { dismissReminder, findReminder, listReminders, notificationAddress, setNotificationAddress, type ReminderRow } from './reminder-rows.js';

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

const Notifications = z.object({ user_id: z.string(), email: z.string().nullable().describe('Where reminders are e-mailed; null: nowhere (the operator\'s REMINDER_EMAIL_TO still gets them)') });

export function reminderRoutes(db: Db) {
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
          description: "The address a seller's reminders are e-mailed to (when SMTP_URL is set), or null. A seller reads their own.",
          tags: ['reminders'],
          params: z.object({ user_id: Id }),
          response: { 200: Notifications, ...errors },
        },
      },
      async (request) => {
        const userId = requireSubject(principal(request), request.params.user_id);
        return { user_id: userId, email: await notificationAddress(db, userId) };
      },
    );

    r.put(
      '/api/v1/sellers/:user_id/notifications',
      {
        bodyLimit: 4096,
        schema: {
          operationId: 'setNotifications',
          summary: "Set where a seller's reminders are e-mailed",
          description: "Sets the address a seller's reminders are e-mailed to when SMTP_URL is set (null: none). Reminders already e-mailed are not sent again; those of the last 7 days not yet e-mailed go to the new address. A seller sets their own; the service sets anyone's.",
          tags: ['reminders'],
          params: z.object({ user_id: Id }),
          body: z.object({ email: z.email().max(254).nullable() }),
          response: { 200: Notifications, ...errors },
        },
      },
      async (request) => {
        const userId = requireSubject(principal(request), request.params.user_id);
        await setNotificationAddress(db, userId, request.body.email);
        return { user_id: userId, email: request.body.email };
      },
    );
  };
}
