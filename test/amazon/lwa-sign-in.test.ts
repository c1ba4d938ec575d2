// Login with Amazon's sign-in (authorization code grant, profile scopes) against the simulator,
// which answers as amazon.com and api.amazon.com do: the sign-in page, the code redirect, the
// token endpoint, the profile endpoint and their refusals.
import { describe, expect, it } from 'vitest';
import { InvalidGrantError, LwaRequestError } from '../../src/amazon/errors.js';
import { LwaClient } from '../../src/amazon/lwa.js';
import { CLIENT_ID, CLIENT_SECRET, lwaFor, REDIRECT, simulator } from '../simulator/server/harness.js';

async function signInAt(lwa: LwaClient, sim: { url: string }, o: { email?: string; decision?: string; scope?: string } = {}): Promise<URL> {
  const start = new URL(lwa.signInUrl({ state: 'st 1', redirectUri: REDIRECT }));
  if (o.scope) start.searchParams.set('scope', o.scope);
  const page = await fetch(start);
  expect(page.status).toBe(200);
  const form = new URLSearchParams(Object.fromEntries(start.searchParams));
  form.set('email', o.email ?? 'someone@example.com');
  form.set('decision', o.decision ?? 'allow');
  const res = await fetch(new URL('/ap/oa', sim.url), { method: 'POST', body: form, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

describe('Login with Amazon sign-in', () => {
  it("builds LWA's authorize URL: code grant, the account id only", () => {
    const url = new URL(new LwaClient({ clientId: 'c', clientSecret: 's' }).signInUrl({ state: 'st', redirectUri: REDIRECT }));
    expect(url.origin + url.pathname).toBe('https://www.amazon.com/ap/oa');
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'c', scope: 'profile:user_id', response_type: 'code', state: 'st', redirect_uri: REDIRECT });
  });

  it('names the same Amazon account every time it signs in, and another account differently', async () => {
    const sim = await simulator();
    const lwa = lwaFor(sim);
    const back = await signInAt(lwa, sim, { email: 'alice@example.com' });
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st 1');
    expect(back.searchParams.get('scope')).toBe('profile:user_id');
    const alice = await lwa.signIn(back.searchParams.get('code') ?? '', REDIRECT);
    expect(alice.userId).toMatch(/^amzn1\.account\.[A-Z0-9]+$/);
    expect((await lwa.signIn((await signInAt(lwa, sim, { email: 'Alice@example.com' })).searchParams.get('code') ?? '', REDIRECT)).userId).toBe(alice.userId);
    expect((await lwa.signIn((await signInAt(lwa, sim, { email: 'bob@example.com' })).searchParams.get('code') ?? '', REDIRECT)).userId).not.toBe(alice.userId);
  });

  it('answers the profile as LWA does: user_id only for profile:user_id, name and e-mail for profile; invalid_token otherwise', async () => {
    const sim = await simulator();
    const lwa = lwaFor(sim);
    const exchange = async (code: string) => {
      const r = await fetch(`${sim.url}/auth/o2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }) });
      expect(r.status).toBe(200);
      return ((await r.json()) as { access_token: string }).access_token;
    };
    const idOnly = await exchange((await signInAt(lwa, sim, { email: 'carol@example.com' })).searchParams.get('code') ?? '');
    const p1 = await fetch(`${sim.url}/user/profile`, { headers: { authorization: `Bearer ${idOnly}` } });
    expect(Object.keys((await p1.json()) as object)).toEqual(['user_id']);
    const full = await exchange((await signInAt(lwa, sim, { email: 'carol@example.com', scope: 'profile' })).searchParams.get('code') ?? '');
    const p2 = (await (await fetch(`${sim.url}/user/profile?access_token=${encodeURIComponent(full)}`)).json()) as Record<string, string>;
    expect(p2).toMatchObject({ email: 'carol@example.com', name: 'carol', user_id: expect.stringMatching(/^amzn1\.account\./) });
    const bad = await fetch(`${sim.url}/user/profile`, { headers: { authorization: 'Bearer Atza|forged' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'invalid_token', error_description: expect.any(String) });
    const none = await fetch(`${sim.url}/user/profile`);
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('refuses what LWA refuses: a used code, a denied sign-in, an unknown scope or client', async () => {
    const sim = await simulator();
    const lwa = lwaFor(sim);
    const code = (await signInAt(lwa, sim)).searchParams.get('code') ?? '';
    await lwa.signIn(code, REDIRECT);
    await expect(lwa.signIn(code, REDIRECT)).rejects.toBeInstanceOf(InvalidGrantError);
    const denied = await signInAt(lwa, sim, { decision: 'deny' });
    expect(Object.fromEntries(denied.searchParams)).toEqual({ error: 'access_denied', error_description: expect.any(String), state: 'st 1' });
    const scoped = new URL(lwa.signInUrl({ state: 's', redirectUri: REDIRECT }));
    scoped.searchParams.set('scope', 'postal_code_and_more');
    const refusedScope = await fetch(scoped, { redirect: 'manual' });
    expect(new URL(refusedScope.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_scope');
    const unknownClient = new URL(scoped);
    unknownClient.searchParams.set('client_id', 'someone-else');
    expect((await fetch(unknownClient, { redirect: 'manual' })).status).toBe(400);
    const wrongSecret = lwaFor(sim, { clientSecret: 'nope' });
    await expect(wrongSecret.signIn((await signInAt(lwa, sim)).searchParams.get('code') ?? '', REDIRECT)).rejects.toBeInstanceOf(LwaRequestError);
  });

  it('never lets a sign-in token read a seller\'s data', async () => {
    const sim = await simulator();
    const lwa = lwaFor(sim);
    const code = (await signInAt(lwa, sim)).searchParams.get('code') ?? '';
    const r = await fetch(`${sim.url}/auth/o2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }) });
    const token = ((await r.json()) as { access_token: string }).access_token;
    const reports = await fetch(`${sim.url}/finances/v0/financialEvents`, { headers: { 'x-amz-access-token': token } });
    expect(reports.status).toBe(403);
  });
});
