import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth, so that the same request always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(phase: number, body: unknown): string {
  return createHash('sha256').update(`phase:${phase}\n${canonicalJson(body)}`).digest('hex');
}

/**
 * The inbox key of an HTTP trigger: the caller's Idempotency-Key, scoped to its user so two
 * users' keys never collide; without one, the request itself (phase, ids and body). The user id
 * goes with its length: ids may hold ':', and `acme` + `shop:1` must not be `acme:shop` + `1`
 * (migration 0021 rewrote the keys stored without it).
 */
export function inboxKey(userId: string, hash: string, header: string | undefined): string {
  return header ? `key:${userId.length}:${userId}:${header}` : `auto:${hash}`;
}
