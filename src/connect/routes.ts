// The seller's way in: `/connect` sends the browser to Amazon's consent page (or the simulator's)
// with a single-use state; `/connect/callback` checks the state, exchanges the code, seals the
// refresh token, starts phase 1, gives the browser the seller's session and sends it to the dashboard.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { InvalidGrantError } from '../amazon/errors.js';
import type { LwaClient } from '../amazon/lwa.js';
import { SESSION_COOKIE, type Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Database } from '../store/db.js';
import type { Engine } from '../workflow/engine.js';
import { saveConnection, userForPartner } from './connections.js';
import { consumeState, createState } from './oauth-states.js';

export interface ConnectDeps {
  readonly database: Database;
  readonly engine: Engine;
  readonly auth: Auth;
  readonly box: SecretBox;
  readonly lwa: LwaClient;
  readonly applicationId: string;
  /** Amazon requires `version=beta` while an app is in Draft. */
  readonly beta: boolean;
  readonly region: string;
  readonly marketplaceIds: readonly string[];
  /** Where the browser reaches Clario, for the redirect URI. */
  readonly publicUrl: () => string;
  readonly sessionTtlSeconds: number;
  /** Runs after a connection is saved and before phase 1 starts (the demo imports its costs). */
  readonly afterConnect?: ((userId: string, sellingPartnerId: string) => Promise<void>) | undefined;
}

const STATE_TTL_MS = 10 * 60 * 1000;

const Callback = z.object({
  state: z.string().min(1).max(200),
  selling_partner_id: z.string().regex(/^[A-Z0-9]{5,40}$/, 'not a selling partner id'),
  spapi_oauth_code: z.string().min(1).max(2000),
});

export function connectRoutes(deps: ConnectDeps) {
  return (app: FastifyInstance): void => {
    const redirectUri = () => `${deps.publicUrl()}/connect/callback`;

    app.get('/connect', { config: { public: true }, schema: { summary: 'Start connecting an Amazon seller account', tags: ['connect'] } }, async (_request, reply) => {
      const state = await createState(deps.database, STATE_TTL_MS);
      const url = deps.lwa.authorizeUrl({ applicationId: deps.applicationId, state, redirectUri: redirectUri(), beta: deps.beta });
      return reply.redirect(url, 302);
    });

    app.get('/connect/callback', { config: { public: true }, schema: { summary: "Amazon's consent callback", tags: ['connect'] } }, async (request, reply) => {
      const parsed = Callback.safeParse(request.query);
      if (!parsed.success) throw new ApiError('invalid_request', 'the callback is missing state, selling_partner_id or spapi_oauth_code');
      const { state, selling_partner_id: partner, spapi_oauth_code: code } = parsed.data;
      const check = await consumeState(deps.database, state);
      if (check !== 'ok') {
        const why = { unknown: 'it was not issued here', expired: 'it expired', used: 'it was already used' }[check];
        throw new ApiError('invalid_request', `this consent cannot be completed: the state ${why}; start again at /connect`);
      }
      let refreshToken: string;
      try {
        refreshToken = (await deps.lwa.exchangeCode(code, redirectUri())).refreshToken;
      } catch (err) {
        if (err instanceof InvalidGrantError) throw new ApiError('invalid_request', 'Amazon refused the authorization code (expired or used); start again at /connect');
        throw err;
      }
      const userId = await userForPartner(deps.database.db, partner);
      await saveConnection(deps.database.db, deps.box, { userId, sellingPartnerId: partner, region: deps.region, marketplaceIds: deps.marketplaceIds, refreshToken });
      await deps.afterConnect?.(userId, partner);
      const key = `connect:${partner}:${createHash('sha256').update(code).digest('hex')}`;
      const accepted = await deps.engine.accept({
        phase: 1,
        userId,
        sellerId: partner,
        payload: { user_id: userId, seller_id: partner, source: 'oauth' },
        idempotencyKey: key,
        requestHash: key,
        source: 'http',
      });
      const session = await deps.auth.issueSellerToken(userId, deps.sessionTtlSeconds);
      void reply.setCookie(SESSION_COOKIE, session, {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        secure: deps.publicUrl().startsWith('https:'),
        maxAge: deps.sessionTtlSeconds,
      });
      // Straight to the dashboard, which shows this sync running (303: the next request is a GET).
      request.log.info({ userId, eventId: accepted.eventId, syncId: accepted.syncId }, 'seller connected');
      return reply.redirect('/', 303);
    });
  };
}
