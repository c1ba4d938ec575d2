// Who the seller is: Login with Amazon. `/signin/amazon` sends the browser to LWA's sign-in page
// with a state bound to this browser; `/signin/amazon/callback` checks it, asks LWA's profile
// endpoint for the account's user_id, finds or makes the Clario account for it, and gives the
// browser a session for that account. A returning seller signs in the same way.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { InvalidGrantError } from '../amazon/errors.js';
import type { LwaClient } from '../amazon/lwa.js';
import { SESSION_COOKIE, type Auth, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { ErrorBody } from '../http/schemas.js';
import type { Database } from '../store/db.js';
import { accountFor } from './accounts.js';
import { bindBrowser, browserHashOf } from './browser.js';
import { consumeState, createState, type StateCheck } from './oauth-states.js';
import { escapeHtml, flowPage, wantsPage } from './pages.js';

export interface SignInDeps {
  readonly database: Database;
  readonly auth: Auth;
  /** Login with Amazon; absent in a process given no Amazon, where these routes answer 503. */
  readonly lwa: LwaClient | undefined;
  readonly publicUrl: () => string;
}

/** What the sign-in and connect routes answer (503) in a process started without Amazon. */
export const AMAZON_NOT_SET_UP = 'Amazon is not set up in this process (no AMAZON_LWA_CLIENT_ID, AMAZON_LWA_CLIENT_SECRET and AMAZON_SP_APP_ID, and no Amazon was given to it)';

/** Amazon, or the 503 that says it is missing: the routes stay registered either way. */
export function requireAmazon<T>(amazon: T | undefined): T {
  if (amazon === undefined) throw new ApiError('unavailable', AMAZON_NOT_SET_UP);
  return amazon;
}

export const STATE_TTL_MS = 10 * 60 * 1000;

const Callback = z.union([
  z.object({ state: z.string().min(1).max(200), code: z.string().min(1).max(2000) }),
  z.object({ state: z.string().max(200).optional(), error: z.string().min(1).max(100), error_description: z.string().max(500).optional() }),
]);

/** Why a state was refused, for the error message. */
export function stateRefusal(check: Exclude<StateCheck, 'ok'>, again: string): string {
  const why = {
    unknown: 'it was not issued here',
    expired: 'it expired',
    used: 'it was already used',
    other_browser: 'it was started in another browser',
    other_account: 'it was started by another account',
  }[check];
  return `this cannot be completed: the state ${why}; start again at ${again}`;
}

export function signInRoutes(deps: SignInDeps) {
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    const redirectUri = () => `${deps.publicUrl()}/signin/amazon/callback`;
    const secure = () => deps.publicUrl().startsWith('https:');

    app.get('/signin/amazon', { config: { public: true }, schema: { operationId: 'startSignIn', answers: { 302: { description: "To Amazon's sign-in page" } }, response: { 503: ErrorBody }, summary: 'Sign in with Amazon (starts Login with Amazon)', description: 'Starts Login with Amazon in the browser: binds the browser to a one-time state and redirects (302) to Amazon\'s sign-in page. No token needed.', tags: ['connect'] } }, async (request, reply) => {
      const lwa = requireAmazon(deps.lwa);
      const browserHash = bindBrowser(request, reply, { secure: secure(), maxAgeSeconds: STATE_TTL_MS / 1000 });
      const state = await createState(deps.database.db, STATE_TTL_MS, { purpose: 'sign_in', browserHash, userId: null });
      return reply.redirect(lwa.signInUrl({ state, redirectUri: redirectUri() }), 302);
    });

    app.get('/signin/amazon/callback', { config: { public: true }, schema: { operationId: 'completeSignIn', answers: { 303: { description: 'Signed in: to the dashboard, with the session cookie set' } }, response: { 503: ErrorBody }, summary: "Login with Amazon's sign-in callback", description: 'Where Amazon sends the browser back after sign-in: checks the state against the browser that started it, starts a session (an HttpOnly cookie) and redirects to the dashboard. When Amazon sends back an error instead (the seller cancelled), a browser gets a page saying so and any other caller a 400 in the error format. Proves itself with the state and Amazon\'s code, not a token.', tags: ['connect'] } }, async (request, reply) => {
      const lwa = requireAmazon(deps.lwa);
      const parsed = Callback.safeParse(request.query);
      if (!parsed.success) throw new ApiError('invalid_request', 'the sign-in callback is missing state and code');
      if ('error' in parsed.data) {
        if (!wantsPage(request)) throw new ApiError('invalid_request', `Amazon did not sign you in (${parsed.data.error}); start again at /signin/amazon`);
        return flowPage(reply, 400, 'Not signed in', [`Amazon did not sign you in (${escapeHtml(parsed.data.error)}). <a href="/signin/amazon">Try again</a>.`]);
      }
      const { state, code } = parsed.data;
      const check = await consumeState(deps.database.db, state, { purpose: 'sign_in', browserHash: browserHashOf(request), userId: null });
      if (check !== 'ok') throw new ApiError('invalid_request', stateRefusal(check, '/signin/amazon'));
      let lwaUserId: string;
      try {
        lwaUserId = (await lwa.signIn(code, redirectUri())).userId;
      } catch (err) {
        if (err instanceof InvalidGrantError) throw new ApiError('invalid_request', 'Amazon refused the sign-in code (expired or used); start again at /signin/amazon');
        throw err;
      }
      const userId = await accountFor(deps.database.db, lwaUserId);
      // A browser signed in as someone else ends that session before starting this one.
      const before = principal(request);
      if (before.kind === 'seller') await deps.auth.revoke(before.session.id);
      const session = await deps.auth.startSession(userId);
      void reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        secure: secure(),
        maxAge: session.lifetimeSeconds,
      });
      request.log.info({ userId }, 'seller signed in');
      return reply.redirect('/', 303);
    });
  };
}
