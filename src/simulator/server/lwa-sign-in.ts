/**
 * Login with Amazon's own sign-in as amazon.com and api.amazon.com show it to a website: the
 * authorization page (`/ap/oa`, authorization code grant), and the profile endpoint
 * (`/user/profile`). The token endpoint that exchanges the code is oauth.ts's, as at Amazon.
 *
 * A person signs in with an e-mail address (no password: this is a simulator); the account's
 * `user_id` is derived from the address and the app's client id, so the same person gets the same
 * id every time, and a different app would see a different one, as with LWA.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { html, isHttpUrl, sendPage } from './html-page.js';
import { ACCESS_TOKEN_TTL_S, AUTH_CODE_TTL_MS, type SimulatorState } from './state.js';

export const LWA_AUTHORIZE_PATH = '/ap/oa';
export const LWA_PROFILE_PATH = '/user/profile';
const SCOPES = new Set(['profile', 'profile:user_id']);

const page = (reply: FastifyReply, status: number, body: string): FastifyReply => sendPage(reply, 'Amazon Sign-In', status, body);

/** Back to the site with `error`, as LWA does once it trusts the client and redirect URI. */
function redirectError(reply: FastifyReply, redirectUri: string, state: string | undefined, error: string, description: string): FastifyReply {
  const target = new URL(redirectUri);
  target.searchParams.set('error', error);
  target.searchParams.set('error_description', description);
  if (state !== undefined) target.searchParams.set('state', state);
  return reply.redirect(target.toString(), 302);
}

export function accountIdFor(clientId: string, email: string): string {
  const digest = createHash('sha256').update(`${clientId}\n${email.trim().toLowerCase()}`).digest('hex').toUpperCase();
  return `amzn1.account.${digest.slice(0, 28)}`;
}

export function registerLwaSignIn(app: FastifyInstance, options: { state: SimulatorState; clientId: string; defaultEmail: string }): void {
  const { state } = options;

  app.get(LWA_AUTHORIZE_PATH, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    // An unknown client or redirect URI is never redirected to: LWA shows its own error page.
    if (q.client_id !== options.clientId) return page(reply, 400, '<h1>An error occurred</h1><p>400 Bad Request: unknown client_id.</p>');
    if (!isHttpUrl(q.redirect_uri)) return page(reply, 400, '<h1>An error occurred</h1><p>400 Bad Request: invalid redirect_uri.</p>');
    if (q.response_type !== 'code') return redirectError(reply, q.redirect_uri, q.state, 'unsupported_response_type', 'The authorization server does not support obtaining an authorization code using this method');
    const scopes = (q.scope ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0 || !scopes.every((s) => SCOPES.has(s))) return redirectError(reply, q.redirect_uri, q.state, 'invalid_scope', 'An unknown scope was requested');
    const hidden = (['client_id', 'scope', 'response_type', 'state', 'redirect_uri'] as const)
      .map((k) => (q[k] === undefined ? '' : `<input type="hidden" name="${k}" value="${html(q[k])}">`))
      .join('');
    const shares = scopes.includes('profile') ? 'your name, e-mail address and account id' : 'your Amazon account id only';
    return page(
      reply,
      200,
      `<h1>Sign in with Amazon</h1><p>A website asks to know who you are: it will receive ${shares}.</p>` +
        `<form method="post" action="${LWA_AUTHORIZE_PATH}">${hidden}<label>E-mail <input type="email" name="email" value="${html(options.defaultEmail)}"></label> ` +
        `<button type="submit" name="decision" value="allow">Sign in</button> <button type="submit" name="decision" value="deny">Cancel</button></form>`,
    );
  });

  app.post(LWA_AUTHORIZE_PATH, async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    if (form.client_id !== options.clientId || !isHttpUrl(form.redirect_uri) || !form.scope) {
      return page(reply, 400, '<h1>An error occurred</h1><p>The sign-in form is incomplete.</p>');
    }
    if (form.decision !== 'allow') return redirectError(reply, form.redirect_uri, form.state, 'access_denied', 'The user has denied your request');
    const email = (form.email ?? '').trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) return page(reply, 400, '<h1>Sign in</h1><p>Enter an e-mail address.</p>');
    const userId = accountIdFor(options.clientId, email);
    state.accounts.set(userId, { userId, email, name: email.split('@')[0] ?? email });
    const code = state.token('ANsim');
    state.codes.set(code, { sellerId: '', redirectUri: form.redirect_uri, expiresAt: state.clock.now() + AUTH_CODE_TTL_MS, used: false, signIn: { account: userId, scope: form.scope } });
    const target = new URL(form.redirect_uri);
    target.searchParams.set('code', code);
    target.searchParams.set('scope', form.scope);
    if (form.state !== undefined) target.searchParams.set('state', form.state);
    return reply.redirect(target.toString(), 302);
  });

  app.get(LWA_PROFILE_PATH, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const header = req.headers.authorization;
    const token = (header ? /^bearer\s+(\S+)$/i.exec(header)?.[1] : undefined) ?? (req.headers['x-amz-access-token'] as string | undefined) ?? q.access_token;
    const refuse = (status: number, error: string, description: string) =>
      reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });
    if (!token) return refuse(400, 'invalid_request', 'The request is missing a required parameter : access_token');
    const entry = state.profileTokens.get(token);
    if (!entry) return refuse(401, 'invalid_token', 'The request has an invalid parameter : access_token');
    if (entry.expiresAt <= state.clock.now()) return refuse(401, 'invalid_token', 'The access token you provided has expired');
    const account = state.accounts.get(entry.account);
    if (!account) return refuse(401, 'invalid_token', 'The request has an invalid parameter : access_token');
    return reply
      .header('cache-control', 'no-store')
      .send(entry.scope.split(' ').includes('profile') ? { user_id: account.userId, name: account.name, email: account.email } : { user_id: account.userId });
  });
}

/** The token endpoint's answer for a sign-in code or refresh token: a profile-only access token. */
export function issueProfileToken(state: SimulatorState, account: string, scope: string): { access_token: string; token_type: string; expires_in: number } {
  if (state.profileTokens.size > 1000) {
    for (const [token, entry] of state.profileTokens) if (entry.expiresAt <= state.clock.now()) state.profileTokens.delete(token);
  }
  const accessToken = state.token('Atza|');
  state.profileTokens.set(accessToken, { account, scope, expiresAt: state.clock.now() + ACCESS_TOKEN_TTL_S * 1000 });
  return { access_token: accessToken, token_type: 'bearer', expires_in: ACCESS_TOKEN_TTL_S };
}
