// The HTTP edge: Fastify with zod validation, authentication on every route, rate limits by
// caller, the workflow routes, the WebSocket and the operations endpoints.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import cookie from '@fastify/cookie';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { JobQueue } from '../queue/job-queue.js';
import type { Hub } from '../realtime/hub.js';
import type { Db } from '../store/db.js';
import type { Engine } from '../workflow/engine.js';
import { safeUrl } from '../observability/logger.js';
import { bearer, SESSION_COOKIE, type Auth, type Principal } from './auth.js';
import { answerClientError, ApiError, errorBody, errorHandler, handleFrameworkError, hasEmptyParam } from './errors.js';
import { guardInput } from './safe-input.js';
import { observeRequests, requestIdFrom, type RequestObserver } from './observe.js';
import type { RateLimitStore } from './rate-limit-store.js';
import { ownOriginCheck } from './origins.js';
import { documentObject, documentRoute, documentServers, TAGS } from './openapi.js';
import type { SocketGate } from '../realtime/gate.js';
import { handshakeDeadline } from '../realtime/handshake.js';
import { opsRoutes } from './routes/ops.js';
import { statusRoutes } from './routes/status.js';
import { triggerRoutes } from './routes/triggers.js';
import { websocketRoutes } from './routes/websocket.js';

export interface AppDeps {
  readonly db: Db;
  readonly engine: Engine;
  readonly queue: JobQueue;
  readonly hub: Hub;
  readonly auth: Auth;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly rateLimit: { readonly service: number; readonly seller: number; readonly anonymous: number };
  /** Shared counters (Redis) when several API processes run; per process otherwise. */
  readonly rateLimitStore?: RateLimitStore | undefined;
  readonly version: string;
  /** Timeouts and caps at the edge (see EdgeLimits). */
  readonly edge: EdgeLimits;
  /** Counts and times every answer (the HTTP request metrics). */
  readonly requests?: RequestObserver;
  /** A page for a person's mistyped address (the dashboard's), instead of the JSON 404. */
  readonly notFoundPage?: NotFoundPage | undefined;
  /** Further routes (capabilities that land later register theirs here). */
  readonly plugins?: ReadonlyArray<(app: FastifyInstance, principal: (r: unknown) => Principal) => void | Promise<void>>;
}

/** Which unknown paths get a page instead of the JSON 404, and the page. It is public: it holds no data. */
export interface NotFoundPage {
  wants(request: Pick<FastifyRequest, 'method' | 'url' | 'headers'>): boolean;
  send(reply: FastifyReply): Promise<FastifyReply>;
}

/** What one client may hold of the server: time to send a request, idle sockets, WebSocket slots. */
export interface EdgeLimits {
  readonly publicUrl: string | undefined;
  readonly host: string;
  /** Whose X-Forwarded-For to believe for request.ip (TRUST_PROXY). */
  readonly trustProxy?: false | number | readonly string[];
  readonly http: { readonly headersTimeoutMs: number; readonly requestTimeoutMs: number; readonly keepAliveTimeoutMs: number; readonly idleTimeoutMs: number };
  readonly websocket: { readonly handshakeTimeoutMs: number };
  readonly gate: SocketGate;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Reachable without a token (a browser flow that authenticates otherwise). */
    public?: boolean;
  }
}

/**
 * Fastify logs two lines per request at info; in a terminal they bury everything else. One line per
 * request at debug instead (LOG_LEVEL=debug shows them); a request that errored stays at error.
 */
class QuietRequests extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) super.requestCompleted(error, request, reply);
    else reply.log.debug({ req: request, res: reply, responseTime: Math.round(reply.elapsedTime) }, 'request completed');
  }
}

/** Fastify's types take a hop count only as the function proxy-addr calls per hop (nearest first). */
function trustProxyOption(trust: EdgeLimits['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === undefined || trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Fastify's own logger type, so route types do not depend on pino's version.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app: FastifyInstance = Fastify({
    loggerInstance,
    bodyLimit: 1024 * 1024,
    clientErrorHandler: answerClientError,
    // X-Request-Id: the caller's when it passes requestIdFrom's check, a fresh UUID otherwise;
    // Fastify puts it in every log line of the request (reqId) and observeRequests echoes it.
    requestIdHeader: false,
    genReqId: (raw) => requestIdFrom(raw.headers),
    frameworkErrors: handleFrameworkError,
    trustProxy: trustProxyOption(deps.edge.trustProxy),
    logController: new QuietRequests(),
    // A client that trickles its headers (or a WebSocket handshake) or its body, or keeps an idle
    // socket, gives it back after these; Node's defaults held them for minutes.
    connectionTimeout: deps.edge.http.idleTimeoutMs,
    keepAliveTimeout: deps.edge.http.keepAliveTimeoutMs,
    requestTimeout: deps.edge.http.requestTimeoutMs,
    http: {
      headersTimeout: deps.edge.http.headersTimeoutMs,
      // How often Node looks for requests past those timeouts (30 s by default, which let a
      // half-open request live up to 30 s longer than its timeout).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(deps.edge.http.headersTimeoutMs / 2))),
    },
  });
  observeRequests(app, deps.requests);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const page = deps.notFoundPage;
  const notFound = (request: FastifyRequest, reply: FastifyReply): FastifyReply | Promise<FastifyReply> =>
    page?.wants(request)
      ? page.send(reply)
      : reply.status(404).send(errorBody('not_found', `no route ${request.method} ${safeUrl(request.url).split('?')[0] ?? ''}`));
  // A path that names nothing: no route, or an API route's parameter left empty (`/api/v1/claims/`
  // was 400 "too small" while `/api/v1/workflow/status/x/` was 404). The dashboard's page routes
  // are public and take `/claims/` as the page.
  const namesNothing = (request: FastifyRequest) => request.is404 || (!request.routeOptions.config?.public && hasEmptyParam(request.params));
  app.setErrorHandler(errorHandler(namesNothing, notFound));
  app.setNotFoundHandler(notFound);

  // No answer of Clario's is meant to be read as another type than it says (a PDF, an uploaded
  // file, JSON): browsers are told not to guess, on every answer, so no route can forget it.
  // (A callback hook: it runs on every answer, and needs no promise.)
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('x-content-type-options')) void reply.header('x-content-type-options', 'nosniff');
    done(null, payload);
  });
  await app.register(cookie);
  app.decorateRequest('principal', null as never);
  app.addHook('onRequest', async (request) => {
    const query = request.query as Record<string, unknown> | undefined;
    // Browsers cannot set headers on a WebSocket, so /ws may carry its token in the query.
    const fromQuery = request.url.startsWith('/ws') && typeof query?.token === 'string' ? query.token : undefined;
    // The dashboard's session cookie counts for reads only: a cookie rides along on cross-site
    // requests, so it must never be enough to change anything.
    const fromCookie = request.method === 'GET' ? request.cookies[SESSION_COOKIE] : undefined;
    request.principal = await deps.auth.authenticate(bearer(request.headers.authorization) ?? fromQuery ?? fromCookie);
  });
  // Before the body is read: a caller without a valid token gets 401 whatever it sends (its body
  // is never parsed, so it learns nothing about what input is refused, and costs no parsing).
  app.addHook('preParsing', async (request) => {
    if (request.routeOptions.config?.public) return;
    if (request.is404 && page?.wants(request)) return;
    const p = request.principal;
    if (p.kind === 'anonymous') {
      throw new ApiError('unauthorized', p.rejected ? 'the token is not valid' : 'send Authorization: Bearer <token>');
    }
    return Promise.resolve();
  });
  // Before any route's schema or handler sees the empty parameter (a handler that parses its own,
  // like the phase number's, would call it invalid).
  app.addHook('preValidation', async (request, reply) => (!request.is404 && namesNothing(request) ? notFound(request, reply) : undefined));
  // After authentication, so a caller without a token learns nothing about what input is refused.
  guardInput(app);

  await app.register(rateLimit, {
    global: true,
    timeWindow: '1 minute',
    hook: 'onRequest',
    // In Redis when there is one, so every API process spends the same budget. If Redis fails,
    // requests pass uncounted (and the connection logs why) rather than all failing.
    ...(deps.rateLimitStore ? { store: deps.rateLimitStore.Store, skipOnError: true } : {}),
    max: (request: FastifyRequest) => {
      const p = request.principal;
      return p.kind === 'service' ? deps.rateLimit.service : p.kind === 'seller' ? deps.rateLimit.seller : deps.rateLimit.anonymous;
    },
    keyGenerator: (request: FastifyRequest) => {
      const p = request.principal;
      return p.kind === 'service' ? 'service' : p.kind === 'seller' ? `seller:${p.userId}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      ...errorBody('rate_limited', `too many requests; retry after ${Math.ceil(context.ttl / 1000)} s`),
    }),
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Clario',
        version: deps.version,
        description: 'The durable 7-phase workflow that recovers money Amazon owes FBA sellers.',
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      servers: documentServers(deps.edge.publicUrl),
      tags: [...TAGS],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: documentRoute,
    transformObject: documentObject,
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  const principal = (r: unknown) => (r as FastifyRequest).principal;
  triggerRoutes(app, { engine: deps.engine, db: deps.db, principal });
  statusRoutes(app, { db: deps.db, engine: deps.engine, queue: deps.queue, principal, websocketClients: () => deps.hub.count() });
  const port = () => {
    const a = app.server.address();
    return a && typeof a === 'object' ? a.port : undefined;
  };
  websocketRoutes(app, {
    db: deps.db,
    hub: deps.hub,
    principal,
    gate: deps.edge.gate,
    handshake: handshakeDeadline(app.server, deps.edge.websocket.handshakeTimeoutMs),
    ownOrigin: ownOriginCheck({ publicUrl: deps.edge.publicUrl, host: deps.edge.host, port }),
  });
  opsRoutes(app, { db: deps.db, queue: deps.queue, registry: deps.registry, principal });
  for (const plugin of deps.plugins ?? []) await plugin(app, principal);
  return app;
}
