// Linking a signed-in seller's Amazon selling partner: `/connect` sends the browser to Amazon's
// consent page (or the simulator's) with a single-use state bound to this browser and this
// account; `/connect/callback` checks both, exchanges the code, links the selling partner to THAT
// account (never to another: a partner already linked elsewhere is refused and shown to
// operators), seals the refresh token, starts phase 1 and sends the browser to the dashboard.
//
// The callback's `selling_partner_id` is Amazon's word passed through the browser, and Amazon
// offers no call that names the seller behind a grant; so it only ever labels the grant inside the
// account that started the consent. Who the seller is comes from signing in (sign-in-routes.ts).
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { InvalidGrantError } from '../amazon/errors.js';
import type { LwaClient } from '../amazon/lwa.js';
import type { Auth, Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { ErrorBody } from '../http/schemas.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Database } from '../store/db.js';
import type { Engine } from '../workflow/engine.js';
import { bindBrowser, browserHashOf } from './browser.js';
import { linkPartner, partnerOwner } from './connections.js';
import { consumeState, createState } from './oauth-states.js';
import { flowPage } from './pages.js';
import { recordSecurityEvent } from './security-events.js';
import { requireAmazon, signInRoutes, STATE_TTL_MS, stateRefusal } from './sign-in-routes.js';

export interface ConnectDeps {
  readonly database: Database;
  readonly engine: Engine;
  readonly auth: Auth;
  readonly box: SecretBox;
  /** Login with Amazon and the app; absent in a process given no Amazon, where these routes answer 503. */
  readonly amazon: ConnectAmazon | undefined;
  readonly region: string;
  readonly marketplaceIds: readonly string[];
  /** Where the browser reaches Clario, for the redirect URI. */
  readonly publicUrl: () => string;
  /** Runs after a connection is saved and before phase 1 starts (the demo imports its costs). */
  readonly afterConnect?: ((userId: string, sellingPartnerId: string) => Promise<void>) | undefined;
}

export interface ConnectAmazon {
  readonly lwa: LwaClient;
  readonly applicationId: string;
  /** Amazon requires `version=beta` while an app is in Draft. */
  readonly beta: boolean;
}

const Callback = z.object({
  state: z.string().min(1).max(200),
  selling_partner_id: z.string().regex(/^[A-Z0-9]{5,40}$/, 'not a selling partner id'),
  spapi_oauth_code: z.string().min(1).max(2000),
});

/** The partner is another account's: say what to do, store nothing, and tell the operators. */
function partnerTakenPage() {
  return [
    'This Amazon seller account is already connected to another Clario account, so it was not connected to yours and nothing was stored.',
    'If it is yours, sign out and <a href="/signin/amazon">sign in with the Amazon account that connected it</a>. If you cannot, contact Clario support: the attempt has been recorded for them.',
  ];
}

export function connectRoutes(deps: ConnectDeps) {
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    signInRoutes({ ...deps, lwa: deps.amazon?.lwa })(app, principal);
    const redirectUri = () => `${deps.publicUrl()}/connect/callback`;
    const secure = () => deps.publicUrl().startsWith('https:');

    app.get('/connect', { config: { public: true }, schema: { operationId: 'startConnect', answers: { 302: { description: "To Amazon's consent page" }, 303: { description: 'Not signed in: to /signin/amazon first' } }, response: { 503: ErrorBody }, summary: 'Start connecting an Amazon seller account (signed-in sellers)', description: 'A signed-in seller starts connecting their Amazon seller account: redirects (302) to Amazon\'s consent page; a browser not signed in is sent to sign in first (303).', tags: ['connect'] } }, async (request, reply) => {
      const amazon = requireAmazon(deps.amazon);
      const p = principal(request);
      // Only a signed-in seller connects, and the consent is theirs: first sign in.
      if (p.kind === 'anonymous') return reply.redirect('/signin/amazon', 303);
      if (p.kind !== 'seller') throw new ApiError('forbidden', 'a seller connects their own Amazon account: sign in with Amazon');
      const browserHash = bindBrowser(request, reply, { secure: secure(), maxAgeSeconds: STATE_TTL_MS / 1000 });
      const state = await createState(deps.database.db, STATE_TTL_MS, { purpose: 'connect', browserHash, userId: p.userId });
      const url = amazon.lwa.authorizeUrl({ applicationId: amazon.applicationId, state, redirectUri: redirectUri(), beta: amazon.beta });
      return reply.redirect(url, 302);
    });

    app.get('/connect/callback', { config: { public: true }, schema: { operationId: 'completeConnect', answers: { 303: { description: 'Connected: to the dashboard, which shows the first sync' }, 409: { description: 'The selling partner belongs to another account (an HTML page)', type: 'text/html' } }, response: { 503: ErrorBody }, summary: "Amazon's consent callback", description: 'Where Amazon sends the seller back after consent: checks the state against the seller\'s browser, stores the sealed refresh token and starts phase 1 (the first sync). Proves itself with the state and Amazon\'s code, not a token.', tags: ['connect'] } }, async (request, reply) => {
      const { lwa } = requireAmazon(deps.amazon);
      const parsed = Callback.safeParse(request.query);
      if (!parsed.success) throw new ApiError('invalid_request', 'the callback is missing state, selling_partner_id or spapi_oauth_code');
      const { state, selling_partner_id: partner, spapi_oauth_code: code } = parsed.data;
      const p = principal(request);
      if (p.kind !== 'seller') throw new ApiError('unauthorized', 'this consent cannot be completed here: sign in with Amazon in the browser that started it, then connect again');
      const check = await consumeState(deps.database.db, state, { purpose: 'connect', browserHash: browserHashOf(request), userId: p.userId });
      if (check !== 'ok') throw new ApiError('invalid_request', `this consent ${stateRefusal(check, '/connect').replace(/^this /, '')}`);
      const db = deps.database.db;
      const refuse = async (ownerUserId: string) => {
        await recordSecurityEvent(db, { kind: 'partner_link_refused', userId: p.userId, sellingPartnerId: partner, detail: { owner_user_id: ownerUserId } });
        request.log.warn({ userId: p.userId, sellingPartnerId: partner, ownerUserId }, 'refused to link a selling partner connected to another account');
        return flowPage(reply, 409, 'Already connected to another account', partnerTakenPage());
      };
      // Before the code is spent: a partner linked to another account is refused outright.
      const owner = await partnerOwner(db, partner);
      if (owner !== undefined && owner !== p.userId) return refuse(owner);
      let refreshToken: string;
      try {
        refreshToken = (await lwa.exchangeCode(code, redirectUri())).refreshToken;
      } catch (err) {
        if (err instanceof InvalidGrantError) throw new ApiError('invalid_request', 'Amazon refused the authorization code (expired or used); start again at /connect');
        throw err;
      }
      const linked = await linkPartner(db, deps.box, { userId: p.userId, sellingPartnerId: partner, region: deps.region, marketplaceIds: deps.marketplaceIds, refreshToken });
      if (!linked.linked) {
        lwa.forget(refreshToken);
        return refuse(linked.ownerUserId);
      }
      await deps.afterConnect?.(p.userId, partner);
      const key = `connect:${partner}:${createHash('sha256').update(code).digest('hex')}`;
      const accepted = await deps.engine.accept({
        phase: 1,
        userId: p.userId,
        sellerId: partner,
        payload: { user_id: p.userId, seller_id: partner, source: 'oauth' },
        idempotencyKey: key,
        requestHash: key,
        source: 'http',
      });
      // Straight to the dashboard, which shows this sync running (303: the next request is a GET).
      request.log.info({ userId: p.userId, eventId: accepted.eventId, syncId: accepted.syncId }, 'seller connected');
      return reply.redirect('/', 303);
    });
  };
}


