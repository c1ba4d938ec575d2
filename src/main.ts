// The composition root: builds configuration, database, queue, bus, engine and HTTP, and hands
// each piece what it needs. Nothing else constructs infrastructure.
import { VERSION } from './version.js';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/config.js';
import { resolveSecrets, type Secrets } from './config/secrets.js';
import { createAuth, type Auth } from './http/auth.js';
import { databaseSessions } from './http/sessions.js';
import { buildApp, type AppDeps } from './http/app.js';
import { startProbeServer, type ProbeServer } from './http/probe-server.js';
import { createRateLimitStore, type RateLimitStore } from './http/rate-limit-store.js';
import { createLogger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { createBullMqQueue } from './queue/bullmq-queue.js';
import { within, type JobQueue } from './queue/job-queue.js';
import { createPostgresQueue } from './queue/postgres-queue.js';
import { createLocalBus, createRedisBus, type MessageBus } from './realtime/bus.js';
import { createHub } from './realtime/hub.js';
import { createSocketGate } from './realtime/gate.js';
import { openDatabase, type Database } from './store/db.js';
import { workflowHealth } from './store/read-status.js';
import { unavailableCapabilities, type Capabilities } from './workflow/capabilities.js';
import { createEngine, type Engine } from './workflow/engine.js';
import { createPhaseHandlers } from './workflow/phases/index.js';
import { setupCapabilities } from './capabilities.js';
import { sellerRoutes } from './connect/seller-routes.js';
import { createSyncScheduler, type SyncScheduler } from './sync/schedule.js';
import { eventMirror } from './mirror/index.js';
import { learningRoutes } from './learning/model-routes.js';
import { proofRoutes } from './proof/routes.js';
import { createFiler, type Filer } from './filing/file-claims.js';
import { filingRoutes } from './filing/routes.js';
import { createPayoutMonitor, type PayoutMonitor } from './payouts/monitor.js';
import { dashboardRoutes, DEFAULT_WEB_DIR, PAGE_TOKEN_TTL_SECONDS, webRoutes } from './dashboard/index.js';

export type Role = 'all' | 'api' | 'worker';

export interface ClarioOptions {
  readonly config: Config;
  readonly role?: Role;
  readonly capabilities?: Capabilities;
  readonly logger?: Logger;
  /** Listen on config.port (default true); tests use app.inject or port 0. */
  readonly listen?: boolean;
  readonly plugins?: AppDeps['plugins'];
  /** Run the event mirror's delivery loops (webhooks, EventBridge) in worker processes (default true); tests drive their own. */
  readonly deliverWebhooks?: boolean;
  /** The built dashboard (default dist/web). */
  readonly webDir?: string;
  /** Epoch ms for sessions (tests move time); Date.now by default. */
  readonly now?: () => number;
}


export interface Clario {
  readonly config: Config;
  readonly database: Database;
  readonly queue: JobQueue;
  readonly engine: Engine;
  readonly auth: Auth;
  readonly secrets: Secrets;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly app: FastifyInstance | undefined;
  /** The base URL, when listening. */
  readonly url: string | undefined;
  /** A worker's liveness probe (GET /healthz on PORT), when listening. */
  readonly probeUrl: string | undefined;
  /** What the sync talks to: Amazon, or the bundled simulator. */
  readonly amazon: string | undefined;
  /** The bundled Amazon simulator's URL, when Amazon is simulated. */
  readonly simulatorUrl: string | undefined;
  /** Where fees are charged: Stripe, or the bundled Stripe simulator. */
  readonly stripe: string | undefined;
  /** The filing and payout loops (worker processes with the real capabilities); nudge them when work arrives. */
  readonly filer: Filer | undefined;
  readonly payouts: PayoutMonitor | undefined;
  close(): Promise<void>;
}

export { VERSION };

export class StartupError extends Error {
  override readonly name = 'StartupError';
}

export async function startClario(options: ClarioOptions): Promise<Clario> {
  const { config } = options;
  const role = options.role ?? 'all';
  const logger = options.logger ?? createLogger(config.logLevel);
  if (config.mode === 'embedded' && role !== 'all') {
    throw new StartupError(`'${role}' alone needs DATABASE_URL: the embedded database lives inside one process`);
  }
  if (config.mode === 'production' && !(config.secrets.serviceToken && config.secrets.sessionSecret && config.secrets.encryptionKeys)) {
    // Several processes must share these, or one cannot open what another sealed or signed.
    logger.warn('CLARIO_SERVICE_TOKEN, CLARIO_SESSION_SECRET or CLARIO_ENCRYPTION_KEYS is not set; using the data directory\'s, which other machines do not share');
  }
  const secrets = resolveSecrets(config);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const auth = createAuth({
    serviceToken: secrets.serviceToken,
    sessionSecret: secrets.sessionSecret,
    sessions: databaseSessions(() => database.db),
    maxAgeSeconds: config.sessionMaxAgeSeconds,
    ...(options.now ? { now: options.now } : {}),
  });
  let url: string | undefined;
  const publicUrl = () => config.publicUrl ?? url ?? `http://${config.host}:${config.port}`;
  // Tests bring their own capabilities; otherwise the real ones, against Amazon or the simulator.
  const setup = options.capabilities
    ? undefined
    : await setupCapabilities({ config, database, secrets, log: logger, publicUrl }).catch(async (err: unknown) => {
        await database.close();
        throw err;
      });
  const queueLog = { error: (obj: object, msg: string) => logger.error(obj, msg) };
  const queue: JobQueue =
    config.queue.driver === 'bullmq' && config.redisUrl
      ? createBullMqQueue({ redisUrl: config.redisUrl, prefix: config.queue.prefix, log: queueLog })
      : createPostgresQueue(database, { pollMs: config.worker.pollMs, log: queueLog, channel: `${config.queue.prefix}_inbox` });
  const bus: MessageBus =
    config.mode === 'production' && config.redisUrl
      ? createRedisBus(config.redisUrl, `${config.queue.prefix}:messages`, (err) => logger.error({ err }, 'message bus error'))
      : createLocalBus();
  const metrics = createMetrics();
  metrics.watchQueue(queue);
  metrics.watchWorkflow(() => workflowHealth(database.db));
  const engine = createEngine({
    database,
    queue,
    bus,
    handlers: createPhaseHandlers(options.capabilities ?? setup?.capabilities ?? unavailableCapabilities(), {
      waitForFilingMs: Math.min(config.worker.retryMaxMs, config.worker.retryBaseMs * 10),
      payoutLimits: { tolerancePercent: config.billing.payoutTolerancePercent, maxMinor: config.billing.payoutMaxMinor },
    }),
    log: logger,
    observer: metrics,
    worker: {
      concurrency: config.worker.concurrency,
      maxAttempts: config.worker.maxAttempts,
      leaseMs: config.worker.leaseMs,
      attemptTimeoutMs: config.worker.attemptTimeoutMs,
      backoff: { baseMs: config.worker.retryBaseMs, maxMs: config.worker.retryMaxMs },
    },
  });

  const mirror = eventMirror({ database, secrets, log: logger, destinations: { allowInsecure: config.webhooks.allowInsecure } });
  const webhooks = role !== 'api' && options.deliverWebhooks !== false ? mirror.delivery() : undefined;
  const eventBridge = webhooks && config.eventBridge ? mirror.eventBridge(config.eventBridge) : undefined;
  const hub = createHub({ maxPerUser: config.edge.wsMaxConnectionsPerUser });
  metrics.watchClients(() => hub.count());
  const gate = createSocketGate({
    maxConnections: config.edge.wsMaxConnections,
    maxPerUser: config.edge.wsMaxConnectionsPerUser,
    onRefused: (reason) => metrics.websocketRefused(reason),
  });
  metrics.watchSockets(() => gate.open());
  let unsubscribe: (() => void) | undefined;
  let app: FastifyInstance | undefined;
  let scheduler: SyncScheduler | undefined;
  let filer: Filer | undefined;
  let payouts: PayoutMonitor | undefined;
  let unsubscribeLoops: (() => void) | undefined;
  let probe: ProbeServer | undefined;
  let rateLimitStore: RateLimitStore | undefined;
  try {
    engine.startRelay();
    if (role !== 'worker') {
      unsubscribe = await bus.subscribe((messages) => hub.deliver(messages));
      if (config.redisUrl) rateLimitStore = createRateLimitStore(config.redisUrl, config.queue.prefix, (err) => logger.error({ err }, 'rate-limit store (Redis) error'));
      app = await buildApp({
        db: database.db,
        engine,
        queue,
        hub,
        auth,
        registry: metrics.registry,
        requests: metrics,
        logger,
        rateLimit: config.rateLimit,
        rateLimitStore,
        version: VERSION,
        edge: {
          publicUrl: config.publicUrl,
          host: config.host,
          trustProxy: config.trustProxy,
          http: {
            headersTimeoutMs: config.edge.headersTimeoutMs,
            requestTimeoutMs: config.edge.requestTimeoutMs,
            keepAliveTimeoutMs: config.edge.keepAliveTimeoutMs,
            idleTimeoutMs: config.edge.idleTimeoutMs,
          },
          websocket: { handshakeTimeoutMs: config.edge.wsHandshakeTimeoutMs },
          gate,
        },
        plugins: [
          sellerRoutes(database.db),
          filingRoutes({ db: database.db, engine }),
          mirror.routes,
          learningRoutes(database.db),
          proofRoutes(database.db),
          dashboardRoutes({ db: database.db, hub, auth, pageTokenTtlSeconds: PAGE_TOKEN_TTL_SECONDS }),
          webRoutes(options.webDir ?? DEFAULT_WEB_DIR),
          ...(setup ? [setup.routes(engine, auth)] : []),
          ...(options.plugins ?? []),
        ],
      });
      if (options.listen !== false) {
        const address = await app.listen({ port: config.port, host: config.host });
        url = config.publicUrl ?? address;
      }
    }
    if (role === 'worker' && options.listen !== false) probe = await startProbeServer(config.port, config.host);
    if (role !== 'api') {
      await engine.startWorker();
      // Only with the real capabilities: tests that bring their own sync nothing on a schedule.
      if (setup) scheduler = createSyncScheduler({ database, engine, intervalHours: config.amazon.syncIntervalHours, log: logger });
      scheduler?.start();
      if (setup) {
        const f = config.filing;
        const loopDeps = { database, engine, channel: setup.claimsChannel, log: logger };
        filer = createFiler({ ...loopDeps, maxItemsPerCase: f.maxItemsPerCase, maxCasesPerDay: f.maxCasesPerDay, intervalMs: f.intervalMs });
        payouts = createPayoutMonitor({ ...loopDeps, followUpDays: f.followUpDays, intervalMs: f.payoutsIntervalMs });
        filer.start();
        payouts.start();
        // Their polls are the safety net; these nudges make the pipeline move at once: a claim
        // routed to auto-submit is filed, and a finished sync's reimbursements are matched.
        const [fileNow, matchNow] = [filer, payouts];
        const unsubscribeBus = await bus.subscribe((messages) => {
          for (const m of messages) {
            if (m.type === 'claim.routed' && m.payload.status === 'ready') fileNow.nudge();
            if (m.type === 'workflow.phase' && m.payload.phase === 2 && m.payload.status === 'completed') matchNow.nudge();
          }
        });
        // The bundled Amazon says when it decides a case: its payout is found in seconds, not at the next poll.
        const unsubscribeDecided = setup.onCaseDecided(() => matchNow.nudge());
        unsubscribeLoops = () => {
          unsubscribeBus();
          unsubscribeDecided();
        };
      }
      webhooks?.start();
      eventBridge?.start();
    }
  } catch (err) {
    await probe?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await rateLimitStore?.redis.quit().catch(() => undefined);
    await webhooks?.stop().catch(() => undefined);
    await eventBridge?.stop().catch(() => undefined);
    await filer?.stop().catch(() => undefined);
    await payouts?.stop().catch(() => undefined);
    await engine.stop().catch(() => undefined);
    await bus.close().catch(() => undefined);
    await setup?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    config,
    database,
    queue,
    engine,
    auth,
    secrets,
    metrics,
    logger,
    app,
    url,
    probeUrl: probe?.url,
    amazon: setup?.amazon,
    simulatorUrl: setup?.simulatorUrl,
    stripe: setup?.stripe,
    filer,
    payouts,
    close() {
      closing ??= (async () => {
        // One bound for the whole stop: requests first (new ones are refused with a 503 while
        // closing), then the phase attempts get what is left and the rest are handed back.
        const deadline = Date.now() + config.shutdownTimeoutMs;
        const left = () => Math.max(0, deadline - Date.now());
        await scheduler?.stop();
        unsubscribeLoops?.();
        await filer?.stop();
        await payouts?.stop();
        hub.closeAll();
        const appClosed = app?.close();
        if (app && appClosed && !(await within(appClosed, left()))) {
          logger.warn({ shutdownTimeoutMs: config.shutdownTimeoutMs }, 'requests still in flight at the shutdown bound were cut');
          app.server.closeAllConnections();
          await appClosed;
        }
        await rateLimitStore?.redis.quit();
        await probe?.close();
        await webhooks?.stop();
        await eventBridge?.stop();
        await engine.stop(left());
        unsubscribe?.();
        await bus.close();
        await setup?.close();
        await database.close();
      })();
      return closing;
    },
  };
}
