// Who is calling. Service callers (the phase and webhook endpoints, operators) present the service
// token; sellers present a signed token naming their user id. Anything else is anonymous.
import { createHash, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { ApiError } from './errors.js';

export type Principal =
  | { readonly kind: 'service' }
  | { readonly kind: 'seller'; readonly userId: string }
  | { readonly kind: 'anonymous'; readonly rejected: boolean };

export interface Auth {
  /** `rejected` is true when a token was presented and is wrong. */
  authenticate(token: string | undefined): Promise<Principal>;
  issueSellerToken(userId: string, ttlSeconds: number): Promise<string>;
}

/** The dashboard's session: a seller token in an HttpOnly cookie, honoured for reads only. */
export const SESSION_COOKIE = 'clario_session';

const ISSUER = 'clario';
const AUDIENCE = 'clario:seller';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function createAuth(secrets: { serviceToken: string; sessionSecret: string }): Auth {
  const serviceDigest = digest(secrets.serviceToken);
  const key = new TextEncoder().encode(secrets.sessionSecret);
  return {
    async authenticate(token) {
      if (!token) return { kind: 'anonymous', rejected: false };
      // Compare digests so the comparison takes the same time whatever the input's length.
      if (timingSafeEqual(digest(token), serviceDigest)) return { kind: 'service' };
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
        if (typeof payload.sub === 'string' && payload.sub.length > 0) return { kind: 'seller', userId: payload.sub };
      } catch {
        // fall through: a wrong, expired or tampered token
      }
      return { kind: 'anonymous', rejected: true };
    },
    issueSellerToken(userId, ttlSeconds) {
      return new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },
  };
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

/** The service, or the seller whose data it is. */
export function requireUser(p: Principal, userId: string): void {
  requireAuthenticated(p);
  if (p.kind === 'seller' && p.userId !== userId) throw new ApiError('forbidden', 'you can only see your own data');
}
