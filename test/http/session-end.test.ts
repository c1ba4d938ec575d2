// Over HTTP and the WebSocket: a signed-out session's tokens are refused, and a page that keeps
// refreshing its token is signed out when the session's absolute lifetime ends. The sessions'
// clock is a variable moved by the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
