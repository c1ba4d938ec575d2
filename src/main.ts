// The composition root: builds configuration, database, the providers (Amazon and Stripe, or
// their bundled simulators), the phase capabilities, queue, bus, engine, the claim loops and HTTP,
// and hands each piece what it needs. Nothing else constructs infrastructure. Everything started
// goes on one list (lifecycle.ts) that one teardown stops in reverse within SHUTDOWN_TIMEOUT_MS.
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { VERSION } from './version.js';
import { reachAmazon, type ReachedAmazon } from './amazon/reach-amazon.js';
import { systemClock } from './amazon/clock.js';
import { RateLimiter } from './amazon/rate-limit.js';
import { billingCapability } from './billing/capability.js';
import { billingRoutes } from './billing/routes.js';
import { setupStripe, type ReachedStripe } from './billing/setup.js';
import type { Config } from './config/config.js';
import { checkRole, StartupError, type Role } from './config/role.js';
import { resolveSecrets, type Secrets } from './config/secrets.js';
import { connectRoutes } from './connect/routes.js';
import { sellerRoutes } from './connect/seller-routes.js';
import { dashboardNotFoundPage, dashboardRoutes, DEFAULT_WEB_DIR, PAGE_TOKEN_TTL_SECONDS, webRoutes } from './dashboard/index.js';
import { detectionCapability, lastCompleteDay } from './detection/detect-claims.js';
import { evidenceCapability } from './evidence/capability.js';
import { offThreadReader, type EvidenceReader } from './evidence/read/read-off-thread.js';
import { evidenceRoutes } from './evidence/routes.js';
import { channelKind, simulatorChannel, type ClaimsChannel } from './filing/channel.js';
import { createFiler, type Filer } from './filing/file-claims.js';
import { holdRoutes } from './filing/hold-routes.js';
import { kitRoutes } from './filing/kit-routes.js';
import { filingRoutes } from './filing/routes.js';
import { replyRoutes } from './filing/reply-routes.js';
import { createAuth, type Auth } from './http/auth.js';
import { SESSION_SWEEP_MS, startSessionSweep, type SessionSweep } from './http/session-sweep.js';
import { buildApp, type AppDeps } from './http/app.js';
import { startProbeServer } from './http/probe-server.js';
import { dependenciesAnswer } from './http/routes/ops.js';
import { createRateLimitStore } from './http/rate-limit-store.js';
import { databaseSessions } from './http/sessions.js';
import { learningCapability } from './learning/capability.js';
import { learnedRates } from './learning/learned-rates.js';
import { learningRoutes } from './learning/model-routes.js';
import { lifecycle, type Lifecycle } from './lifecycle.js';
import { eventMirror } from './mirror/index.js';
import { createLogger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { createPayoutMonitor, type PayoutMonitor } from './payouts/monitor.js';
import { payoutsCapability } from './payouts/capability.js';
import { proofCapability } from './proof/capability.js';
import { proofRoutes } from './proof/routes.js';
import { createReminderLoop, type ReminderLoop } from './reminders/remind.js';
import { reminderRoutes } from './reminders/routes.js';
import { smtpMailer } from './reminders/send-mail.js';
import { createBullMqQueue } from './queue/bullmq-queue.js';
import { assertRedisReachable } from './queue/redis-reachable.js';
import { within, type JobQueue } from './queue/job-queue.js';
import { createPostgresQueue } from './queue/postgres-queue.js';
import { createLocalBus, createRedisBus, type MessageBus } from './realtime/bus.js';
import { createSocketGate } from './realtime/gate.js';
import { createHub, sessionEnded } from './realtime/hub.js';
import { routingCapability, routingThresholds } from './routing/capability.js';
import { createSecretBox, parseKeys, type SecretBox } from './security/secret-box.js';
import { checkEncryptionKeys } from './security/key-check.js';
import type { UsagePlanOverrides } from './simulator/server/index.js';
import { migrationNotice, openDatabase, type Database } from './store/db.js';
import { workflowHealth } from './store/read-status.js';
import { syncCapability } from './sync/capability.js';
import { createSyncScheduler } from './sync/schedule.js';
import { storeCosts } from './sync/seller-files.js';
import { unavailableCapabilities, type Capabilities } from './workflow/capabilities.js';
import { createEngine, type Engine } from './workflow/engine.js';
import type { Log } from './workflow/log.js';
import { createPhaseHandlers, startLoops, type StartedLoops } from './workflow/steps.js';

export { StartupError, type Role } from './config/role.js';

/** Start-up was stopped on request (ClarioOptions.signal) before it finished; what it had started is stopped. */
export class StartupAbortedError extends Error {
  override readonly name = 'StartupAbortedError';
}

export interface ClarioOptions {
  readonly config: Config;
  readonly role?: Role;
  /**
   * The phase capabilities a test brings instead of the real ones. Then Amazon and Stripe are only
   * what it brings too (`amazon`, `stripe`): without them their routes answer 503, and the loops
   * that call Amazon (sync schedule, filing, payouts) do not run.
   */
  readonly capabilities?: Capabilities;
  /** Amazon as a test brings it (e.g. the bundled simulator it started); by default reached from config. */
  readonly amazon?: ReachedAmazon;
  /** Stripe as a test brings it (a gateway to its Stripe simulator); by default reached from config. */
  readonly stripe?: ReachedStripe;
  /** How uploaded evidence is read; by default each file in a worker thread of its own, bounded by config. */
  readonly evidenceReader?: EvidenceReader;
  readonly logger?: Logger;
  /** Listen on config.port (default true); tests use app.inject or port 0. */
  readonly listen?: boolean;
  /** Routes a test adds to the product's own (every product route is in `productRoutes`). */
  readonly plugins?: AppDeps['plugins'];
  /** Run the event mirror's delivery loops (webhooks, EventBridge) in worker processes (default true); tests drive their own. */
  readonly deliverWebhooks?: boolean;
  /** The built dashboard (default dist/web). */
  readonly webDir?: string;
  /** Epoch ms for sessions (tests move time); Date.now by default. */
  readonly now?: () => number;
  /**
   * Aborted when the process is told to stop while starting (a SIGTERM during migrations): start-up
   * stops at its next step, stops what it started, and rejects with StartupAbortedError.
   */
  readonly signal?: AbortSignal;
  /**
   * The bundled Amazon simulator's usage plans where they differ from Amazon's defaults (the
   * client follows the rate each answer announces): tests page Finances faster than 0.5 calls a second.
   */
  readonly simulatorUsagePlans?: UsagePlanOverrides;
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
  /** A worker's port (GET /healthz, /readyz and, for the service token, /metrics), when listening. */
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
  /** The reminders loop (worker processes with the real capabilities). */
  readonly reminders: ReminderLoop | undefined;
  /** Closes the WebSockets of ended sessions (API processes); tests nudge it. */
  readonly sessionSweep: SessionSweep | undefined;
  close(): Promise<void>;
}

export { VERSION };

/** Amazon and Stripe (or their simulators), each absent when a test brings its capabilities and not it. */
interface Providers {
  readonly amazon: ReachedAmazon | undefined;
  readonly stripe: ReachedStripe | undefined;
}

/** The real capabilities and the claims channel, built on Amazon and Stripe. */
interface RealCapabilities {
  readonly amazon: ReachedAmazon;
  readonly capabilities: Capabilities;
  readonly channel: ClaimsChannel;
}

export async function startClario(options: ClarioOptions): Promise<Clario> {
  const { config } = options;
  const role = options.role ?? 'all';
  const logger = options.logger ?? createLogger(config.logLevel);
  checkRole(config, role);
  // Between steps only: a step under way (a migration) is not cut, so it never stops half done.
  const stillStarting = () => {
    if (options.signal?.aborted) throw new StartupAbortedError('start-up was stopped before it finished');
  };
  stillStarting();
  if (config.mode === 'production' && !(config.secrets.serviceToken && config.secrets.sessionSecret && config.secrets.encryptionKeys)) {
    // Several processes must share these, or one cannot open what another sealed or signed.
    logger.warn('CLARIO_SERVICE_TOKEN, CLARIO_SESSION_SECRET or CLARIO_ENCRYPTION_KEYS is not set; using the data directory\'s, which other machines do not share (a process with other encryption keys is refused at start)');
  }
  if (config.mode === 'production' && !config.billing.stripe && role !== 'api') {
    logger.warn('STRIPE_API_KEY is not set: this process charges fees at a bundled Stripe simulator of its own, which knows only the customers it made; several workers need one Stripe (`clario simulator` serves one and prints its STRIPE_ settings)');
  }
  const secrets = resolveSecrets(config);
  const keys = parseKeys(secrets.encryptionKeys);
  const box = createSecretBox(keys);
  // Before anything opens: a REDIS_URL nobody answers at stops here, in one line.
  if (config.redisUrl) await assertRedisReachable(config.redisUrl);
  stillStarting();
  const running = lifecycle(logger);
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    onMigrations: (pending) => logger.info(`database: ${migrationNotice(pending)}`),
  });
  running.started('database', () => database.close());
  try {
    // Before anything is sealed or opened: keys other processes do not share stop this one here.
    await checkEncryptionKeys(database.db, keys);
    stillStarting();
    let url: string | undefined;
    const publicUrl = () => config.publicUrl ?? url ?? `http://${config.host}:${config.port}`;
    // Tests bring their own capabilities (and Amazon or Stripe if they want them); otherwise the
    // real ones, against Amazon and Stripe or their simulators.
    const providers = await reachProviders({ config, options, log: logger, publicUrl, running });
    stillStarting();
    const real = options.capabilities ? undefined : realCapabilities({ config, database, box, amazon: providers.amazon, stripe: providers.stripe });

    const queueLog = { error: (obj: object, msg: string) => logger.error(obj, msg) };
    const queue: JobQueue =
      config.queue.driver === 'bullmq' && config.redisUrl
        ? createBullMqQueue({ redisUrl: config.redisUrl, prefix: config.queue.prefix, log: queueLog, lockMs: config.worker.leaseMs })
        : createPostgresQueue(database, { pollMs: config.worker.pollMs, log: queueLog, channel: `${config.queue.prefix}_inbox` });
    const bus: MessageBus =
      config.mode === 'production' && config.redisUrl
        ? createRedisBus(config.redisUrl, `${config.queue.prefix}:messages`, (err) => logger.error({ err }, 'message bus error'))
        : createLocalBus();
    running.started('message bus', () => bus.close());
    const sessions = databaseSessions(() => database.db);
    const auth = createAuth({
      serviceToken: secrets.serviceToken,
      sessionSecret: secrets.sessionSecret,
      sessions,
      maxAgeSeconds: config.sessionMaxAgeSeconds,
      ...(options.now ? { now: options.now } : {}),
      // Every API process closes the sockets the session opened; the sweep catches a lost message.
      onRevoked: (sessionId) => bus.publish([sessionEnded(sessionId)]).catch((err: unknown) => logger.error({ err }, 'could not announce a sign-out to the WebSocket hubs')),
    });
    const metrics = createMetrics();
    metrics.watchQueue(queue);
    metrics.watchWorkflow(() => workflowHealth(database.db));
    // The loops start after the engine (they trigger phases through it); a phase's hand-off reaches them once they run.
    let loops: StartedLoops | undefined;
    const engine = createEngine({
      database,
      queue,
      bus,
      handlers: createPhaseHandlers(options.capabilities ?? real?.capabilities ?? unavailableCapabilities(), {
        waitForFilingMs: Math.min(config.worker.retryMaxMs, config.worker.retryBaseMs * 10),
        payoutLimits: { tolerancePercent: config.billing.payoutTolerancePercent, maxMinor: config.billing.payoutMaxMinor },
      }),
      handOff: (step) => loops?.handOff(step),
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
    engine.startRelay();
    // One stop for the relay and the worker: attempts still running when the bound is reached are handed back.
    running.started('engine', (graceMs) => engine.stop(graceMs));

    const mirror = eventMirror({ database, secrets, log: logger, destinations: { allowInsecure: config.webhooks.allowInsecure } });
    const hub = createHub({ maxPerUser: config.edge.wsMaxConnectionsPerUser });
    metrics.watchClients(() => hub.count());
    let app: FastifyInstance | undefined;
    let sessionSweep: SessionSweep | undefined;
    if (role !== 'worker') {
      const unsubscribeHub = await bus.subscribe((messages) => hub.deliver(messages));
      running.started('WebSocket hub', unsubscribeHub);
      sessionSweep = startSessionSweep({
        hub,
        sessions,
        intervalMs: SESSION_SWEEP_MS,
        ...(options.now ? { now: options.now } : {}),
        onError: (err) => logger.error({ err }, 'WebSocket session sweep failed'),
      });
      const sweep = sessionSweep;
      running.started('WebSocket session sweep', () => sweep.stop());
      const rateLimitStore = config.redisUrl
        ? createRateLimitStore(config.redisUrl, config.queue.prefix, (err) => logger.error({ err }, 'rate-limit store (Redis) error'))
        : undefined;
      if (rateLimitStore) {
        running.started('rate-limit store', async () => {
          await rateLimitStore.close();
          await rateLimitStore.redis.quit();
        });
      }
      const gate = createSocketGate({
        maxConnections: config.edge.wsMaxConnections,
        maxPerUser: config.edge.wsMaxConnectionsPerUser,
        onRefused: (reason) => metrics.websocketRefused(reason),
      });
      metrics.watchSockets(() => gate.open());
      const built = await buildApp({
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
        notFoundPage: dashboardNotFoundPage(options.webDir ?? DEFAULT_WEB_DIR),
        plugins: [...productRoutes({ config, database, engine, auth, box, hub, mirror, providers, log: logger, publicUrl, webDir: options.webDir, evidenceReader: options.evidenceReader, now: options.now }), ...(options.plugins ?? [])],
      });
      app = built;
      // Requests first (new ones are refused with a 503 while closing); those still in flight at the bound are cut.
      running.started('HTTP', async (graceMs) => {
        hub.closeAll();
        const closed = built.close();
        if (!(await within(closed, graceMs))) {
          logger.warn({ shutdownTimeoutMs: config.shutdownTimeoutMs }, 'requests still in flight at the shutdown bound were cut');
          built.server.closeAllConnections();
        }
        await closed;
      });
      stillStarting();
      if (options.listen !== false) {
        const address = await built.listen({ port: config.port, host: config.host });
        url = config.publicUrl ?? address;
      }
    }
    // A worker's port: its probes, and the metrics of the phases it runs (for the service token).
    const probe =
      role === 'worker' && options.listen !== false
        ? await startProbeServer({
            port: config.port,
            host: config.host,
            registry: metrics.registry,
            authenticate: (token) => auth.authenticate(token),
            ready: () => dependenciesAnswer(database.db, queue),
            log: logger,
          })
        : undefined;
    if (probe) running.started('probe', () => probe.close());

    let filer: Filer | undefined;
    let payouts: PayoutMonitor | undefined;
    let reminders: ReminderLoop | undefined;
    stillStarting();
    if (role !== 'api') {
      await engine.startWorker();
      // Only with the real capabilities: tests that bring their own sync nothing on a schedule and file nothing.
      if (real) {
        const scheduler = createSyncScheduler({ database, engine, intervalHours: config.amazon.syncIntervalHours, log: logger });
        scheduler.start();
        running.started('sync schedule', () => scheduler.stop());
        const f = config.filing;
        const loopDeps = { database, engine, channel: real.channel, log: logger };
        filer = createFiler({ ...loopDeps, maxItemsPerCase: f.maxItemsPerCase, maxCasesPerDay: f.maxCasesPerDay, intervalMs: f.intervalMs, approval: f.approval });
        payouts = createPayoutMonitor({ ...loopDeps, intervalMs: f.payoutsIntervalMs });
        const r = config.reminders;
        // The service's clock (tests and the demo move it), as File today reads it.
        const clock = options.now;
        const mailer = r.email.smtp ? smtpMailer({ smtp: r.email.smtp, from: r.email.from, timeoutMs: config.providerTimeoutMs }) : undefined;
        if (mailer) running.started('reminder e-mail', () => mailer.close());
        reminders = createReminderLoop({
          database,
          log: logger,
          intervalMs: r.intervalMs,
          followUpDays: f.followUpDays,
          reopenNudgeDays: r.reopenNudgeDays,
          ...(mailer ? { mail: { mailer, operatorTo: r.email.operatorTo, publicUrl, openToken: (sealed: string, context: string) => box.open(sealed, context) } } : {}),
          afterCommit: () => void engine.drainOutbox(),
          ...(clock ? { now: () => new Date(clock()) } : {}),
        });
        const started = await startLoops({ filing: filer, payouts, reminders }, { bus, onCaseDecided: (l) => real.amazon.onCaseDecided(l) });
        loops = started;
        running.started('claim loops', () => started.stop());
      }
      if (options.deliverWebhooks !== false) {
        const webhooks = mirror.delivery();
        webhooks.start();
        running.started('webhook delivery', (graceMs) => webhooks.stop(graceMs));
        if (config.eventBridge) {
          const eventBridge = mirror.eventBridge(config.eventBridge);
          eventBridge.start();
          running.started('EventBridge delivery', (graceMs) => eventBridge.stop(graceMs));
        }
      }
      // Last started, so first stopped: once a shutdown begins this process starts no more phases,
      // while the loops and deliveries above take their time to stop.
      running.started('taking work', () => engine.stopTaking());
    }

    stillStarting();
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
      amazon: providers.amazon?.description,
      simulatorUrl: providers.amazon?.simulator?.url,
      stripe: providers.stripe?.description,
      filer,
      payouts,
      reminders,
      sessionSweep,
      close() {
        closing ??= running.stopAll(config.shutdownTimeoutMs);
        return closing;
      },
    };
  } catch (err) {
    // Each failure to stop is logged by the lifecycle; the start-up error is the one to report.
    await running.stopAll(config.shutdownTimeoutMs).catch(() => undefined);
    throw err;
  }
}

/**
 * Amazon and Stripe: those the caller brings (it closes them), else reached from config (Amazon or
 * the bundled simulator, Stripe or its simulator) unless the caller brings its own capabilities.
 */
async function reachProviders(deps: { config: Config; options: ClarioOptions; log: Log; publicUrl: () => string; running: Lifecycle }): Promise<Providers> {
  const { config, options, running } = deps;
  const own = options.capabilities === undefined;
  let amazon = options.amazon;
  if (!amazon && own) {
    const reached = await reachAmazon({ config, log: deps.log, asOf: lastCompleteDay(), ...(options.simulatorUsagePlans ? { simulatorUsagePlans: options.simulatorUsagePlans } : {}) });
    running.started('Amazon', () => reached.close());
    amazon = reached;
  }
  let stripe = options.stripe;
  if (!stripe && own) {
    const reached = await setupStripe({ config: config.billing, timeoutMs: config.providerTimeoutMs, log: deps.log, publicUrl: deps.publicUrl });
    running.started('Stripe', () => reached.close());
    stripe = reached;
  }
  return { amazon, stripe };
}

/** Every phase capability, built on Amazon and Stripe. */
function realCapabilities(deps: { config: Config; database: Database; box: SecretBox; amazon: ReachedAmazon | undefined; stripe: ReachedStripe | undefined }): RealCapabilities {
  const { config, database, box, amazon, stripe } = deps;
  // reachProviders reaches both whenever the capabilities are the real ones.
  if (!amazon || !stripe) throw new StartupError('the real capabilities need Amazon and Stripe');
  const { lwa, spApiUrl, simulator } = amazon;
  // Amazon takes minutes over a report (the client's defaults then); the simulator, moments.
  const firstPollMs = config.amazon.reportPollMs ?? (simulator ? 50 : undefined);
  const learned = learnedRates;
  const capabilities: Capabilities = {
    sync: syncCapability({
      database,
      box,
      lwa,
      spApiUrl,
      limiter: new RateLimiter(systemClock),
      timeoutMs: config.providerTimeoutMs,
      reportPoll: firstPollMs === undefined ? undefined : { initialIntervalMs: firstPollMs, maxIntervalMs: firstPollMs * 12 },
    }),
    detection: detectionCapability({ db: database.db, asOf: lastCompleteDay }),
    evidence: evidenceCapability({ learned }),
    routing: routingCapability({ thresholds: routingThresholds(config.routing), learned }),
    payouts: payoutsCapability(),
    learning: learningCapability(),
    settlement: billingCapability({ gateway: stripe.gateway, box, feeRateBp: config.billing.feeRateBp }),
    proof: proofCapability(),
  };
  const channel: ClaimsChannel =
    channelKind(config.filing.channel, simulator !== undefined) === 'simulator' ? simulatorChannel({ db: database.db, box, lwa, spApiUrl, timeoutMs: config.providerTimeoutMs }) : { kind: 'manual' };
  return { amazon, capabilities, channel };
}

/** Every route of the product, in one list, whatever was injected: without Amazon or Stripe theirs answer 503. */
function productRoutes(deps: {
  config: Config;
  database: Database;
  engine: Engine;
  auth: Auth;
  box: SecretBox;
  hub: ReturnType<typeof createHub>;
  mirror: ReturnType<typeof eventMirror>;
  providers: Providers;
  log: Log;
  publicUrl: () => string;
  webDir: string | undefined;
  evidenceReader: EvidenceReader | undefined;
  /** Epoch ms: what day it is for File today (tests move time). */
  now: (() => number) | undefined;
}): NonNullable<AppDeps['plugins']> {
  const { config, database, engine } = deps;
  const { amazon, stripe } = deps.providers;
  const db = database.db;
  const clock = deps.now;
  return [
    sellerRoutes(db),
    filingRoutes({ db, engine }),
    holdRoutes({ db, learned: learnedRates, thresholds: routingThresholds(config.routing), afterCommit: () => void engine.drainOutbox() }),
    replyRoutes({ db, engine }),
    kitRoutes({ db, ...(clock ? { now: () => new Date(clock()) } : {}) }),
    deps.mirror.routes,
    learningRoutes(db),
    proofRoutes(db),
    reminderRoutes({ db, box: deps.box, now: () => (clock ? new Date(clock()) : new Date()) }),
    dashboardRoutes({ db, hub: deps.hub, auth: deps.auth, pageTokenTtlSeconds: PAGE_TOKEN_TTL_SECONDS }),
    webRoutes(deps.webDir ?? DEFAULT_WEB_DIR),
    evidenceRoutes({
      db,
      learned: learnedRates,
      thresholds: routingThresholds(config.routing),
      maxFileBytes: config.evidence.maxFileBytes,
      maxRequestBytes: config.evidence.maxRequestBytes,
      reader: deps.evidenceReader ?? offThreadReader(config.evidence.read),
      defaultCurrency: config.evidence.defaultCurrency,
      // An upload or an answer commits outbox rows outside a phase: sent on at once.
      afterCommit: () => void engine.drainOutbox(),
    }),
    connectRoutes({
      database,
      engine,
      auth: deps.auth,
      box: deps.box,
      amazon: amazon && { lwa: amazon.lwa, applicationId: amazon.applicationId, beta: amazon.simulator !== undefined },
      region: config.amazon.region,
      marketplaceIds: config.amazon.marketplaceIds,
      publicUrl: deps.publicUrl,
      afterConnect: amazon && demoCosts(database, amazon),
    }),
    billingRoutes({ db: () => db, box: deps.box, gateway: stripe?.gateway, log: deps.log }),
  ];
}

/** The demo seller's unit costs come with it, as a real seller would upload theirs. */
function demoCosts(database: Database, amazon: ReachedAmazon): ((userId: string, partner: string) => Promise<void>) | undefined {
  const demo = amazon.simulator;
  if (!demo) return undefined;
  return async (userId, partner) => {
    if (partner === demo.sellingPartnerId) await storeCosts(database.db, userId, await readFile(demo.costsFile, 'utf8'));
  };
}
