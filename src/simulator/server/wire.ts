/**
 * SP-API's wire conventions shared by the simulated operations: the error body
 * `{"errors":[{"code","message","details"}]}`, `x-amzn-RequestId`, the access-token check and
 * the usage-plan buckets that answer 429 with `x-amzn-RateLimit-Limit`.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimulatorState } from './state.js';
import type { SpApiOperation } from './usage-plans.js';

export function sendErrors(reply: FastifyReply, status: number, code: string, message: string, details = ''): FastifyReply {
  return reply.code(status).header('content-type', 'application/json').send({ errors: [{ code, message, details }] });
}

export function invalidInput(reply: FastifyReply, message: string): FastifyReply {
  return sendErrors(reply, 400, 'InvalidInput', message);
}

export interface GuardOptions {
  readonly state: SimulatorState;
  readonly rateLimits: boolean;
}

/**
 * Authenticates the call by its access token and takes a token from the seller's bucket for the
 * operation. Returns the seller id, or undefined once the refusal has been sent.
 */
export function guard(req: FastifyRequest, reply: FastifyReply, options: GuardOptions, operation?: SpApiOperation): string | undefined {
  void reply.header('x-amzn-RequestId', randomUUID());
  const header = req.headers['x-amz-access-token'];
  const token = Array.isArray(header) ? header[0] : header;
  const entry = token ? options.state.accessTokens.get(token) : undefined;
  if (!entry || entry.expiresAt <= options.state.clock.now()) {
    const details = !token ? 'Access token is missing in the request header.' : entry ? 'The access token you provided has expired.' : 'The access token you provided is revoked, malformed or invalid.';
    sendErrors(reply, 403, 'Unauthorized', 'Access to requested resource is denied.', details);
    return undefined;
  }
  if (operation) {
    const bucket = options.state.limiter.bucket(entry.sellerId, operation);
    void reply.header('x-amzn-RateLimit-Limit', String(bucket.rate));
    if (options.rateLimits && bucket.take(options.state.clock.now()) > 0) {
      sendErrors(reply, 429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.');
      return undefined;
    }
  }
  return entry.sellerId;
}

/** A query parameter as one string (Fastify gives arrays for repeated names). */
export function param(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/** An ISO 8601 date-time parameter: undefined when absent, NaN when unreadable. */
export function dateParam(query: unknown, name: string): number | undefined {
  const text = param(query, name);
  return text === undefined ? undefined : Date.parse(text);
}
