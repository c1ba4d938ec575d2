// Over HTTP and the WebSocket: a signed-out session's tokens are refused, and a page that keeps
// refreshing its token is signed out when the session's absolute lifetime ends. The sessions'
// clock is a variable moved by the test.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseSessions } from '../../src/http/sessions.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { openWs } from '../support/ws.js';

let t: TestClario;
let now = Date.parse('2026-12-01T00:00:00Z');
const HOUR = 3600;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities(), env: { SESSION_MAX_AGE_SECONDS: String(8 * HOUR) }, now: () => now });
});
afterAll(async () => {
  await t.close();
});

const session = (token: string) => t.request('/api/v1/session', { token });
const wsUrl = () => `${t.url.replace('http', 'ws')}/ws`;

describe('ending a session', () => {
  it('refuses the cookie token and every page token after sign-out, over HTTP and the WebSocket', async () => {
    const cookieToken = await t.sellerToken('alice');
    const page = (await session(cookieToken)).body.token as string;
    const socket = await openWs(`${wsUrl()}?token=${page}`);
    socket.close();
    expect((await t.request('/api/v1/workflow/status/alice', { token: page })).status).toBe(200);

    const out = await t.request('/api/v1/session', { method: 'DELETE', token: page });
    expect(out.status).toBe(204);

    for (const token of [cookieToken, page]) {
      expect((await session(token)).status).toBe(401);
      expect((await t.request('/api/v1/workflow/status/alice', { token })).status).toBe(401);
      const viaCookie = await fetch(`${t.url}/api/v1/workflow/status/alice`, { headers: { cookie: `clario_session=${token}` } });
      expect(viaCookie.status).toBe(401);
      await expect(openWs(`${wsUrl()}?token=${token}`)).rejects.toThrow(/401/);
      await expect(openWs(wsUrl(), { authorization: `Bearer ${token}` })).rejects.toThrow(/401/);
    }
    // Another session of the same seller is not touched.
    expect((await session(await t.sellerToken('alice'))).status).toBe(200);
  });

  it('does not let refreshed page tokens outlive the session', async () => {
    const started = now;
    // A session as sign-in starts one: SESSION_MAX_AGE_SECONDS long.
    const signedIn = await t.clario.auth.startSession('bob');
    expect(signedIn.expiresAt).toBe(started + 8 * HOUR * 1000);
    let token = signedIn.token;
    // The page trades its token for a fresh one every 20 minutes, for ten hours.
    let lastOk = started;
    for (let minute = 0; minute <= 600; minute += 20) {
      now = started + minute * 60_000;
      const r = await session(token);
      if (r.status !== 200) {
        expect(r.status).toBe(401);
        break;
      }
      lastOk = now;
      expect(Date.parse(r.body.expires_at as string)).toBeLessThanOrEqual(started + 8 * HOUR * 1000);
      token = r.body.token as string;
    }
    expect(lastOk).toBeLessThan(started + 8 * HOUR * 1000);
    now = started + 10 * HOUR * 1000;
    expect((await session(token)).status).toBe(401);
    await expect(openWs(`${wsUrl()}?token=${token}`)).rejects.toThrow(/401/);
  });
});

describe('a WebSocket open when its session ends', () => {
  const sessionId = async (token: string) => {
    const p = await t.clario.auth.authenticate(token);
    if (p.kind !== 'seller') throw new Error('not a seller token');
    return p.session.id;
  };

  it('is closed at sign-out; a socket of another session of the same seller stays and keeps its messages', async () => {
    const signedOut = (await session(await t.sellerToken('carol'))).body.token as string;
    const other = (await session(await t.sellerToken('carol'))).body.token as string;
    const doomed = await openWs(`${wsUrl()}?token=${signedOut}`);
    const kept = await openWs(`${wsUrl()}?token=${other}`);

    expect((await t.request('/api/v1/session', { method: 'DELETE', token: signedOut })).status).toBe(204);
    expect(await doomed.closed).toEqual({ code: 4401, reason: 'session ended; sign in again' });

    expect((await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'carol', sync_id: 'carol-after-sign-out' } })).status).toBe(202);
    await vi.waitFor(() => expect(kept.messages.some((m) => m.sync_id === 'carol-after-sign-out')).toBe(true));
    expect(doomed.messages.some((m) => m.sync_id === 'carol-after-sign-out')).toBe(false);
    kept.close();
  });

  it('is closed by the sweep when the sign-out message was lost, or the session expired; a live one is left', async () => {
    const revokedToken = await t.sellerToken('dave');
    const revoked = await openWs(`${wsUrl()}?token=${revokedToken}`);
    const expiring = await openWs(`${wsUrl()}?token=${(await t.clario.auth.startSession('erin', 60)).token}`);
    const live = await openWs(`${wsUrl()}?token=${await t.sellerToken('frank')}`);
    const sweep = t.clario.sessionSweep;
    if (!sweep) throw new Error('an API process runs the sweep');
    expect(await sweep.check()).toBe(0);

    // Revoked in the database alone: no message reaches the hub, as when Redis pub/sub drops one.
    await databaseSessions(() => t.clario.database.db).revoke(await sessionId(revokedToken), now);
    now += 61_000;
    expect(await sweep.check()).toBe(2);
    expect(await revoked.closed).toEqual({ code: 4401, reason: 'session ended; sign in again' });
    expect(await expiring.closed).toEqual({ code: 4401, reason: 'session ended; sign in again' });

    expect(await sweep.check()).toBe(0);
    expect((await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'frank', sync_id: 'frank-run' } })).status).toBe(202);
    await vi.waitFor(() => expect(live.messages.some((m) => m.sync_id === 'frank-run')).toBe(true));
    live.close();
  });
});
