// The client's errors. Each says who refused: this process (validation), Clario (an answer with
// its own error code), or the network (no answer at all), so callers can decide what to do.
import type { z } from 'zod';

/** Base class, so a caller can catch everything the client throws with one `instanceof`. */
export class ClarioError extends Error {
  override readonly name: string = 'ClarioError';
}

export interface ValidationIssue {
  /** JSON-pointer-like path of the field, as the server reports it (`/user_id`). */
  readonly path: string;
  readonly message: string;
}

/** The body (or idempotency key) was refused before any request was sent. */
export class ClarioValidationError extends ClarioError {
  override readonly name = 'ClarioValidationError';
  constructor(
    message: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(`${message}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  }

  static fromZod(message: string, error: z.ZodError): ClarioValidationError {
    // The same shape as the server's `details`, so both refusals read alike.
    return new ClarioValidationError(
      message,
      error.issues.map((i) => ({ path: `/${i.path.map(String).join('/')}`, message: i.message })),
    );
  }
}

/** Clario answered with an error status: `code`, `message` and `details` are the server's own. */
export class ClarioApiError extends ClarioError {
  override readonly name = 'ClarioApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
    /** True for 429 and 5xx: the request may succeed later (retries already ran out). */
    readonly retryable: boolean,
    /** How many attempts were made, retries included. */
    readonly attempts: number,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

/** No answer from Clario (refused, reset, timed out) after every attempt. `cause` is the last one. */
export class ClarioNetworkError extends ClarioError {
  override readonly name = 'ClarioNetworkError';
  constructor(
    message: string,
    readonly attempts: number,
    /** Whether the last attempt ended because of the per-attempt timeout. */
    readonly timedOut: boolean,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}
