// The OAuth `state` parameter: random, single use, expiring, and bound to whoever started the
// flow: the browser (the hash of a random HttpOnly cookie it holds) and, for a consent, the
// signed-in account. Only hashes are stored, so a database reader cannot complete someone else's
// sign-in or consent.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../store/db.js';

export const hashOf = (value: string) => createHash('sha256').update(value).digest('base64url');

export type StatePurpose = 'sign_in' | 'connect';

export interface StateBinding {
  readonly purpose: StatePurpose;
  /** The hash of the browser's binding cookie (see browser.ts). */
  readonly browserHash: string;
  /** The signed-in account that started a consent; null for a sign-in. */
  readonly userId: string | null;
}

export async function createState(db: Db, ttlMs: number, binding: StateBinding): Promise<string> {
  const state = randomBytes(24).toString('base64url');
  await rows(db,
    sql`INSERT INTO oauth_states (state_hash, purpose, browser_hash, user_id, expires_at)
        VALUES (${hashOf(state)}, ${binding.purpose}, ${binding.browserHash}, ${binding.userId}, now() + ${`${ttlMs} milliseconds`}::interval)`,
  );
  return state;
}

export type StateCheck = 'ok' | 'unknown' | 'expired' | 'used' | 'other_browser' | 'other_account';

/**
 * Consumes a state: 'ok' once, for a state that exists, has not expired, and is presented by the
 * browser and account that started it. A state presented by anyone else stays unused, so a
 * forged or leaked callback link cannot spend the owner's attempt.
 */
export async function consumeState(db: Db, state: string, binding: StateBinding): Promise<StateCheck> {
  const h = hashOf(state);
  const consumed = await rows(db,
    sql`UPDATE oauth_states SET used_at = now()
        WHERE state_hash = ${h} AND used_at IS NULL AND expires_at > now()
          AND purpose = ${binding.purpose} AND browser_hash = ${binding.browserHash} AND user_id IS NOT DISTINCT FROM ${binding.userId}
        RETURNING state_hash`,
  );
  if (consumed.length > 0) return 'ok';
  const [row] = await rows<{ used: boolean; expired: boolean; purpose: string | null; browser_hash: string | null; user_id: string | null }>(db,
    sql`SELECT used_at IS NOT NULL AS used, expires_at <= now() AS expired, purpose, browser_hash, user_id FROM oauth_states WHERE state_hash = ${h}`,
  );
  if (!row || row.purpose !== binding.purpose) return 'unknown';
  if (row.used) return 'used';
  if (row.expired) return 'expired';
  if (row.browser_hash !== binding.browserHash) return 'other_browser';
  return 'other_account';
}
