// One HTTP call with retries. Retried: no answer (refused, reset, timeout), 429 and 5xx. Never
// retried: any other 4xx, since sending the same request again gets the same refusal. The caller
// makes a retry safe (triggers carry one Idempotency-Key on every attempt).
import { setTimeout as delay } from 'node:timers/promises';
import type { z } from 'zod';
import { backoffDelay, parseRetryAfter, type BackoffPolicy } from '../domain/retry.js';
import { ErrorBody } from '../http/schemas.js';
import { ClarioApiError, ClarioNetworkError } from './errors.js';

export interface TransportOptions {
  readonly baseUrl: string;
  readonly token: string | (() => string | Promise<string>);
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoff: BackoffPolicy;
  /** Upper bound on a server's Retry-After, so one header cannot park a caller for an hour. */
  readonly maxRetryAfterMs: number;
  readonly fetch: typeof fetch;
  readonly random: () => number;
  /** Given the caller's signal: a sleep that honours it clears its timer on abort. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Epoch ms, for a Retry-After given as a date. */
  readonly now: () => number;
  readonly userAgent: string;
  /** The caller's: once aborted, no attempt starts, the one in flight is cancelled, no retry waits. */
  readonly signal?: AbortSignal;
}

export interface Call<T> {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly schema: z.ZodType<T>;
}

export const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> => delay(ms, undefined, signal ? { signal } : undefined);

const isRetryableStatus = (status: number) => status === 429 || status >= 500;

type Outcome = { kind: 'answer'; status: number; text: string; retryAfter: string | null } | { kind: 'no-answer'; error: unknown; timedOut: boolean };

export async function send<T>(options: TransportOptions, call: Call<T>): Promise<T> {
  const url = new URL(call.path, options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const maxAttempts = Math.max(1, Math.floor(options.retries) + 1);
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const outcome = await attemptOnce(options, call, url);
    // The caller gave up: its reason, not a network error, and no retry.
    options.signal?.throwIfAborted();
    const last = attempt >= maxAttempts;
    if (outcome.kind === 'no-answer') {
      if (last) {
        const why = outcome.timedOut ? `timed out after ${options.timeoutMs} ms` : describe(outcome.error);
        throw new ClarioNetworkError(`${call.method} ${url.pathname}: no answer from Clario after ${attempt} attempt(s): ${why}`, attempt, outcome.timedOut, {
          cause: outcome.error,
        });
      }
      await pause(options, backoffDelay(options.backoff, attempt, options.random()));
      continue;
    }
    if (outcome.status >= 200 && outcome.status < 300) return parseAnswer(call, outcome.status, outcome.text, attempt);
    const retryable = isRetryableStatus(outcome.status);
    if (!retryable || last) throw apiError(outcome.status, outcome.text, retryable, attempt);
    const asked = parseRetryAfter(outcome.retryAfter, options.now(), options.maxRetryAfterMs);
    await pause(options, asked ?? backoffDelay(options.backoff, attempt, options.random()));
  }
}

/** A wait before a retry, cut short by the caller's signal. */
async function pause(options: TransportOptions, ms: number): Promise<void> {
  const signal = options.signal;
  if (!signal) return options.sleep(ms);
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    // The race still ends an injected sleep that ignores the signal; the default one stops its
    // timer and rejects, and the signal's own reason is what the caller gets (below).
    await Promise.race([options.sleep(ms, signal).catch(() => undefined), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  signal.throwIfAborted();
}

async function attemptOnce<T>(options: TransportOptions, call: Call<T>, url: URL): Promise<Outcome> {
  const token = typeof options.token === 'function' ? await options.token() : options.token;
  const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}`, 'user-agent': options.userAgent, ...call.headers };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  // A fresh timeout per attempt: a slow first attempt must not eat the budget of the retries.
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  try {
    const res = await options.fetch(url, { method: call.method, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body), signal });
    // Reading the body is inside the try: a connection reset mid-body is also "no answer".
    const text = await res.text();
    return { kind: 'answer', status: res.status, text, retryAfter: res.headers.get('retry-after') };
  } catch (error) {
    return { kind: 'no-answer', error, timedOut: deadline.aborted };
  }
}

function parseAnswer<T>(call: Call<T>, status: number, text: string, attempts: number): T {
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ClarioApiError(status, 'invalid_response', `the answer to ${call.method} ${call.path} is not JSON`, { body: text.slice(0, 500) }, false, attempts);
  }
  const parsed = call.schema.safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: `/${i.path.map(String).join('/')}`, message: i.message }));
    throw new ClarioApiError(status, 'invalid_response', `the answer to ${call.method} ${call.path} has an unexpected shape`, details, false, attempts);
  }
  return parsed.data;
}

/** The server's own `{"error":{code,message,details}}`; a proxy's HTML page becomes `http_<status>`. */
function apiError(status: number, text: string, retryable: boolean, attempts: number): ClarioApiError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const body = ErrorBody.safeParse(json);
  if (body.success) return new ClarioApiError(status, body.data.error.code, body.data.error.message, body.data.error.details, retryable, attempts);
  return new ClarioApiError(status, `http_${status}`, text.slice(0, 200) || `HTTP ${status}`, undefined, retryable, attempts);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici hides the useful part (ECONNREFUSED …) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
