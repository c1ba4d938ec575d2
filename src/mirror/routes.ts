// The operator's view of the event mirror: subscribe an endpoint, see where its delivery stands,
// replay, unsubscribe. Service token only. Signing secrets are shown once, on creation.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireService, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Db } from '../store/db.js';
import { destinationRefusal, type DestinationPolicy } from './destination.js';
import { generateSecret, secretKey } from './standard-webhooks.js';
import { cursorId } from './eventbridge.js';
import { deleteSubscription, findSubscription, insertSubscription, listSubscriptions, outboxHead, replaySubscription, sinkStates, type SubscriptionRow } from './store.js';
import { isoOrNull } from '../http/json.js';
import { EVENT_CATALOGUE } from '../workflow/messages.js';

/**
 * The types Clario publishes (docs/events.md): a type outside them was stored and then never
 * matched anything, a subscription that silently received nothing. Only new input is checked;
 * a subscription stored before keeps whatever types it holds.
 */
const EVENT_TYPES = EVENT_CATALOGUE.map((e) => e.type);
const EventType = z.enum(EVENT_TYPES, { error: `not an event type; one of ${EVENT_TYPES.join(', ')}` });

/**
 * A host name, or an IPv6 literal in brackets: zod's hostname pattern has no brackets, so
 * `[::ffff:127.0.0.1]` was "Invalid URL" rather than the destination check's reason.
 */
const Host = new RegExp(`${z.regexes.hostname.source}|^\\[[0-9a-fA-F:.]+\\]$`);

const CreateBody = z.object({
  url: z.url({ protocol: /^https?$/, hostname: Host }).max(2000),
  event_types: z.array(EventType).max(50).default([]),
  secret: z
    .string()
    .max(200)
    .refine((s) => secretKey(s) !== undefined, 'whsec_ followed by the base64 of 16–64 random bytes')
    .optional(),
});

const Params = z.object({ id: z.string().min(1).max(100) });

/** A new subscription as createSubscription answers it: view() and, this once, the secret. */
const Created = z.object({
  id: z.string(),
  url: z.string(),
  event_types: z.array(z.string()),
  status: z.enum(['active', 'disabled']),
  disabled_reason: z.string().nullable(),
  created_at: z.string(),
  delivery: z.object({
    last_delivered_seq: z.number(),
    attempts: z.number(),
    failing_since: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    last_error: z.object({ code: z.string(), message: z.string() }).nullable(),
    last_delivered_at: z.string().nullable(),
  }),
  secret: z.string(),
});
const ReplayBody = z.object({ from_seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional() }).nullish();

/**
 * Why a replay from `fromSeq` is refused, given the newest outbox seq. Past the next event the
 * cursor would wait, delivering nothing and saying nothing, until the outbox reached a number
 * that was likely a typo. (`head` only grows, so one read before the replay is enough.)
 */
export function replayRefusal(fromSeq: number, head: number): string | undefined {
  if (fromSeq <= head + 1) return undefined;
  const newest = head === 0 ? 'there is no event yet' : `the newest event is seq ${head}`;
  return `from_seq ${fromSeq} is past the next event: ${newest}, so from_seq may be at most ${head + 1}`;
}

/** Everything but the secret, which never leaves the database after creation. */
function view(s: SubscriptionRow) {
  return {
    id: s.id,
    url: s.url,
    event_types: s.eventTypes,
    status: s.status,
    disabled_reason: s.disabledReason,
    created_at: s.createdAt.toISOString(),
    delivery: {
      last_delivered_seq: s.lastSeq,
      attempts: s.attempts,
      failing_since: isoOrNull(s.firstFailedAt),
      next_attempt_at: s.status === 'active' ? s.nextAttemptAt.toISOString() : null,
      last_error: s.lastError,
      last_delivered_at: isoOrNull(s.lastDeliveredAt),
    },
  };
}

export function subscriptionRoutes(deps: { database: Db; box: SecretBox; destinations: DestinationPolicy; now?: () => Date }) {
  const db = deps.database;
  const now = deps.now ?? (() => new Date());
  const found = async (id: string) => {
    const s = await findSubscription(db, id);
    if (!s) throw new ApiError('not_found', 'no such subscription');
    return s;
  };
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['subscriptions'];

    r.post(
      '/api/v1/subscriptions',
      { schema: { operationId: 'createSubscription', summary: 'Subscribe an endpoint to signed webhooks of the events (the secret is shown once)', description: 'Subscribes an HTTPS endpoint to signed webhooks of the workflow\'s events. The signing secret is in this answer only. Service token only.', tags, body: CreateBody, response: { 201: Created } } },
      async (request, reply) => {
        requireService(principal(request));
        // As delivery will call it (WHATWG form: an IDN host in punycode, `HTTPS://A.org` in lower
        // case), so what is shown is what is called.
        const url = new URL(request.body.url).href;
        // Checked here so the operator hears why at once; delivery checks again (DNS changes).
        const refusal = await destinationRefusal(url, deps.destinations);
        if (refusal) throw new ApiError('invalid_request', `the URL is refused: ${refusal}`, [{ path: '/url', message: refusal }]);
        const id = `sub_${randomBytes(12).toString('hex')}`;
        const secret = request.body.secret ?? generateSecret();
        const s = await insertSubscription(db, {
          id,
          url,
          eventTypes: [...new Set(request.body.event_types)],
          sealedSecret: deps.box.seal(secret, `subscription:${id}`),
        });
        return reply.status(201).send({ ...view(s), secret });
      },
    );

    r.get('/api/v1/subscriptions', { schema: { operationId: 'listSubscriptions', summary: 'Every subscription and its delivery state', description: 'Every subscription with its delivery state (cursor, failures, disabled). Service token only.', tags } }, async (request) => {
      requireService(principal(request));
      return { subscriptions: (await listSubscriptions(db)).map(view) };
    });

    r.get('/api/v1/subscriptions/:id', { schema: { operationId: 'getSubscription', summary: "A subscription and its delivery state", description: 'One subscription with its delivery state. Service token only.', tags, params: Params } }, async (request) => {
      requireService(principal(request));
      return view(await found(request.params.id));
    });

    r.post(
      '/api/v1/subscriptions/:id/replay',
      {
        schema: {
          operationId: 'replaySubscription', summary: 'Deliver again from an outbox seq (default: retry the current message now); re-enables a disabled subscription', description: 'Delivers again from an outbox sequence number (by default, retries the current message now); re-enables a disabled subscription. Service token only.',
          tags,
          params: Params,
          body: ReplayBody,
        },
      },
      async (request) => {
        requireService(principal(request));
        const fromSeq = request.body?.from_seq;
        const refusal = fromSeq === undefined ? undefined : replayRefusal(fromSeq, await outboxHead(db));
        if (refusal) throw new ApiError('invalid_request', refusal, [{ path: '/from_seq', message: refusal }]);
        if (!(await replaySubscription(db, request.params.id, fromSeq, now()))) throw new ApiError('not_found', 'no such subscription');
        return view(await found(request.params.id));
      },
    );

    // The EventBridge sink has no subscription row, so its cursor is read here (worker processes
    // write it; any API process can read it from the shared database).
    r.get(
      '/api/v1/ops/event-sinks',
      {
        schema: {
          operationId: 'listEventSinks',
          summary: "The EventBridge sink's cursor, lag and last error",
          description: "The newest outbox seq and each EventBridge sink's delivery state: its cursor, how many outbox messages it trails by, its failures and last error. Service token only.",
          tags: ['operations'],
        },
      },
      async (request) => {
        requireService(principal(request));
        const { head, sinks } = await sinkStates(db, cursorId(''));
        return {
          outbox_head: head,
          sinks: sinks.map((s) => ({
            kind: 'eventbridge',
            bus: s.id.slice(cursorId('').length),
            last_delivered_seq: s.lastSeq,
            lag: s.lag,
            attempts: s.attempts,
            failing_since: isoOrNull(s.firstFailedAt),
            next_attempt_at: s.nextAttemptAt.toISOString(),
            last_error: s.lastError,
            last_delivered_at: isoOrNull(s.lastDeliveredAt),
          })),
        };
      },
    );

    r.delete('/api/v1/subscriptions/:id', { schema: { operationId: 'deleteSubscription', summary: 'Unsubscribe', description: 'Removes a subscription; nothing more is delivered to it. Service token only.', tags, params: Params, answers: { 204: { description: 'Removed' } } } }, async (request, reply) => {
      requireService(principal(request));
      if (!(await deleteSubscription(db, request.params.id))) throw new ApiError('not_found', 'no such subscription');
      return reply.status(204).send();
    });
  };
}
