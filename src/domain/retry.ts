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
