// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date.

/** Milliseconds to wait, or undefined when the header is absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  // A date in the past means "now", not a negative wait.
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
