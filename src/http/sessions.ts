// Seller sessions in the database: created at sign-in (or by `clario token --user`), looked up by
// id on every seller request, revoked at sign-out. The id is 128 random bits; only the signed
// token that names it is ever handed out.
import { randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { sessions } from '../store/schema/connect-tables.js';

export interface StoredSession {
  readonly userId: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  readonly revokedAt: number | null;
}

export interface SessionStore {
  create(userId: string, createdAt: number, expiresAt: number): Promise<string>;
  find(id: string): Promise<StoredSession | undefined>;
  revoke(id: string, at: number): Promise<void>;
  /** Of these ids, those whose session has ended by `at`: revoked, expired or gone. */
  ended(ids: readonly string[], at: number): Promise<string[]>;
}

export function databaseSessions(db: () => Db): SessionStore {
  return {
    async create(userId, createdAt, expiresAt) {
      const id = `ses_${randomBytes(16).toString('base64url')}`;
      // The seller's ended sessions go as a new one starts, so the table holds live ones (and
      // the revoked ones until they would have expired anyway).
      await db().delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, new Date(createdAt))));
      await db().insert(sessions).values({ id, userId, createdAt: new Date(createdAt), expiresAt: new Date(expiresAt) });
      return id;
    },
    async find(id) {
      const [row] = await db()
        .select({ userId: sessions.userId, expiresAt: sessions.expiresAt, revokedAt: sessions.revokedAt })
        .from(sessions)
        .where(eq(sessions.id, id));
      return row ? { userId: row.userId, expiresAt: row.expiresAt.getTime(), revokedAt: row.revokedAt?.getTime() ?? null } : undefined;
    },
    async revoke(id, at) {
      await db().update(sessions).set({ revokedAt: new Date(at) }).where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
    },
    async ended(ids, at) {
      if (ids.length === 0) return [];
      const live = await db()
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(inArray(sessions.id, [...ids]), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date(at))));
      const alive = new Set(live.map((r) => r.id));
      return ids.filter((id) => !alive.has(id));
    },
  };
}
