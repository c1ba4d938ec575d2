/**
 * Login with Amazon as Seller Central and api.amazon.com show it to an app: the consent page of
 * the website authorization workflow and the token endpoint (authorization_code and
 * refresh_token grants), with LWA's JSON answers and `{error, error_description}` refusals; LWA's
 * own sign-in page and profile endpoint are in lwa-sign-in.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { issueProfileToken, registerLwaSignIn } from './lwa-sign-in.js';
import { html, isHttpUrl, sendPage } from './html-page.js';
import { ACCESS_TOKEN_TTL_S, AUTH_CODE_TTL_MS, type SimulatorState } from './state.js';

export interface OAuthOptions {
  readonly state: SimulatorState;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Where Seller Central shows the website authorization workflow's consent page. */
const CONSENT_PATH = '/apps/authorize/consent';

const page = (reply: FastifyReply, status: number, body: string): FastifyReply => sendPage(reply, 'Amazon Seller Central', status, body);

function lwaError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });
}

export function registerOAuth(app: FastifyInstance, options: OAuthOptions): void {
  const { state } = options;
  const firstSeller = [...state.sellers.keys()][0] ?? 'seller';
  registerLwaSignIn(app, { state, clientId: options.clientId, defaultEmail: `${firstSeller.toLowerCase()}@sellers.example` });

  app.get(CONSENT_PATH, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (!q.application_id || !q.state) return page(reply, 400, '<h1>Invalid request</h1><p>application_id and state are required.</p>');
    // Amazon falls back to the app's registered redirect URI; the simulator has none registered.
    if (!isHttpUrl(q.redirect_uri)) return page(reply, 400, '<h1>Invalid request</h1><p>redirect_uri must be an http(s) URL.</p>');
    const sellers = [...state.sellers.keys()];
    if (sellers.length === 0) return page(reply, 503, '<h1>No seller account</h1><p>The simulator was started without a seller.</p>');
    const choice =
      sellers.length === 1
        ? `<input type="hidden" name="selling_partner_id" value="${html(sellers[0] ?? '')}"><p>Seller account <b>${html(sellers[0] ?? '')}</b></p>`
        : `<label>Seller account <select name="selling_partner_id">${sellers.map((s) => `<option>${html(s)}</option>`).join('')}</select></label>`;
    const hidden = (['application_id', 'state', 'redirect_uri', 'version'] as const)
      .map((k) => (q[k] === undefined ? '' : `<input type="hidden" name="${k}" value="${html(q[k])}">`))
      .join('');
    return page(
      reply,
      200,
      `<h1>Authorize application</h1><p>The application <b>${html(q.application_id)}</b>${q.version === 'beta' ? ' (draft)' : ''} asks to access your selling data: reports, finances and inbound shipments.</p>` +
        `<form method="post" action="${CONSENT_PATH}">${hidden}${choice}<button type="submit" name="decision" value="approve">Approve</button></form>`,
    );
  });

  app.post(CONSENT_PATH, async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    const sellerId = form.selling_partner_id;
    if (!form.state || !isHttpUrl(form.redirect_uri) || !sellerId || !state.sellers.has(sellerId)) {
      return page(reply, 400, '<h1>Invalid request</h1><p>The consent form is incomplete.</p>');
    }
    const code = state.token('ANsim');
    state.codes.set(code, { sellerId, redirectUri: form.redirect_uri, expiresAt: state.clock.now() + AUTH_CODE_TTL_MS, used: false });
    const target = new URL(form.redirect_uri);
    target.searchParams.set('state', form.state);
    target.searchParams.set('selling_partner_id', sellerId);
    target.searchParams.set('spapi_oauth_code', code);
    return reply.redirect(target.toString(), 302);
  });

  app.post('/auth/o2/token', async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    if (form.client_id !== options.clientId || form.client_secret !== options.clientSecret) {
      return lwaError(reply, 401, 'invalid_client', 'Client authentication failed');
    }
    if (form.grant_type === 'authorization_code') {
      if (!form.code) return lwaError(reply, 400, 'invalid_request', 'The request is missing a required parameter : code');
      const grant = state.codes.get(form.code);
      if (!grant) return lwaError(reply, 400, 'invalid_grant', 'The request has an invalid grant parameter : code');
      if (grant.used) return lwaError(reply, 400, 'invalid_grant', 'The authorization code has already been used');
      // Single use even when refused below, as LWA does: a replayed code never works twice.
      grant.used = true;
      if (grant.expiresAt <= state.clock.now()) return lwaError(reply, 400, 'invalid_grant', 'The authorization code has expired');
      if (form.redirect_uri !== grant.redirectUri) return lwaError(reply, 400, 'invalid_grant', 'The redirect_uri does not match the one of the authorization request');
      if (grant.signIn) {
        const refreshToken = state.token('Atzr|');
        state.profileRefreshTokens.set(refreshToken, grant.signIn);
        return reply.header('cache-control', 'no-store').send({ ...issueProfileToken(state, grant.signIn.account, grant.signIn.scope), refresh_token: refreshToken });
      }
      const refreshToken = state.token('Atzr|');
      state.refreshTokens.set(refreshToken, grant.sellerId);
      return reply.header('cache-control', 'no-store').send({ ...issueAccessToken(state, grant.sellerId), refresh_token: refreshToken });
    }
    if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) return lwaError(reply, 400, 'invalid_request', 'The request is missing a required parameter : refresh_token');
      const signIn = state.profileRefreshTokens.get(form.refresh_token);
      if (signIn) return reply.header('cache-control', 'no-store').send(issueProfileToken(state, signIn.account, signIn.scope));
      const sellerId = state.refreshTokens.get(form.refresh_token);
      if (!sellerId) return lwaError(reply, 400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token');
      return reply.header('cache-control', 'no-store').send(issueAccessToken(state, sellerId));
    }
    return lwaError(reply, 400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server');
  });
}

function issueAccessToken(state: SimulatorState, sellerId: string): { access_token: string; token_type: string; expires_in: number } {
  // Every refresh mints a token; drop the expired ones so a long-running demo does not grow.
  if (state.accessTokens.size > 1000) {
    for (const [token, entry] of state.accessTokens) if (entry.expiresAt <= state.clock.now()) state.accessTokens.delete(token);
  }
  const accessToken = state.token('Atza|');
  state.accessTokens.set(accessToken, { sellerId, expiresAt: state.clock.now() + ACCESS_TOKEN_TTL_S * 1000 });
  return { access_token: accessToken, token_type: 'bearer', expires_in: ACCESS_TOKEN_TTL_S };
}
