/**
 * Login with Amazon for a public SP-API app (website workflow): the consent URL, the code
 * exchange and refresh-token grants at the token endpoint, and a cache of 1-hour access tokens.
 * Also LWA's own sign-in (authorization code grant, `profile:user_id` scope): the sign-in URL, its
 * code exchange and the profile call that names the Amazon account.
 *
 * Tokens never appear in errors or logs: messages carry LWA's error code and description only.
 */
import { createHash } from 'node:crypto';
import { RetryAfterError } from '../domain/errors.js';
import { parseRetryAfter } from '../domain/retry.js';
import { systemClock, type Clock } from './clock.js';
import { CONSENT_PATH, LWA_AUTHORIZE_URL, LWA_PROFILE_URL, LWA_SIGN_IN_SCOPE, LWA_TOKEN_URL, SELLER_CENTRAL_URLS } from './endpoints.js';
import { AmazonUnavailableError, InvalidGrantError, LwaRequestError } from './errors.js';

/** A throttled sign-in waits at most this, whatever Login with Amazon asks. */
const LWA_MAX_RETRY_AFTER_MS = 5 * 60_000;

export interface LwaOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Defaults to Amazon's `https://api.amazon.com/auth/o2/token`. */
  readonly tokenUrl?: string;
  /** Seller Central origin whose consent page sellers are sent to; defaults to the NA one. */
  readonly consentBaseUrl?: string;
  /** LWA's sign-in page; defaults to `https://www.amazon.com/ap/oa`. */
  readonly authorizeUrl?: string;
  /** LWA's profile endpoint; defaults to `https://api.amazon.com/user/profile`. */
  readonly profileUrl?: string;
  /** A cached access token is renewed this long before it expires (default 60 s). */
  readonly refreshMarginMs?: number;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** The bound on one exchange with Login with Amazon (default 30 s). */
  readonly timeoutMs?: number;
}

export interface AuthorizeUrlInput {
  readonly applicationId: string;
  /** The CSRF state: single use, checked on the callback by the caller. */
  readonly state: string;
  readonly redirectUri?: string;
  /** `version=beta`, which Amazon requires while the app is in Draft. */
  readonly beta?: boolean;
}

export interface LwaAccessToken {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly expiresIn: number;
  /** Epoch milliseconds, from the clock at the time of the answer. */
  readonly expiresAt: number;
}

export interface LwaTokens extends LwaAccessToken {
  /** Long-lived; store it encrypted. */
  readonly refreshToken: string;
}

/** The Amazon account that signed in: LWA's `user_id` (amzn1.account…), the same every time. */
export interface LwaProfile {
  readonly userId: string;
}

/** Supplies a valid access token for one seller; `forceRefresh` after Amazon rejected one. */
export type AccessTokenSource = (options?: { readonly forceRefresh?: boolean; readonly signal?: AbortSignal }) => Promise<string>;

interface CachedToken {
  readonly token: string;
  readonly renewAt: number;
}

export class LwaClient {
  private readonly tokenUrl: string;
  private readonly consentBaseUrl: string;
  private readonly signInUrlBase: string;
  private readonly profileUrl: string;
  private readonly marginMs: number;
  private readonly clock: Clock;
  private readonly fetchFn: typeof fetch;
  // Keyed by a hash of the refresh token so the raw secret is not a map key that a heap dump or
  // a debugging print would show next to its access token.
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<LwaAccessToken>>();

  constructor(private readonly options: LwaOptions) {
    this.tokenUrl = options.tokenUrl ?? LWA_TOKEN_URL;
    this.consentBaseUrl = options.consentBaseUrl ?? SELLER_CENTRAL_URLS.na;
    this.signInUrlBase = options.authorizeUrl ?? LWA_AUTHORIZE_URL;
    this.profileUrl = options.profileUrl ?? LWA_PROFILE_URL;
    this.marginMs = options.refreshMarginMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
    this.fetchFn = options.fetch ?? fetch;
  }

  /** The Seller Central consent URL the seller's browser is sent to. */
  authorizeUrl(input: AuthorizeUrlInput): string {
    const url = new URL(CONSENT_PATH, this.consentBaseUrl);
    url.searchParams.set('application_id', input.applicationId);
    url.searchParams.set('state', input.state);
    if (input.redirectUri !== undefined) url.searchParams.set('redirect_uri', input.redirectUri);
    if (input.beta) url.searchParams.set('version', 'beta');
    return url.toString();
  }

  /** LWA's sign-in page for this app (authorization code grant, the account id only). */
  signInUrl(input: { readonly state: string; readonly redirectUri: string }): string {
    const url = new URL(this.signInUrlBase);
    url.searchParams.set('client_id', this.options.clientId);
    url.searchParams.set('scope', LWA_SIGN_IN_SCOPE);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('state', input.state);
    url.searchParams.set('redirect_uri', input.redirectUri);
    return url.toString();
  }

  /**
   * Who signed in: exchanges the sign-in callback's `code` and asks the profile endpoint. The
   * tokens of a sign-in are used once, here, and kept nowhere.
   */
  async signIn(code: string, redirectUri: string): Promise<LwaProfile> {
    const body = await this.post({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
    const { accessToken } = this.accessTokenFrom(body);
    let res: Response;
    let profile: Record<string, unknown>;
    try {
      res = await this.fetchFn(this.profileUrl, { signal: this.deadline(), headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
      profile = await jsonOf(res);
    } catch (err) {
      throw new AmazonUnavailableError(`Login with Amazon's profile endpoint is unreachable: ${describe(err)}`);
    }
    if (!res.ok) throw errorOf(res, profile, this.clock.now());
    if (typeof profile.user_id !== 'string' || !/^amzn1\.account\.[A-Za-z0-9]{1,200}$/.test(profile.user_id)) {
      throw new AmazonUnavailableError('Login with Amazon answered a profile without a user_id');
    }
    return { userId: profile.user_id };
  }

  /** Exchanges the callback's `spapi_oauth_code` (valid 5 minutes, single use) for tokens. */
  async exchangeCode(code: string, redirectUri: string): Promise<LwaTokens> {
    const body = await this.post({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
    if (typeof body.refresh_token !== 'string') throw new AmazonUnavailableError('Login with Amazon answered without a refresh_token');
    const tokens: LwaTokens = { ...this.accessTokenFrom(body), refreshToken: body.refresh_token };
    this.remember(tokens.refreshToken, tokens);
    return tokens;
  }

  /** A fresh access token for a refresh token (always asks Amazon; see `accessToken` for the cache). */
  async refresh(refreshToken: string): Promise<LwaAccessToken> {
    const body = await this.post({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const token = this.accessTokenFrom(body);
    this.remember(refreshToken, token);
    return token;
  }

  /**
   * The cached access token for this refresh token, renewed `refreshMarginMs` before it expires.
   * Concurrent callers share one request to Amazon.
   */
  async accessToken(refreshToken: string, options: { forceRefresh?: boolean; signal?: AbortSignal } = {}): Promise<string> {
    options.signal?.throwIfAborted();
    const key = cacheKey(refreshToken);
    const cached = this.cache.get(key);
    if (!options.forceRefresh && cached && this.clock.now() < cached.renewAt) return cached.token;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.refresh(refreshToken).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    // The request is shared by every caller, so one caller's abort must not cancel it: that caller
    // just stops waiting (the request keeps its own deadline and fills the cache for the others).
    return (await untilAborted(pending, options.signal)).accessToken;
  }

  /** An AccessTokenSource bound to one seller's refresh token, for the SP-API client. */
  tokenSource(refreshToken: string): AccessTokenSource {
    return (options) => this.accessToken(refreshToken, options ?? {});
  }

  /** Drops the cached access token (the seller disconnected or re-authorized). */
  forget(refreshToken: string): void {
    this.cache.delete(cacheKey(refreshToken));
  }

  private remember(refreshToken: string, token: LwaAccessToken): void {
    this.cache.set(cacheKey(refreshToken), { token: token.accessToken, renewAt: token.expiresAt - this.marginMs });
  }

  private accessTokenFrom(body: Record<string, unknown>): LwaAccessToken {
    if (typeof body.access_token !== 'string') throw new AmazonUnavailableError('Login with Amazon answered without an access_token');
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
    return {
      accessToken: body.access_token,
      tokenType: typeof body.token_type === 'string' ? body.token_type : 'bearer',
      expiresIn,
      expiresAt: this.clock.now() + expiresIn * 1000,
    };
  }

  private deadline(): AbortSignal {
    return AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
  }

  private async post(params: Record<string, string>): Promise<Record<string, unknown>> {
    const form = new URLSearchParams({ ...params, client_id: this.options.clientId, client_secret: this.options.clientSecret });
    let res: Response;
    let body: Record<string, unknown>;
    try {
      res = await this.fetchFn(this.tokenUrl, {
        signal: this.deadline(),
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
        body: form.toString(),
      });
      body = await jsonOf(res);
    } catch (err) {
      throw new AmazonUnavailableError(`Login with Amazon is unreachable: ${describe(err)}`);
    }
    if (res.ok) return body;
    throw errorOf(res, body, this.clock.now());
  }
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A timeout says so; fetch's own "This operation was aborted" does not. */
function describe(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'no answer in time';
  return err instanceof Error ? err.message : String(err);
}

async function jsonOf(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
  } catch {
    // LWA answers JSON; anything else is treated by status.
  }
  return {};
}

/** LWA's `{error, error_description}` refusal as the error the callers tell apart. */
function errorOf(res: Response, body: Record<string, unknown>, now: number): Error {
  const error = typeof body.error === 'string' ? body.error : `http_${res.status}`;
  const description = typeof body.error_description === 'string' ? body.error_description : `HTTP ${res.status}`;
  if (error === 'invalid_grant') return new InvalidGrantError(description);
  if (res.status === 429) {
    const asked = parseRetryAfter(res.headers.get('retry-after'), now, LWA_MAX_RETRY_AFTER_MS);
    return new RetryAfterError(`Login with Amazon is throttling: ${description}`, asked !== undefined && asked > 0 ? asked : 5_000);
  }
  if (res.status >= 500) return new AmazonUnavailableError(`Login with Amazon answered ${res.status}: ${description}`, res.status);
  return new LwaRequestError(res.status, error, description);
}

function cacheKey(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('base64url');
}
