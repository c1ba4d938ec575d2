/**
 * What can go wrong talking to Amazon, sorted by what the caller should do: reconnect the
 * seller, stop (our request is wrong), wait (throttled), or simply retry (Amazon is unwell).
 */
import { NonRetryableError, foreignCode, type PhaseErrorCode } from '../domain/errors.js';

/** One entry of SP-API's error body `{"errors":[{"code","message","details"}]}`. */
export interface AmazonErrorEntry {
  readonly code: string;
  readonly message: string;
  readonly details?: string;
}

/**
 * Login with Amazon refused the grant: the authorization code is expired, used or unknown, or the
 * refresh token was revoked (the seller removed the app, or 365 days passed). Retrying cannot
 * help; the seller has to authorize Clario again ("reconnect").
 */
export class InvalidGrantError extends NonRetryableError {
  override readonly name = 'InvalidGrantError';
  constructor(readonly description: string) {
    super(`Login with Amazon refused the grant: ${description}`, 'amazon_reconnect_required');
  }
}

/** Login with Amazon refused our own credentials or request (client id or secret, redirect URI). */
export class LwaRequestError extends NonRetryableError {
  override readonly name = 'LwaRequestError';
  constructor(
    readonly status: number,
    readonly lwaError: string,
    description: string,
  ) {
    super(`Login with Amazon answered ${status} ${lwaError}: ${description}`, `lwa_${lwaError}`);
  }
}

/** Login with Amazon or SP-API is unreachable or failing (5xx, network): retryable. */
export class AmazonUnavailableError extends Error {
  override readonly name = 'AmazonUnavailableError';
  readonly code = 'amazon_unavailable' satisfies PhaseErrorCode;
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * SP-API refused the request (a 4xx other than 429). `code` is Amazon's own error code
 * (InvalidInput, Unauthorized, NotFound, …) so callers and operators see what Amazon said.
 */
export class SpApiRequestError extends NonRetryableError {
  override readonly name = 'SpApiRequestError';
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly errors: readonly AmazonErrorEntry[],
  ) {
    const first = errors[0];
    super(
      `SP-API ${operation} answered ${status}${first ? ` ${first.code}: ${first.message}${first.details ? ` (${first.details})` : ''}` : ''}`,
      foreignCode(first?.code ?? `http_${status}`),
    );
  }
}

/** Reads SP-API's error body; anything unexpected becomes one entry describing the status. */
export function parseAmazonErrors(body: string, status: number): AmazonErrorEntry[] {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'errors' in parsed && Array.isArray(parsed.errors)) {
      return parsed.errors.flatMap((e: unknown) => {
        if (!e || typeof e !== 'object') return [];
        const o = e as Record<string, unknown>;
        return [{
          code: typeof o.code === 'string' ? o.code : `http_${status}`,
          message: typeof o.message === 'string' ? o.message : '',
          ...(typeof o.details === 'string' && o.details !== '' ? { details: o.details } : {}),
        }];
      });
    }
  } catch {
    // Not JSON (a proxy's HTML page, an S3 XML error): described by the status alone.
  }
  return [{ code: `http_${status}`, message: `HTTP ${status}` }];
}
