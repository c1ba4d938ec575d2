// Stripe's wire conventions: `Authorization: Bearer sk_test_…`, errors as
// `{"error": {"type", "code", "message", "param"}}`, `Request-Id`, and idempotency keys: the same
// key with the same parameters replays the first answer; with other parameters it is refused.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stripeId } from './state.js';

export type ErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export function sendError(
  reply: FastifyReply,
  status: number,
  error: { type: ErrorType; message: string; code?: string; param?: string; [k: string]: unknown },
): FastifyReply {
  return reply.code(status).header('content-type', 'application/json').send({ error });
}

interface Stored {
  readonly hash: string;
  status: number | 'in_flight';
  body: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    stripeIdempotency?: { key: string; hash: string };
  }
}

/** Installs authentication and idempotency on every route of the simulator. */
export function installWire(app: FastifyInstance, apiKey: string, replays: { count: number }): void {
  const stored = new Map<string, Stored>();
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('request-id', stripeId('req'));
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) {
      return sendError(reply, 401, {
        type: 'invalid_request_error',
        message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      });
    }
    if (m[1] !== apiKey) {
      const shown = (m[1] ?? '').slice(0, 8) + '*'.repeat(Math.max(0, (m[1] ?? '').length - 12)) + (m[1] ?? '').slice(-4);
      return sendError(reply, 401, { type: 'invalid_request_error', code: 'api_key_invalid', message: `Invalid API Key provided: ${shown}` });
    }
    return undefined;
  });
  app.addHook('preHandler', async (req, reply) => {
    const header = req.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (req.method !== 'POST' || !key) return undefined;
    const hash = createHash('sha256').update(`${req.method} ${req.url}\n${stable(req.body)}`).digest('hex');
    const prior = stored.get(key);
    if (!prior) {
      stored.set(key, { hash, status: 'in_flight', body: '' });
      req.stripeIdempotency = { key, hash };
      return undefined;
    }
    if (prior.hash !== hash) {
      return sendError(reply, 400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    if (prior.status === 'in_flight') {
      return sendError(reply, 409, {
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
        message: 'There is currently another in-progress request using this Idempotent Key. Please try again later.',
      });
    }
    replays.count++;
    return reply.code(prior.status).header('content-type', 'application/json').header('idempotent-replayed', 'true').send(prior.body);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const idem = req.stripeIdempotency;
    if (idem) {
      void reply.header('idempotency-key', idem.key);
      stored.set(idem.key, { hash: idem.hash, status: reply.statusCode, body: typeof payload === 'string' ? payload : JSON.stringify(payload) });
    }
    return payload;
  });
}

/** JSON with sorted keys, so parameter order does not count as a difference. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function requestIdempotencyKey(req: FastifyRequest): string | null {
  return req.stripeIdempotency?.key ?? null;
}
