// Sellers' Clario accounts, keyed by the Login with Amazon user_id. The first sign-in makes the
// account; every later one finds it. Nothing else about the person is stored.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { accounts } from '../store/schema/connect-tables.js';

/** The Clario user id of an Amazon account, made on its first sign-in. */
export async function accountFor(db: Db, lwaUserId: string): Promise<string> {
  const [row] = await db
    .insert(accounts)
    .values({ userId: `seller_${randomBytes(12).toString('hex')}`, lwaUserId })
    .onConflictDoUpdate({ target: accounts.lwaUserId, set: { lastSignInAt: sql`now()` } })
    .returning({ userId: accounts.userId });
  if (!row) throw new Error('the account upsert returned no row');
  return row.userId;
}

export async function lwaUserOf(db: Db, userId: string): Promise<string | undefined> {
  const [row] = await db.select({ lwa: accounts.lwaUserId }).from(accounts).where(eq(accounts.userId, userId));
  return row?.lwa;
}
