// Starts a real Clario (HTTP on a random loopback port) for end-to-end tests, on PGlite or on a
// fresh PostgreSQL database, with the postgres or bullmq queue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { startClario, type Clario, type ClarioOptions, type Role } from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';
import type { UsagePlanOverrides } from '../../src/simulator/server/index.js';
import type { Capabilities } from '../../src/workflow/capabilities.js';
import { TEST_USAGE_PLANS } from './amazon-plans.js';
import { createTestDatabase, randomName, redis, seedPglite, type TestDatabase } from './infra.js';

export interface TestClarioOptions {
  readonly store?: 'pglite' | 'postgres';
  readonly queue?: 'postgres' | 'bullmq';
  readonly capabilities?: Capabilities;
  /** Amazon and Stripe a test brings (with its own capabilities, they are otherwise absent: their routes answer 503). */
  readonly amazon?: ClarioOptions['amazon'];
  readonly stripe?: ClarioOptions['stripe'];
  /** How uploads are read (default: a worker thread per file). */
  readonly evidenceReader?: ClarioOptions['evidenceReader'];
  readonly env?: Record<string, string>;
  readonly role?: Role;
  /** Share a database already created (several processes on one database). */
  readonly database?: TestDatabase;
  /** Receives the service's log lines (JSON), at debug level (request lines included). */
  readonly logs?: string[];
  /** False: no webhook delivery loop (the mirror's tests drive delivery themselves). */
  readonly deliverWebhooks?: boolean;
  /** Routes a test capability brings (billing's webhook and statement). */
  readonly plugins?: ClarioOptions['plugins'];
  /** The built dashboard to serve (default dist/web). */
  readonly webDir?: string;
  /** The sessions' clock (epoch ms), for tests that move time. */
  readonly now?: () => number;
  /** The bundled Amazon's usage plans above its defaults (default: TEST_USAGE_PLANS). */
  readonly simulatorUsagePlans?: UsagePlanOverrides;
}

export interface TestClario {
  readonly clario: Clario;
  readonly url: string;
  readonly serviceToken: string;
  readonly env: Record<string, string>;
  sellerToken(userId: string): Promise<string>;
  request(path: string, init?: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** The encryption key of test processes (a test of keys sets its own). */
export const TEST_ENCRYPTION_KEYS = `test:${Buffer.alloc(32, 7).toString('base64')}`;

export async function startTestClario(o: TestClarioOptions = {}): Promise<TestClario> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clario-test-'));
  const ownDatabase = o.store === 'postgres' && !o.database ? await createTestDatabase() : undefined;
  const database = o.database ?? ownDatabase;
  if (!database && !o.env?.DATABASE_URL) seedPglite(dataDir);
  const env: Record<string, string> = {
    PORT: '0',
    CLARIO_DATA_DIR: dataDir,
    CLARIO_SERVICE_TOKEN: `svc_${randomBytes(24).toString('hex')}`,
    CLARIO_SESSION_SECRET: randomBytes(32).toString('hex'),
    // One key for every test process, as every process of one deployment shares one: processes
    // sharing a database with keys of their own are refused at start (key-check.ts).
    CLARIO_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    QUEUE_PREFIX: randomName('cq'),
    WORKFLOW_RETRY_BASE_MS: '20',
    WORKFLOW_RETRY_MAX_MS: '200',
    WORKFLOW_LEASE_MS: '3000',
    WORKFLOW_POLL_MS: '25',
    WORKFLOW_MAX_ATTEMPTS: '3',
    // Tests play Amazon themselves (POST /cases/:id/decision); the demo's own answers would race them.
    AMAZON_SIMULATOR_DECIDES_AFTER_MS: '0',
    // Tests poll; the limits themselves are tested in rate-limit.test.ts.
    RATE_LIMIT_SELLER_PER_MINUTE: '1000000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
    LOG_LEVEL: 'silent',
    // A test closes Clario once it has seen what it waited for; work still running then (a demo
    // seller's rate-limited sync) is handed back at once instead of drained for 25 s. Tests of
    // the shutdown bound itself set their own.
    SHUTDOWN_TIMEOUT_MS: '0',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...(o.queue === 'bullmq' ? { REDIS_URL: redis.url, QUEUE_DRIVER: 'bullmq' } : { QUEUE_DRIVER: 'postgres' }),
    ...o.env,
  };
  const config = loadConfig(env);
  const clario = await startClario({
    config,
    role: o.role ?? 'all',
    capabilities: o.capabilities,
    ...(o.amazon ? { amazon: o.amazon } : {}),
    ...(o.stripe ? { stripe: o.stripe } : {}),
    ...(o.evidenceReader ? { evidenceReader: o.evidenceReader } : {}),
    ...(o.deliverWebhooks === false ? { deliverWebhooks: false } : {}),
    ...(o.plugins ? { plugins: o.plugins } : {}),
    ...(o.webDir ? { webDir: o.webDir } : {}),
    ...(o.now ? { now: o.now } : {}),
    simulatorUsagePlans: o.simulatorUsagePlans ?? TEST_USAGE_PLANS,
    logger: o.logs
      ? createLogger('debug', { write: (line: string) => (o.logs?.push(line), true) } as unknown as NodeJS.WritableStream)
      : pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  const url = clario.url ?? '';
  const serviceToken = env.CLARIO_SERVICE_TOKEN ?? '';
  return {
    clario,
    url,
    serviceToken,
    env,
    sellerToken: (userId) => clario.auth.issueSellerToken(userId, 3600),
    async request(path, init = {}) {
      const token = init.token === undefined ? serviceToken : init.token;
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      if (token) headers.authorization = `Bearer ${token}`;
      if (init.body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(`${url}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers,
        body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON; keep the text
      }
      return { status: res.status, body: body as any };
    },
    async close() {
      await clario.close();
      await ownDatabase?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
