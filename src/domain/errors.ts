/**
 * Errors say whether to retry. Anything else thrown is retryable by default: a phase that throws
 * is tried again with backoff and parked when it runs out of attempts.
 */

/**
 * Every code Clario gives a phase's failure: `error.code` in `workflow.phase` messages, in the
 * audit, in the status's `last_error`. Listed in docs/events.md.
 */
export const PHASE_ERROR_CODES = [
  // Anything thrown without a code of its own: retried, then parked.
  'phase_error',
  // The defaults of the error classes below.
  'non_retryable',
  'retry_after',
  'not_available',
  // The worker, not the phase, gave up on the attempt.
  'worker_stopping',
  'worker_lost',
  // The trigger names something Clario does not know (yet), or does not fit what it knows.
  'unknown_sync',
  'unknown_claim',
  'invalid_trigger',
  'forbidden_reference',
  'ambiguous_case',
  'case_mismatch',
  'claim_not_filed',
  'claim_closed',
  'idempotency_conflict',
  // Money.
  'payout_mismatch',
  'payout_conflict',
  'original_not_settled',
  'refund_failed',
  // The seller's Amazon connection.
  'not_connected',
  'reconnect_required',
  'amazon_reconnect_required',
  // Amazon and the case API.
  'amazon_throttled',
  'amazon_unavailable',
  'amazon_report_fatal',
  'amazon_report_timeout',
  'report_unreadable',
  'invalid_report_request',
  'invalid_finances_request',
  'invalid_inbound_request',
  'case_api_refused',
] as const;

/**
 * A code another system gave its error, passed through unchanged: SP-API's own (`InvalidInput`,
 * `http_<status>`), or a library's (a PostgreSQL SQLSTATE, a Node errno). Only `foreignCode`
 * makes one, so a misspelt code of Clario's own does not compile.
 */
export type ForeignErrorCode = string & { readonly __foreign: true };

/** The code of a phase's failure: one of Clario's, Login with Amazon's `lwa_<error>`, or a foreign one. */
export type PhaseErrorCode = (typeof PHASE_ERROR_CODES)[number] | `lwa_${string}` | ForeignErrorCode;

/** How a failed or retrying phase reports its error (the `error` of a `workflow.phase` message). */
export interface PhaseError {
  readonly code: PhaseErrorCode;
  readonly message: string;
}

export function foreignCode(code: string): ForeignErrorCode {
  return code as ForeignErrorCode;
}

function isOwnCode(code: string): code is Exclude<PhaseErrorCode, ForeignErrorCode> {
  return (PHASE_ERROR_CODES as readonly string[]).includes(code) || code.startsWith('lwa_');
}

/** Retrying cannot help (bad input, a rule that refuses); park the phase at once. */
export class NonRetryableError extends Error {
  override readonly name: string = 'NonRetryableError';
  constructor(
    message: string,
    readonly code: PhaseErrorCode = 'non_retryable',
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
    readonly code: PhaseErrorCode = 'retry_after',
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
    readonly code: Extract<PhaseErrorCode, 'unknown_sync' | 'unknown_claim'> = 'unknown_claim',
  ) {
    super(message);
  }
}

/** The code of anything a phase threw: its own code when it has one (kept as it is), else `phase_error`. */
export function errorCode(err: unknown): PhaseErrorCode {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') {
    // The string is kept as it is either way; the type says whose code it is.
    return isOwnCode(err.code) ? err.code : foreignCode(err.code);
  }
  return 'phase_error';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
