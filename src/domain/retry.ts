/** Exponential backoff with full jitter (AWS's "full jitter": uniform in [0, base·2^(n-1)], capped). */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** `attempt` counts from 1 (the attempt that just failed); `random` is in [0, 1). */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  // Never zero: a tight loop of instant retries helps nobody.
  return Math.max(Math.floor(policy.baseMs / 2), Math.floor(random * ceiling));
}

export type RetryDecision =
  | { readonly kind: 'retry'; readonly delayMs: number }
  | { readonly kind: 'park' };

/**
 * What to do after attempt `attempt` of `maxAttempts` failed. `retryAfterMs` is the other side's
 * own request to wait (a 429), `retryable` false parks at once.
 */
export function decideRetry(input: {
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number | undefined;
  readonly policy: BackoffPolicy;
  readonly random: number;
}): RetryDecision {
  if (!input.retryable || input.attempt >= input.maxAttempts) return { kind: 'park' };
  if (input.retryAfterMs !== undefined) return { kind: 'retry', delayMs: Math.max(0, input.retryAfterMs) };
  return { kind: 'retry', delayMs: backoffDelay(input.policy, input.attempt, input.random) };
}
