// Who is calling. Service callers (the phase and webhook endpoints, operators) present the service
// token; sellers present a signed token naming their user id and their session. Anything else is
// anonymous.
//
// A seller token is only as good as its session: the session is a server-side record with an
// absolute expiry, revoked at sign-out. Every token of a session (the cookie's, and the short
// page tokens minted from it) expires no later than the session does, and every request looks
// the session up, so signing out ends all of them at once.
import { createHash, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { ApiError } from './errors.js';
import type { SessionStore } from './sessions.js';

export type Principal =
  | { readonly kind: 'service' }
  | { readonly kind: 'seller'; readonly userId: string; readonly session: SellerSession }
  | { readonly kind: 'anonymous'; readonly rejected: boolean };

export interface SellerSession {
  readonly id: string;
  /** The session's absolute end (epoch ms): no token of it outlives this. */
  readonly expiresAt: number;
}

export interface IssuedToken {
  readonly token: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  /** Seconds from now to `expiresAt` (a cookie's Max-Age). */
  readonly lifetimeSeconds: number;
}

export interface Auth {
  /** `rejected` is true when a token was presented and is wrong, expired or of an ended session. */
  authenticate(token: string | undefined): Promise<Principal>;
  /** Starts a session for a seller (at most the configured maximum age) and returns its token. */
  startSession(userId: string, ttlSeconds?: number): Promise<IssuedToken>;
  /** A token for a new session: `startSession(...).token`. */
  issueSellerToken(userId: string, ttlSeconds?: number): Promise<string>;
  /** A shorter token of the same session, for the page; it never outlives the session. */
  pageToken(session: SellerSession, userId: string, ttlSeconds: number): Promise<IssuedToken>;
  /** Ends a session: every token of it is refused from now on. */
  revoke(sessionId: string): Promise<void>;
}

/** The dashboard's session: a seller token in an HttpOnly cookie, honoured for reads only. */
export const SESSION_COOKIE = 'clario_session';

const ISSUER = 'clario';
const AUDIENCE = 'clario:seller';

const digest = (s: string) => createHash('sha256').update(s).digest();

export interface AuthOptions {
  readonly serviceToken: string;
  readonly sessionSecret: string;
  readonly sessions: SessionStore;
  /** The longest a session may last, whatever a caller asks for. */
  readonly maxAgeSeconds: number;
  /** Epoch ms; tests drive it. */
  readonly now?: () => number;
  /** Told after a session is revoked, so the sockets it opened are closed (in every process). */
  readonly onRevoked?: (sessionId: string) => Promise<void>;
}

export function createAuth(options: AuthOptions): Auth {
  const serviceDigest = digest(options.serviceToken);
  const key = new TextEncoder().encode(options.sessionSecret);
  const now = options.now ?? Date.now;
  const sign = (userId: string, sessionId: string, expiresAt: number) =>
    new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(now() / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(key);
  const auth: Auth = {
    async authenticate(token) {
      if (!token) return { kind: 'anonymous', rejected: false };
      // Compare digests so the comparison takes the same time whatever the input's length.
      if (timingSafeEqual(digest(token), serviceDigest)) return { kind: 'service' };
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], currentDate: new Date(now()) });
        const { sub, sid } = payload;
        if (typeof sub === 'string' && sub.length > 0 && typeof sid === 'string' && sid.length > 0) {
          // One lookup by primary key: the session must exist, be this seller's, and not have ended.
          const session = await options.sessions.find(sid);
          if (session && session.userId === sub && session.revokedAt === null && session.expiresAt > now()) {
            return { kind: 'seller', userId: sub, session: { id: sid, expiresAt: session.expiresAt } };
          }
        }
      } catch {
        // fall through: a wrong, expired or tampered token
      }
      return { kind: 'anonymous', rejected: true };
    },
    async startSession(userId, ttlSeconds = options.maxAgeSeconds) {
      const started = now();
      const expiresAt = started + Math.min(ttlSeconds, options.maxAgeSeconds) * 1000;
      const id = await options.sessions.create(userId, started, expiresAt);
      return { token: await sign(userId, id, expiresAt), expiresAt, lifetimeSeconds: Math.floor((expiresAt - started) / 1000) };
    },
    async issueSellerToken(userId, ttlSeconds) {
      return (await auth.startSession(userId, ttlSeconds)).token;
    },
    async pageToken(session, userId, ttlSeconds) {
      // The session's end, not the refresh, bounds the new token: refreshing cannot extend a session.
      const at = now();
      const expiresAt = Math.min(at + ttlSeconds * 1000, session.expiresAt);
      return { token: await sign(userId, session.id, expiresAt), expiresAt, lifetimeSeconds: Math.max(0, Math.floor((expiresAt - at) / 1000)) };
    },
    async revoke(sessionId) {
      await options.sessions.revoke(sessionId, now());
      await options.onRevoked?.(sessionId);
    },
  };
  return auth;
}

export function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

export function requireAuthenticated(p: Principal): asserts p is Exclude<Principal, { kind: 'anonymous' }> {
  if (p.kind === 'anonymous') {
    throw new ApiError('unauthorized', p.rejected ? 'the token is not valid' : 'send Authorization: Bearer <token>');
  }
}

export function requireService(p: Principal): void {
  requireAuthenticated(p);
  if (p.kind !== 'service') throw new ApiError('forbidden', 'this endpoint needs the service token');
}

/** Who a request is for: one seller. */
export interface OneSeller {
  readonly ok: true;
  readonly userId: string;
}

/** Every seller: the service, on a route that lets it leave `user_id` out (listings, look-ups by id). */
export interface EverySeller {
  readonly ok: true;
  readonly userId: null;
}

/** Why a request is refused before any data is read (`code` gives the status: ./errors.ts). */
export interface SubjectRefusal {
  readonly ok: false;
  readonly code: 'unauthorized' | 'forbidden' | 'invalid_request';
  readonly message: string;
}

/** Routes whose service caller may leave `user_id` out and mean every seller. */
export const SERVICE_SEES_ALL = { serviceSeesAll: true } as const;

/**
 * Who a request is for, the one rule every route follows:
 * - a seller acts only for themself: naming no one means themself, naming anyone else is refused
 *   (403) rather than quietly answered with their own data;
 * - the service acts for the seller it names, and must name one unless the route says
 *   `SERVICE_SEES_ALL`;
 * - an empty `user_id` names nobody and is refused (400): it never means "no filter".
 */
export function subjectOf(p: Principal, userId: string | undefined): OneSeller | SubjectRefusal;
export function subjectOf(p: Principal, userId: string | undefined, rule: typeof SERVICE_SEES_ALL): OneSeller | EverySeller | SubjectRefusal;
export function subjectOf(p: Principal, userId: string | undefined, rule?: typeof SERVICE_SEES_ALL): OneSeller | EverySeller | SubjectRefusal {
  if (p.kind === 'anonymous') {
    return { ok: false, code: 'unauthorized', message: p.rejected ? 'the token is not valid' : 'send Authorization: Bearer <token>' };
  }
  if (userId === '') return { ok: false, code: 'invalid_request', message: 'user_id is empty' };
  if (p.kind === 'seller') {
    if (userId !== undefined && userId !== p.userId) return { ok: false, code: 'forbidden', message: 'you can only see your own data' };
    return { ok: true, userId: p.userId };
  }
  if (userId !== undefined) return { ok: true, userId };
  if (rule?.serviceSeesAll) return { ok: true, userId: null };
  return { ok: false, code: 'invalid_request', message: 'the service token must name the seller: user_id' };
}

/** `subjectOf` for a route handler: the user id (null: every seller), or the refusal thrown as an ApiError. */
export function requireSubject(p: Principal, userId: string | undefined): string;
export function requireSubject(p: Principal, userId: string | undefined, rule: typeof SERVICE_SEES_ALL): string | null;
export function requireSubject(p: Principal, userId: string | undefined, rule?: typeof SERVICE_SEES_ALL): string | null {
  const s = rule ? subjectOf(p, userId, rule) : subjectOf(p, userId);
  if (!s.ok) throw new ApiError(s.code, s.message);
  return s.userId;
}

/** Whether a record of `ownerId` is the subject's to see; when not, routes answer 404, so ids cannot be probed. */
export function covers(subject: string | null, ownerId: string): boolean {
  return subject === null || subject === ownerId;
}
