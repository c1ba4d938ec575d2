/**
 * One SP-API call with Amazon's rules applied: a token from the seller's bucket first, the
 * `x-amz-access-token` header, 429 → wait (per `x-amzn-RateLimit-Limit` or Retry-After) and
 * retry, 5xx and network failures → exponential backoff and retry, a rejected access token →
 * refresh once, any other 4xx → SpApiRequestError (non-retryable, with Amazon's error code).
 * Retries are bounded; a throttle that outlasts them surfaces as RetryAfterError.
 */
import { RetryAfterError } from '../domain/errors.js';
import { backoffDelay, parseRetryAfter } from '../domain/retry.js';
import { systemClock, type Clock } from './clock.js';
import { AmazonUnavailableError, parseAmazonErrors, SpApiRequestError } from './errors.js';
import type { AccessTokenSource } from './lwa.js';
import { RateLimiter, type SpApiOperation } from './rate-limit.js';

export interface SpApiTransportOptions {
  /** An SP-API regional endpoint (SP_API_ENDPOINTS) or the simulator's URL. */
  readonly baseUrl: string;
  /** The selling partner id: the rate-limit buckets are per seller. */
  readonly sellerId: string;
  readonly accessToken: AccessTokenSource;
  /**
   * Client-side buckets; share one limiter between the clients of all sellers. `false` turns
   * pacing off (then only Amazon's 429s slow the client down). Default: a private limiter.
   */
  readonly limiter?: RateLimiter | false;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** Retries after the first attempt, for 429, 5xx and network errors together (default 5). */
  readonly maxRetries?: number;
  /** First backoff step (default 1 s), doubled per attempt up to `maxBackoffMs` (default 60 s). */
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Jitter source in [0, 1); tests pass a constant. */
  readonly random?: () => number;
  /** The longest one HTTP exchange may take, answer body included (default 30 s); then it counts as a network failure. */
  readonly timeoutMs?: number;
  /** The sync's signal: once aborted, no new request starts and the one in flight is cancelled. */
  readonly signal?: AbortSignal;
}

export interface SpApiCall {
  readonly operation: SpApiOperation;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | readonly string[] | undefined>>;
  readonly body?: unknown;
}

const USER_AGENT = 'Clario/0.1 (Language=TypeScript; Platform=Node.js)';

export class SpApiTransport {
  readonly clock: Clock;
  readonly fetchFn: typeof fetch;
  private readonly limiter: RateLimiter | undefined;
  private readonly maxRetries: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly random: () => number;
  private readonly timeoutMs: number;

  constructor(readonly options: SpApiTransportOptions) {
    this.clock = options.clock ?? systemClock;
    this.fetchFn = options.fetch ?? fetch;
    this.limiter = options.limiter === false ? undefined : (options.limiter ?? new RateLimiter(this.clock));
    this.maxRetries = options.maxRetries ?? 5;
    this.baseBackoffMs = options.baseBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get sellerId(): string {
    return this.options.sellerId;
  }

  /** Performs the call and returns the parsed JSON body. */
  async call<T>(call: SpApiCall): Promise<T> {
    const url = this.url(call);
    let forceRefresh = false;
    let refreshedOnce = false;
    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < this.maxRetries;
      this.options.signal?.throwIfAborted();
      await this.limiter?.acquire(this.sellerId, call.operation, this.options.signal);
      const token = await this.options.accessToken({ forceRefresh, ...(this.options.signal ? { signal: this.options.signal } : {}) });
      forceRefresh = false;
      const signal = this.attemptSignal();
      let res: Response;
      let text: string;
      try {
        res = await this.fetchFn(url, {
          signal,
          method: call.method,
          headers: {
            'x-amz-access-token': token,
            'user-agent': USER_AGENT,
            accept: 'application/json',
            ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        });
        // Inside the try: a server that sends headers and then stalls is as unreachable as one that never answers.
        text = await res.text();
      } catch (err) {
        // The sync was stopped: not Amazon's failure, and not worth a retry.
        this.options.signal?.throwIfAborted();
        const why = signal.aborted ? `no answer within ${this.timeoutMs} ms` : err instanceof Error ? err.message : String(err);
        const message = `SP-API ${call.operation} is unreachable: ${why}`;
        if (!canRetry) throw new AmazonUnavailableError(message);
        await this.pause(this.backoff(attempt));
        continue;
      }
      const rate = Number(res.headers.get('x-amzn-ratelimit-limit'));
      if (rate > 0) this.limiter?.bucket(this.sellerId, call.operation).setRate(rate, this.clock.now());
      if (res.ok) return (text === '' ? {} : JSON.parse(text)) as T;

      const errors = parseAmazonErrors(text, res.status);
      if (res.status === 429) {
        this.limiter?.bucket(this.sellerId, call.operation).empty(this.clock.now());
        const wait = this.throttleWait(res, rate, attempt);
        if (!canRetry) throw new RetryAfterError(`SP-API ${call.operation} is throttled (${errors[0]?.code ?? 'QuotaExceeded'})`, wait, 'amazon_throttled');
        await this.pause(wait);
        continue;
      }
      if (res.status >= 500) {
        // A 5xx message is Amazon's internal business; the status is enough to act on.
        if (!canRetry) throw new AmazonUnavailableError(`SP-API ${call.operation} answered ${res.status}`, res.status);
        await this.pause(this.backoff(attempt));
        continue;
      }
      // Amazon answers 403 Unauthorized for an expired or revoked access token; a fresh one
      // fixes the first case. A second 403 is real (missing role, revoked app).
      if (res.status === 403 && !refreshedOnce) {
        refreshedOnce = true;
        forceRefresh = true;
        continue;
      }
      throw new SpApiRequestError(call.operation, res.status, errors);
    }
  }

  /** Downloads a presigned document URL (S3): no access token, same retry rules for 5xx. */
  async download(url: string): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      this.options.signal?.throwIfAborted();
      let res: Response | undefined;
      // The deadline covers the wait for the headers only: the caller streams the body for as long
      // as the report is, under the sync's signal alone.
      const headers = new AbortController();
      const timer = setTimeout(() => headers.abort(), this.timeoutMs);
      try {
        res = await this.fetchFn(url, { signal: this.options.signal ? AbortSignal.any([this.options.signal, headers.signal]) : headers.signal });
      } catch (err) {
        this.options.signal?.throwIfAborted();
        const why = headers.signal.aborted ? `no answer within ${this.timeoutMs} ms` : err instanceof Error ? err.message : String(err);
        if (attempt >= this.maxRetries) throw new AmazonUnavailableError(`report document download failed: ${why}`);
      } finally {
        clearTimeout(timer);
      }
      if (res?.ok) return res;
      if (res && res.status < 500) {
        await res.body?.cancel();
        // The URL is presigned for 5 minutes: a 403 usually means it expired before we got to it.
        throw new SpApiRequestError('downloadReportDocument', res.status, [{ code: res.status === 403 ? 'ExpiredUrl' : `http_${res.status}`, message: `HTTP ${res.status}` }]);
      }
      if (res) await res.body?.cancel();
      if (attempt >= this.maxRetries) throw new AmazonUnavailableError(`report document download answered ${res?.status ?? 'nothing'}`, res?.status);
      await this.pause(this.backoff(attempt));
    }
  }

  private url(call: SpApiCall): string {
    // Relative to the base so a simulator mounted below a path prefix works too.
    const url = new URL(call.path.replace(/^\//, ''), this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value === undefined) continue;
      // SP-API takes lists as comma-separated values (collectionFormat csv).
      url.searchParams.set(name, Array.isArray(value) ? value.join(',') : String(value));
    }
    return url.toString();
  }

  /** A wait on the clock (backoff, throttle, report polling) that a stopped sync does not sit out. */
  async pause(ms: number): Promise<void> {
    const signal = this.options.signal;
    if (!signal) return this.clock.sleep(ms);
    signal.throwIfAborted();
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      // The signal goes to the clock too, so the real timer is cleared, not just outrun.
      await Promise.race([this.clock.sleep(ms, signal), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    signal.throwIfAborted();
  }

  /** The request's own deadline, and the sync's signal when there is one. */
  private attemptSignal(): AbortSignal {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    return this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
  }

  private backoff(attempt: number): number {
    return backoffDelay({ baseMs: this.baseBackoffMs, maxMs: this.maxBackoffMs }, attempt + 1, this.random());
  }

  /** Retry-After wins; else the time one token takes at the applied rate; else backoff. */
  private throttleWait(res: Response, rate: number, attempt: number): number {
    const asked = parseRetryAfter(res.headers.get('retry-after'), this.clock.now(), this.maxBackoffMs);
    if (asked !== undefined && asked > 0) return asked;
    if (rate > 0) return Math.max(Math.ceil(1000 / rate), this.backoff(attempt));
    return this.backoff(attempt);
  }
}
