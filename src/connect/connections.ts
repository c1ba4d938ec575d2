// Sellers' Amazon connections. The refresh token is sealed with the secret box, bound to the user
// id, and is only ever opened to call Amazon; it never leaves this module in an answer or a log.
import { eq, sql } from 'drizzle-orm';
import type { SecretBox } from '../security/secret-box.js';
import type { Db } from '../store/db.js';
import { amazonConnections } from '../store/schema/connect-tables.js';

export interface Connection {
  readonly userId: string;
  readonly sellingPartnerId: string;
  readonly region: string;
  readonly marketplaceIds: readonly string[];
  readonly status: 'connected' | 'reconnect_required';
  readonly lastError: { code: string; message: string } | null;
  readonly connectedAt: Date;
}

const context = (userId: string) => `amazon-refresh-token:${userId}`;

/** The account a selling partner is linked to, if any. */
export async function partnerOwner(db: Db, sellingPartnerId: string): Promise<string | undefined> {
  const [row] = await db.select({ userId: amazonConnections.userId }).from(amazonConnections).where(eq(amazonConnections.sellingPartnerId, sellingPartnerId));
  return row?.userId;
}

export type LinkResult = { readonly linked: true } | { readonly linked: false; readonly ownerUserId: string };

const PARTNER_UNIQUE = 'amazon_connections_partner';

function isPartnerTaken(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const x = e as { code?: unknown; constraint?: unknown; message?: unknown };
    if (x.code === '23505' && (x.constraint === PARTNER_UNIQUE || String(x.message).includes(PARTNER_UNIQUE))) return true;
  }
  return false;
}

/**
 * Links a selling partner to an account, unless another account holds it: a partner is never
 * moved between accounts by a consent (the unique index decides a race between two of them).
 */
export async function linkPartner(
  db: Db,
  box: SecretBox,
  c: { userId: string; sellingPartnerId: string; region: string; marketplaceIds: readonly string[]; refreshToken: string },
): Promise<LinkResult> {
  const owner = await partnerOwner(db, c.sellingPartnerId);
  if (owner !== undefined && owner !== c.userId) return { linked: false, ownerUserId: owner };
  try {
    await saveConnection(db, box, c);
  } catch (err) {
    if (!isPartnerTaken(err)) throw err;
    return { linked: false, ownerUserId: (await partnerOwner(db, c.sellingPartnerId)) ?? 'unknown' };
  }
  return { linked: true };
}

export async function saveConnection(
  db: Db,
  box: SecretBox,
  c: { userId: string; sellingPartnerId: string; region: string; marketplaceIds: readonly string[]; refreshToken: string },
): Promise<void> {
  const sealed = box.seal(c.refreshToken, context(c.userId));
  await db
    .insert(amazonConnections)
    .values({ userId: c.userId, sellingPartnerId: c.sellingPartnerId, region: c.region, marketplaceIds: [...c.marketplaceIds], refreshToken: sealed, status: 'connected' })
    .onConflictDoUpdate({
      target: amazonConnections.userId,
      set: {
        sellingPartnerId: c.sellingPartnerId,
        refreshToken: sealed,
        status: 'connected',
        lastError: null,
        region: c.region,
        marketplaceIds: [...c.marketplaceIds],
        updatedAt: sql`now()`,
      },
    });
}

export async function findConnection(db: Db, userId: string): Promise<Connection | undefined> {
  const [row] = await db.select().from(amazonConnections).where(eq(amazonConnections.userId, userId));
  if (!row) return undefined;
  return {
    userId: row.userId,
    sellingPartnerId: row.sellingPartnerId,
    region: row.region,
    marketplaceIds: row.marketplaceIds,
    status: row.status,
    lastError: row.lastError ?? null,
    connectedAt: row.connectedAt,
  };
}

/** Opens the seller's refresh token to call Amazon, re-sealing it under the newest key if needed. */
export async function refreshTokenOf(db: Db, box: SecretBox, userId: string): Promise<string | undefined> {
  const [row] = await db.select({ token: amazonConnections.refreshToken }).from(amazonConnections).where(eq(amazonConnections.userId, userId));
  if (!row) return undefined;
  const token = box.open(row.token, context(userId));
  if (box.needsRotation(row.token)) {
    await db.update(amazonConnections).set({ refreshToken: box.seal(token, context(userId)) }).where(eq(amazonConnections.userId, userId));
  }
  return token;
}

/** Amazon refused the grant (revoked, expired): the seller must connect again. */
export async function requireReconnect(db: Db, userId: string, error: { code: string; message: string }): Promise<void> {
  await db.update(amazonConnections).set({ status: 'reconnect_required', lastError: error, updatedAt: sql`now()` }).where(eq(amazonConnections.userId, userId));
}

export async function connectedUsers(db: Db): Promise<string[]> {
  const rows = await db.select({ userId: amazonConnections.userId }).from(amazonConnections).where(eq(amazonConnections.status, 'connected'));
  return rows.map((r) => r.userId);
}
