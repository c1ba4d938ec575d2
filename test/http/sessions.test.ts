// Seller sessions end: sign-out revokes them server-side, and no refresh carries a session past
// its absolute lifetime. Time is a variable here, moved by the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth, type Principal } from '../../src/http/auth.js';
import { databaseSessions } from '../../src/http/sessions.js';
import { type Database } from '../../src/store/db.js';
import { openPglite } from '../support/infra.js';

let database: Database;
let now = Date.parse('2026-12-01T00:00:00Z');
let auth: Auth;
const DAY = 24 * 3600;

beforeAll(async () => {
  database = await openPglite();
  auth = createAuth({
    serviceToken: 'svc_'.padEnd(40, 'x'),
    sessionSecret: 's'.repeat(40),
    sessions: databaseSessions(() => database.db),
    maxAgeSeconds: 7 * DAY,
    now: () => now,
  });
});
afterAll(async () => {
  await database.close();
});

const sellerOf = (p: Principal) => {
  if (p.kind !== 'seller') throw new Error(`expected a seller, got ${JSON.stringify(p)}`);
  return p;
};

describe('seller sessions', () => {
  it('end at sign-out: the session token and every page token of it are refused', async () => {
    const started = await auth.startSession('alice');
    const seller = sellerOf(await auth.authenticate(started.token));
    const page = await auth.pageToken(seller.session, 'alice', 1800);
    expect(await auth.authenticate(page.token)).toMatchObject({ kind: 'seller', userId: 'alice' });
    const other = await auth.startSession('alice');
    await auth.revoke(seller.session.id);
    expect(await auth.authenticate(started.token)).toEqual({ kind: 'anonymous', rejected: true });
    expect(await auth.authenticate(page.token)).toEqual({ kind: 'anonymous', rejected: true });
    // Only that session: the same seller's other browser stays signed in.
    expect(await auth.authenticate(other.token)).toMatchObject({ kind: 'seller', userId: 'alice' });
  });

  it('cannot be extended by refreshing: a page token minted from a page token stops at the session\'s end', async () => {
    const started = await auth.startSession('bob');
    const end = started.expiresAt;
    expect(end).toBe(now + 7 * DAY * 1000);
    let token = started.token;
    // Refresh every 25 minutes for eight days, as a page left open would.
    for (let step = 0; step < (8 * DAY) / 1500; step++) {
      const p = await auth.authenticate(token);
      if (p.kind !== 'seller') break;
      const page = await auth.pageToken(p.session, 'bob', 1800);
      expect(page.expiresAt).toBeLessThanOrEqual(end);
      token = page.token;
      now += 1500 * 1000;
    }
    expect(now).toBeGreaterThanOrEqual(end);
    expect(await auth.authenticate(token)).toEqual({ kind: 'anonymous', rejected: true });
    expect(await auth.authenticate(started.token)).toEqual({ kind: 'anonymous', rejected: true });
  });

  it('never last longer than the configured maximum, whatever a caller asks for', async () => {
    const started = await auth.startSession('carol', 365 * DAY);
    expect(started.expiresAt).toBe(now + 7 * DAY * 1000);
  });

  it('refuse a token without a session, or naming another seller\'s session', async () => {
    const { SignJWT } = await import('jose');
    const key = new TextEncoder().encode('s'.repeat(40));
    const sign = (claims: Record<string, unknown>, sub: string) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuer('clario').setAudience('clario:seller').setIssuedAt(Math.floor(now / 1000)).setExpirationTime(Math.floor(now / 1000) + 3600).sign(key);
    // The old stateless token: signed right, but no session.
    expect(await auth.authenticate(await sign({}, 'dave'))).toEqual({ kind: 'anonymous', rejected: true });
    const erin = sellerOf(await auth.authenticate((await auth.startSession('erin')).token));
    expect(await auth.authenticate(await sign({ sid: erin.session.id }, 'dave'))).toEqual({ kind: 'anonymous', rejected: true });
    expect(await auth.authenticate(await sign({ sid: 'ses_unknown' }, 'dave'))).toEqual({ kind: 'anonymous', rejected: true });
  });
});
