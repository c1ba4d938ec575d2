// Every request carries an id (the caller's X-Request-Id when it is sane, a fresh UUID otherwise),
// answers with it, and logs with it; and every answer is counted by route template and status.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What a caller may choose as its id: short, and only characters that cannot break a log line or
 * a header (no spaces, quotes, commas or control characters). Anything else is replaced, not
 * rejected: a bad id is the caller's tracing problem, never a reason to refuse the request.
 */
const SANE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Fastify's genReqId: the caller's id when sane, else a new one. */
export function requestIdFrom(headers: IncomingHttpHeaders): string {
  const sent = headers[REQUEST_ID_HEADER];
  return typeof sent === 'string' && SANE_ID.test(sent) ? sent : randomUUID();
}

/** Receives one call per answered request. `route` is the template (`/api/v1/workflow/status/:user_id`). */
export interface RequestObserver {
  request(method: string, route: string, status: number, durationSeconds: number): void;
}

/** The label for requests no route matched (404s, URLs that do not parse): one value, never the raw URL. */
export const UNMATCHED_ROUTE = 'unmatched';

export function observeRequests(app: FastifyInstance, observer: RequestObserver | undefined): void {
  // First of all hooks, so a refusal by a later one (401, 429), the error handler and the 404
  // handler all answer with the id. (A URL the router refuses runs no hook: handleFrameworkError
  // sets it there.)
  app.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  if (!observer) return;
  app.addHook('onResponse', async (request, reply) => {
    observer.request(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
  });
}
