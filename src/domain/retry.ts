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

/** HTTP-date's three forms (RFC 9110 §5.6.7): IMF-fixdate, obsolete RFC 850, and asctime. */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC_850 = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/** Epoch ms of an HTTP date, or undefined. Strict on purpose: `Date.parse` reads "1.5" as a date. */
export function parseHttpDate(value: string, now: number): number | undefined {
  let parts: [day: string, month: string, year: number, h: string, m: string, s: string] | undefined;
  let match = IMF_FIXDATE.exec(value);
  if (match) parts = [match[1]!, match[2]!, Number(match[3]), match[4]!, match[5]!, match[6]!];
  else if ((match = RFC_850.exec(value))) {
    // A two-digit year more than 50 years ahead is in the past century (RFC 9110 §5.6.7).
    const yy = Number(match[3]);
    const thisYear = new Date(now).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + yy;
    if (year > thisYear + 50) year -= 100;
    parts = [match[1]!, match[2]!, year, match[4]!, match[5]!, match[6]!];
  } else if ((match = ASCTIME.exec(value))) parts = [match[2]!.trim(), match[1]!, Number(match[6]), match[3]!, match[4]!, match[5]!];
  if (!parts) return undefined;
  const [day, month, year, h, m, s] = parts;
  const monthIndex = MONTHS.indexOf(month);
  const at = Date.UTC(year, monthIndex, Number(day), Number(h), Number(m), Number(s));
  // Reject what Date.UTC would roll over (31 Feb, 25:00) rather than guess.
  const d = new Date(at);
  if (monthIndex < 0 || d.getUTCDate() !== Number(day) || d.getUTCMonth() !== monthIndex || d.getUTCHours() !== Number(h) || d.getUTCMinutes() !== Number(m) || d.getUTCSeconds() !== Number(s)) {
    return undefined;
  }
  return at;
}

/**
 * A `Retry-After` header (RFC 9110 §10.2.3: delay-seconds or an HTTP date) as milliseconds to
 * wait from `now`, at most `maxMs`; undefined when absent or unreadable (the caller's own backoff
 * applies then). A date in the past means "now", not a negative wait. The one parser every
 * outbound caller uses: the Amazon transport, Login with Amazon, webhook delivery, the client.
 */
export function parseRetryAfter(value: string | null | undefined, now: number, maxMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  // Bounded before any arithmetic: 20 digits of seconds are already past any sane wait.
  if (v.length === 0 || v.length > 64) return undefined;
  if (/^\d+$/.test(v)) return Math.min(maxMs, Number(v) * 1000);
  const at = parseHttpDate(v, now);
  return at === undefined ? undefined : Math.min(maxMs, Math.max(0, at - now));
}
