// Sign-in and connect: accounts, sessions, Amazon authorizations, OAuth states, security events.
import { bigserial, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './column-types.js';

/** A seller's Amazon authorization. The refresh token is sealed (src/security/secret-box.ts). */
export const amazonConnections = pgTable(
  'amazon_connections',
  {
    userId: text('user_id').primaryKey(),
    sellingPartnerId: text('selling_partner_id').notNull(),
    region: text('region').notNull(),
    marketplaceIds: jsonb('marketplace_ids').notNull().$type<string[]>(),
    refreshToken: text('refresh_token').notNull(),
    status: text('status').$type<'connected' | 'reconnect_required'>().notNull(),
    lastError: jsonb('last_error').$type<{ code: string; message: string }>(),
    connectedAt: ts('connected_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('amazon_connections_partner').on(t.sellingPartnerId)],
);

/**
 * The OAuth `state` of a sign-in or consent in progress: single use, short-lived, stored as a hash.
 * It is bound to the browser that started it (`browser_hash`: the hash of a random HttpOnly cookie)
 * and, for a consent, to the signed-in account that started it (`user_id`).
 */
export const oauthStates = pgTable('oauth_states', {
  stateHash: text('state_hash').primaryKey(),
  purpose: text('purpose').$type<'sign_in' | 'connect'>(),
  browserHash: text('browser_hash'),
  userId: text('user_id'),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * A seller's Clario account, keyed by the Login with Amazon `user_id` (amzn1.account…). Nothing
 * else of the Amazon profile is kept: the id is all Clario needs to know who comes back.
 */
export const accounts = pgTable('accounts', {
  userId: text('user_id').primaryKey(),
  lwaUserId: text('lwa_user_id').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastSignInAt: ts('last_sign_in_at').notNull().defaultNow(),
});

/**
 * Seller sessions. A seller token names its session (`sid`); the session, not the token, decides
 * whether it is still good: revoked at sign-out, and never past `expires_at`, however often the
 * page refreshes its token.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** What operators must see about sign-in and connect: refused attempts to take over a seller. */
export const securityEvents = pgTable(
  'security_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    userId: text('user_id'),
    sellingPartnerId: text('selling_partner_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('security_events_at').on(t.at)],
);

/**
 * One known value per encryption key id, sealed with that key. A process whose key under an id
 * differs, or which holds none of these ids, is refused at start: it could open none of the
 * secrets sealed before (src/security/key-check.ts).
 */
export const encryptionKeyChecks = pgTable('encryption_key_checks', {
  kid: text('kid').primaryKey(),
  sealed: text('sealed').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});
