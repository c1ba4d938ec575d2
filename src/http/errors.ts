// Every error answer is {"error": {"code", "message", "details"}}; codes map to statuses in one
// table, and a 5xx never shows its internal message or a stack.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { dependencyDown } from './dependency-down.js';
import { REQUEST_ID_HEADER } from './observe.js';

export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_phase: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  idempotency_conflict: 409,
  not_parked: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  ambiguous_case: 422,
  rate_limited: 429,
  headers_too_large: 431,
  internal: 500,
  unavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

function fromFastify(err: FastifyError): ApiError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large', 'the request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('unsupported_media_type', 'send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('invalid_request', err.message);
    default:
      break;
  }
  if (err.statusCode === 400 && /JSON/i.test(err.message)) return new ApiError('invalid_request', 'the body is not valid JSON');
  if (err.statusCode === 429) return new ApiError('rate_limited', 'too many requests; slow down');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new ApiError('invalid_request', err.message);
  return undefined;
}

/** What an error is answered as, or undefined for a fault of ours (a 500). */
function asApiError(err: unknown): ApiError | undefined {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const details = err.validation.map((v) => ({ path: v.instancePath || '/', message: v.message }));
    return new ApiError('invalid_request', 'the request is not valid', details);
  }
  return err instanceof ApiError ? err : fromFastify(err as FastifyError);
}

/** Refusals of what the request carries (its body, its query), rather than of who sends it or how often. */
const INPUT_REFUSALS: ReadonlySet<ApiErrorCode> = new Set(['invalid_request', 'invalid_phase', 'payload_too_large', 'unsupported_media_type']);

/** Whether an error refuses what the request carries: irrelevant when its path names nothing. */
export function isInputRefusal(err: unknown): boolean {
  const api = asApiError(err);
  return api !== undefined && INPUT_REFUSALS.has(api.code);
}

/** A named path parameter left empty (`/api/v1/claims/`: the router gives `id` as ''). */
export function hasEmptyParam(params: unknown): boolean {
  return Object.entries((params ?? {}) as Record<string, unknown>).some(([name, value]) => name !== '*' && value === '');
}

/**
 * The error handler. A request whose path names nothing (`namesNothing`) is answered with
 * `notFound`, the app's 404, when its error is about what it carries: a method the path does not
 * take with a body that cannot be read was a 400 about the body. Who sends it (401) and how often
 * (429) still come first.
 */
export function errorHandler(
  namesNothing: (request: FastifyRequest) => boolean,
  notFound: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | Promise<FastifyReply>,
) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply | Promise<FastifyReply> =>
    namesNothing(request) && isInputRefusal(err) ? notFound(request, reply) : handleError(err, request, reply);
}

export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const api = asApiError(err);
  if (api) {
    if (api.code === 'rate_limited') void reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
    return reply.status(api.status).send(errorBody(api.code, api.message, api.details));
  }
  if (dependencyDown(err)) {
    // The database or the queue is not answering: retrying later works, so a 503, not a 500.
    request.log.warn({ err }, 'request failed: a dependency is not answering');
    return reply.status(503).send(errorBody('unavailable', 'a service Clario depends on is not answering; try again shortly'));
  }
  request.log.error({ err }, 'request failed');
  return reply.status(500).send(errorBody('internal', 'something went wrong on our side; it has been logged'));
}

/**
 * What the router refuses before any route runs (a path parameter over the length limit, a URL
 * that does not decode): in the error format too, and without echoing the caller's URL.
 */
export function handleFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // The router refuses these before any hook runs, so the request id is set here.
  void reply.header(REQUEST_ID_HEADER, request.id);
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') void reply.status(414).send(errorBody('uri_too_long', 'a path parameter is too long'));
  else if (err.code === 'FST_ERR_BAD_URL') void reply.status(400).send(errorBody('invalid_request', 'the URL is not valid'));
  else void reply.status(400).send(errorBody('invalid_request', 'the request is not valid'));
}

/**
 * What Node's HTTP parser refuses before any route can (headers over the limit, a request that
 * took too long to arrive, bytes that are not HTTP), answered in the error format like the rest,
 * instead of Fastify's own body. The connection is closed after it, as Node does.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, message]: [ApiErrorCode, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['headers_too_large', 'the request line and headers are larger than the server takes']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['request_timeout', 'the request did not arrive in time']
        : ['invalid_request', 'the request is not valid HTTP'];
  const status = ERROR_STATUS[code];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}
