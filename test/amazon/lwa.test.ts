import { describe, expect, it } from 'vitest';
import { InvalidGrantError, LwaRequestError } from '../../src/amazon/errors.js';
import { ManualClock } from '../../src/amazon/clock.js';
import { LwaClient } from '../../src/amazon/lwa.js';
import { RetryAfterError } from '../../src/domain/errors.js';
import { APP_ID, approve, connect, lwaFor, REDIRECT, SELLER, simulator, testClock } from '../simulator/server/harness.js';

function countingFetch(): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  return {
    fetch: (input, init) => {
      calls++;
      return fetch(input, init);
    },
    calls: () => calls,
  };
}

describe('Login with Amazon against the simulator', () => {
  it('builds Amazon\'s consent URL with state, redirect URI and version=beta', () => {
    const lwa = new LwaClient({ clientId: 'c', clientSecret: 's' });
    const url = new URL(lwa.authorizeUrl({ applicationId: APP_ID, state: 'st', redirectUri: REDIRECT, beta: true }));
    expect(url.origin + url.pathname).toBe('https://sellercentral.amazon.com/apps/authorize/consent');
    expect(Object.fromEntries(url.searchParams)).toEqual({ application_id: APP_ID, state: 'st', redirect_uri: REDIRECT, version: 'beta' });
  });

  it('a seller approves, the callback carries the state back, and the code becomes refreshable tokens', async () => {
    const sim = await simulator();
    const lwa = lwaFor(sim);
    const callback = await approve(sim, lwa, 'state-with spaces&symbols');
    expect(callback.get('state')).toBe('state-with spaces&symbols');
    expect(callback.get('selling_partner_id')).toBe(SELLER);
    const tokens = await lwa.exchangeCode(callback.get('spapi_oauth_code')!, REDIRECT);
    expect(tokens.accessToken).toMatch(/^Atza\|/);
    expect(tokens.refreshToken).toMatch(/^Atzr\|/);
    expect(tokens.tokenType).toBe('bearer');
    expect(tokens.expiresIn).toBe(3600);
    const refreshed = await lwa.refresh(tokens.refreshToken);
    expect(refreshed.accessToken).toMatch(/^Atza\|/);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
  });

  it('an authorization code works once: a replayed code is refused as an invalid grant', async () => {
    const sim = await simulator();
    const lwa = lwaFor(sim);
    const code = (await approve(sim, lwa)).get('spapi_oauth_code')!;
    await lwa.exchangeCode(code, REDIRECT);
    await expect(lwa.exchangeCode(code, REDIRECT)).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it('an authorization code older than 5 minutes is refused', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const lwa = lwaFor(sim, { clock });
    const code = (await approve(sim, lwa)).get('spapi_oauth_code')!;
    clock.advance(5 * 60_000 + 1_000);
    const err = await lwa.exchangeCode(code, REDIRECT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidGrantError);
    expect((err as InvalidGrantError).code).toBe('amazon_reconnect_required');
    expect((err as Error).message).not.toContain(code);
  });

  it('a code exchanged with another redirect URI is refused', async () => {
    const sim = await simulator();
    const lwa = lwaFor(sim);
    const code = (await approve(sim, lwa)).get('spapi_oauth_code')!;
    await expect(lwa.exchangeCode(code, 'http://127.0.0.1:9/elsewhere')).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it('a wrong client secret is refused as invalid_client, not as a reconnect', async () => {
    const sim = await simulator();
    const code = (await approve(sim, lwaFor(sim))).get('spapi_oauth_code')!;
    const err = await lwaFor(sim, { clientSecret: 'wrong' }).exchangeCode(code, REDIRECT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LwaRequestError);
    expect(err).toMatchObject({ status: 401, lwaError: 'invalid_client', code: 'lwa_invalid_client' });
  });

  it('a revoked grant makes the refresh fail with InvalidGrantError (the seller must reconnect)', async () => {
    const sim = await simulator();
    const lwa = lwaFor(sim);
    const refreshToken = await connect(sim, lwa);
    sim.revokeSeller(SELLER);
    const err = await lwa.refresh(refreshToken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidGrantError);
    expect((err as Error).message).not.toContain(refreshToken);
  });

  it('access tokens are cached per refresh token until a minute before they expire', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const counter = countingFetch();
    const lwa = lwaFor(sim, { clock, fetch: counter.fetch });
    const refreshToken = await connect(sim, lwa);
    const afterExchange = counter.calls();
    // The exchange's own access token is cached: no call yet.
    const first = await lwa.accessToken(refreshToken);
    expect(counter.calls()).toBe(afterExchange);
    clock.advance(3600_000 - 61_000);
    expect(await lwa.accessToken(refreshToken)).toBe(first);
    expect(counter.calls()).toBe(afterExchange);
    clock.advance(2_000);
    const [a, b] = await Promise.all([lwa.accessToken(refreshToken), lwa.accessToken(refreshToken)]);
    expect(a).toBe(b);
    expect(a).not.toBe(first);
    expect(counter.calls()).toBe(afterExchange + 1);
    await lwa.accessToken(refreshToken, { forceRefresh: true });
    expect(counter.calls()).toBe(afterExchange + 2);
  });
});

describe('Login with Amazon throttling', () => {
  const throttled = (retryAfter: string) => () =>
    Promise.resolve(new Response('{"error":"throttled","error_description":"slow down"}', { status: 429, headers: { 'retry-after': retryAfter } }));
  const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));

  it.each([
    ['30', 30_000],
    [new Date(Date.parse('2030-01-01T00:00:45Z')).toUTCString(), 45_000],
    ['86400', 5 * 60_000],
    ['later', 5_000],
  ])('a 429 with Retry-After %j waits %j ms', async (header, ms) => {
    const lwa = new LwaClient({ clientId: 'c', clientSecret: 's', clock, fetch: throttled(header) });
    const err = await lwa.refresh('Atzr|r').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryAfterError);
    expect((err as RetryAfterError).retryAfterMs).toBe(ms);
  });
});

describe("Login with Amazon and the caller's abort signal", () => {
  it('a caller whose signal aborts stops waiting at once; the shared request still serves the others', async () => {
    let answer!: (res: Response) => void;
    let requests = 0;
    const held: typeof fetch = () => {
      requests++;
      return new Promise<Response>((resolve) => (answer = resolve));
    };
    const lwa = new LwaClient({ clientId: 'c', clientSecret: 's', clock: new ManualClock(0), fetch: held });
    const stopping = new AbortController();
    const sync = lwa.accessToken('Atzr|r', { signal: stopping.signal });
    const other = lwa.accessToken('Atzr|r');
    const reason = new Error('the sync is stopping');
    stopping.abort(reason);
    await expect(sync).rejects.toBe(reason);
    answer(new Response('{"access_token":"Atza|t","expires_in":3600}', { status: 200 }));
    await expect(other).resolves.toBe('Atza|t');
    expect(requests).toBe(1);
    // An already-aborted signal starts nothing.
    await expect(lwa.accessToken('Atzr|other', { signal: stopping.signal })).rejects.toBe(reason);
    expect(requests).toBe(1);
  });
});
