// The OAuth `state` parameter: random, single use, expiring. Only its hash is stored, so a
// database reader cannot complete someone else's consent.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Runner } from '../store/db.js';

const hash = (state: string) => createHash('sha256').update(state).digest('base64url');

export async function createState(db: Runner, ttlMs: number): Promise<string> {
  const state = randomBytes(24).toString('base64url');
  await db.run(sql`INSERT INTO oauth_states (state_hash, expires_at) VALUES (${hash(state)}, now() + ${`${ttlMs} milliseconds`}::interval)`);
  return state;
}

export type StateCheck = 'ok' | 'unknown' | 'expired' | 'used';

/** Consumes a state: 'ok' once, for a state that exists and has not expired. */
export async function consumeState(db: Runner, state: string): Promise<StateCheck> {
  const h = hash(state);
  const consumed = await db.run(
    sql`UPDATE oauth_states SET used_at = now() WHERE state_hash = ${h} AND used_at IS NULL AND expires_at > now() RETURNING state_hash`,
  );
  if (consumed.length > 0) return 'ok';
  const [row] = await db.run<{ used: boolean }>(sql`SELECT used_at IS NOT NULL AS used FROM oauth_states WHERE state_hash = ${h}`);
  if (!row) return 'unknown';
  return row.used ? 'used' : 'expired';
}
