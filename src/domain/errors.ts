/**
 * Errors say whether to retry. Anything else thrown is retryable by default: a phase that throws
 * is tried again with backoff and parked when it runs out of attempts.
 */

/** Retrying cannot help (bad input, a rule that refuses); park the phase at once. */
export class NonRetryableError extends Error {
  override readonly name: string = 'NonRetryableError';
  constructor(
    message: string,
    readonly code: string = 'non_retryable',
  ) {
    super(message);
  }
}

/** The other side asked us to wait (Amazon's 429, a claim that is not filed yet). */
export class RetryAfterError extends Error {
  override readonly name: string = 'RetryAfterError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
    readonly code: string = 'retry_after',
  ) {
    super(message);
  }
}

/**
 * A capability that has not been built or configured. It parks the phase where the status shows
 * it, instead of pretending to succeed.
 */
export class NotAvailableError extends NonRetryableError {
  constructor(capability: string) {
    super(`the ${capability} capability is not available in this build`, 'not_available');
  }
}

/** The phase's input names something Clario does not know (yet): retried, then parked. */
export class UnknownReferenceError extends Error {
  override readonly name: string = 'UnknownReferenceError';
  constructor(
    message: string,
    readonly code: 'unknown_sync' | 'unknown_claim' = 'unknown_claim',
  ) {
    super(message);
  }
}

export function errorCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return 'phase_error';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
