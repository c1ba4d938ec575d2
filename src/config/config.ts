// Configuration is parsed once, here, into a frozen typed object. Nothing else reads process.env.
import { z } from 'zod';
import { isCurrency, type Currency } from '../domain/money.js';
import { DEFAULT_PAYOUT_LIMITS } from '../domain/payout-check.js';
import { parseKeys } from '../security/secret-box.js';
import { TrustProxySchema, type TrustProxy } from './trust-proxy.js';

/** Where reminder e-mail goes out: SMTP_URL, read into its parts. */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** smtps:// (TLS from the first byte, usually port 465); smtp:// upgrades with STARTTLS when offered. */
  readonly secure: boolean;
  readonly auth: { readonly user: string; readonly pass: string } | undefined;
}

const SMTP_URL_HELP = 'must look like smtp://user:password@host:587 or smtps://user:password@host:465 (user and password percent-encoded; no path or query)';

/** SMTP_URL's parts, or undefined when it is not a plain smtp:// or smtps:// URL. */
export function parseSmtpUrl(value: string): SmtpSettings | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname || (url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) return undefined;
  const secure = url.protocol === 'smtps:';
  try {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : secure ? 465 : 587, secure, auth: user || pass ? { user, pass } : undefined };
  } catch {
    return undefined;
  }
}

const EMAIL = z.email().max(254);

/** A comma-separated list of addresses, or undefined when one of them is not an address. */
function emailList(value: string): string[] | undefined {
  const list = value.split(',').map((a) => a.trim()).filter((a) => a !== '');
  return list.length > 0 && list.every((a) => EMAIL.safeParse(a).success) ? list : undefined;
}

// Numbers are written in decimal digits: z.coerce took ' ' as 0 (PORT=' ' listened on a random
// port), 0x1068 as 4200 and 1e3 as 1000.
const digits = z.string().trim().regex(/^\d+$/, 'a whole number in decimal digits').transform(Number);
const decimal = z.string().trim().regex(/^\d+(\.\d+)?$/, 'a number in decimal digits, such as 0.5').transform(Number);

const int = (def: number, min = 0) => digits.pipe(z.number().min(min).max(Number.MAX_SAFE_INTEGER)).default(def);

/**
 * The longest delay Node's timers keep (2^31-1 ms, about 24.8 days): a longer one fires after
 * 1 ms, so a 30-day attempt timeout timed every attempt out at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Milliseconds that end in a timer: at most `max` (MAX_TIMER_MS, or less when the code multiplies it). */
const ms = (def: number, min: number, max = MAX_TIMER_MS) =>
  int(def, min).pipe(z.number().max(max, max === MAX_TIMER_MS ? `at most ${MAX_TIMER_MS} ms (about 24.8 days: the longest timer Node keeps)` : `at most ${max} ms`));

/** Days and hours go into date arithmetic: past about 100 years a date is no longer one. */
const days = (def: number) => decimal.pipe(z.number().max(36_500, 'at most 36500 (100 years)')).default(def);

const PERCENT_ENCODE = 'percent-encode a /, ?, # or @ in the user name or password (%2F, %3F, %23, %40)';

/**
 * The database and Redis addresses: a URL of one of `protocols`, whose credentials are where they
 * belong, and whatever else `path` checks. Said without repeating the value, which holds the
 * password: an unencoded '/', '?' or '#' in it ends the host part early, so that what reads as
 * host, port and path is partly the password (and start-up's "cannot connect" line printed it).
 */
const serverUrl = (protocols: readonly string[], kind: string, path?: { ok: (pathname: string) => boolean; message: string }) => (value: string, ctx: z.RefinementCtx): void => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: value.includes('@') ? `must be ${kind} URL; ${PERCENT_ENCODE}` : `must be ${kind} URL` });
    return;
  }
  if (!protocols.includes(url.protocol)) ctx.addIssue({ code: 'custom', message: `must be ${kind} URL` });
  else if (`${url.pathname}${url.search}${url.hash}`.includes('@')) ctx.addIssue({ code: 'custom', message: `its user name or password is not percent-encoded, so the URL does not read as written: ${PERCENT_ENCODE}` });
  else if (path && !path.ok(url.pathname)) ctx.addIssue({ code: 'custom', message: path.message });
};

const OTLP_HELP = 'must be an http:// or https:// URL (an OTLP/HTTP collector, e.g. http://otel-collector:4318)';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Checked here, with every other problem, rather than when the first secret is sealed. */
function validKeys(value: string, ctx: z.RefinementCtx): void {
  // parseKeys skips empty entries; here they are mistakes (a key lost in an edit), said as such.
  if (value.split(',').some((entry) => entry.trim() === '')) {
    ctx.addIssue({ code: 'custom', message: 'an empty entry (a comma too many): keys are kid:base64, separated by single commas' });
    return;
  }
  try {
    parseKeys(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
  }
}
const unit = (def: number) => decimal.pipe(z.number().max(1)).default(def);

/** Real Amazon takes all three; the bundled simulator none. */
const AMAZON_CREDENTIALS = ['AMAZON_LWA_CLIENT_ID', 'AMAZON_LWA_CLIENT_SECRET', 'AMAZON_SP_APP_ID'] as const;

const EnvSchema = z
  .object({
    PORT: int(3001, 0).pipe(z.number().max(65535)),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: z.url().optional(),
    CLARIO_DATA_DIR: z.string().min(1).default('./.clario'),
    DATABASE_URL: z.string().min(1).superRefine(serverUrl(['postgres:', 'postgresql:'], 'a postgres://')).optional(),
    REDIS_URL: z
      .string()
      .min(1)
      // ioredis would SELECT whatever the path holds: "/abc" as NaN, which crashes the process.
      .superRefine(serverUrl(['redis:', 'rediss:'], 'a redis:// or rediss://', { ok: (p) => /^(\/\d*)?$/.test(p), message: 'its path must be a database number, as in redis://host:6379/0' }))
      .optional(),
    QUEUE_DRIVER: z.enum(['postgres', 'bullmq']).optional(),
    QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('clario'),
    CLARIO_SERVICE_TOKEN: z.string().min(32, 'CLARIO_SERVICE_TOKEN must be at least 32 characters').optional(),
    CLARIO_SESSION_SECRET: z.string().min(32, 'CLARIO_SESSION_SECRET must be at least 32 characters').optional(),
    CLARIO_ENCRYPTION_KEYS: z.string().min(1).superRefine(validKeys).optional(),
    AMAZON_LWA_CLIENT_ID: z.string().min(1).optional(),
    AMAZON_LWA_CLIENT_SECRET: z.string().min(1).optional(),
    AMAZON_SP_APP_ID: z.string().min(1).optional(),
    AMAZON_REGION: z.enum(['na', 'eu', 'fe']).default('na'),
    AMAZON_SP_API_URL: z.url().optional(),
    // The wait grows to 12× the first one (see reportPoll in main.ts).
    AMAZON_REPORT_POLL_MS: digits.pipe(z.number().min(10).max(Math.floor(MAX_TIMER_MS / 12), `at most ${Math.floor(MAX_TIMER_MS / 12)} ms (it grows to 12 times this, and Node keeps no longer timer)`)).optional(),
    AMAZON_SIMULATOR_DECIDES_AFTER_MS: ms(20_000, 0),
    AMAZON_LWA_TOKEN_URL: z.url().optional(),
    AMAZON_LWA_AUTHORIZE_URL: z.url().optional(),
    AMAZON_LWA_PROFILE_URL: z.url().optional(),
    AMAZON_CONSENT_URL: z.url().optional(),
    AMAZON_MARKETPLACE_IDS: z.string().regex(/^[A-Z0-9]+(,[A-Z0-9]+)*$/).default('ATVPDKIKX0DER'),
    AMAZON_SYNC_INTERVAL_HOURS: decimal.pipe(z.number().max(876_000, 'at most 876000 (100 years)')).default(24),
    // Read by the OpenTelemetry exporter itself (tracing.ts); checked here, or a mistyped one drops every span without a word.
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().refine(isHttpUrl, OTLP_HELP).optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().refine(isHttpUrl, OTLP_HELP).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    WORKER_CONCURRENCY: int(8, 1),
    WORKFLOW_MAX_ATTEMPTS: int(5, 1),
    WORKFLOW_RETRY_BASE_MS: ms(1000, 1),
    WORKFLOW_RETRY_MAX_MS: ms(300_000, 1),
    WORKFLOW_LEASE_MS: ms(30_000, 500),
    // A sync of a large seller against real Amazon can take hours; a hung attempt must not hold its event for ever.
    WORKFLOW_ATTEMPT_TIMEOUT_MS: ms(6 * 60 * 60_000, 1_000),
    WORKFLOW_POLL_MS: ms(500, 10),
    // One HTTP exchange with Amazon, Login with Amazon, Stripe or the case API; past it the call fails and its caller's retry rules apply.
    PROVIDER_TIMEOUT_MS: ms(30_000, 50),
    // How long a stop waits for requests and phase attempts before cutting the first and handing the second back.
    SHUTDOWN_TIMEOUT_MS: ms(25_000, 0),
    ROUTING_AUTO_SUBMIT: unit(0.85),
    ROUTING_SMART_PROMPT: unit(0.5),
    CLAIMS_CHANNEL: z.enum(['auto', 'simulator', 'manual']).default('auto'),
    FILING_MAX_ITEMS_PER_CASE: int(5, 1),
    FILING_MAX_CASES_PER_DAY: int(10, 0),
    FILING_INTERVAL_MS: ms(60_000, 100),
    FILING_FOLLOW_UP_DAYS: days(14),
    // Below this recent approval rate a claim type's new claims are held (0: never).
    FILING_MIN_APPROVAL: unit(0.2),
    FILING_APPROVAL_WINDOW_DAYS: int(90, 1).pipe(z.number().max(36_500, 'at most 36500 (100 years)')),
    FILING_APPROVAL_MIN_DECISIONS: int(5, 1),
    PAYOUTS_INTERVAL_MS: ms(300_000, 100),
    REMINDER_INTERVAL_MS: ms(3_600_000, 100),
    REMINDER_REOPEN_NUDGE_DAYS: days(3),
    // The password is part of the URL: the messages below never repeat the value.
    SMTP_URL: z.string().transform((v, ctx) => parseSmtpUrl(v) ?? (ctx.addIssue({ code: 'custom', message: SMTP_URL_HELP }), z.NEVER)).optional(),
    REMINDER_EMAIL_FROM: z.string().max(320).regex(/^[^\r\n]+@[^\r\n]+$/, 'an address such as "Clario <reminders@example.com>"').optional(),
    REMINDER_EMAIL_TO: z.string().transform((v, ctx) => emailList(v) ?? (ctx.addIssue({ code: 'custom', message: 'a comma-separated list of e-mail addresses' }), z.NEVER)).optional(),
    EVIDENCE_MAX_FILE_BYTES: int(10 * 1024 * 1024, 1),
    EVIDENCE_MAX_REQUEST_BYTES: int(50 * 1024 * 1024, 1),
    EVIDENCE_PDF_MAX_PAGES: int(50, 1),
    EVIDENCE_PDF_MAX_TEXT_ITEMS: int(50_000, 1),
    EVIDENCE_READ_TIMEOUT_MS: ms(30_000, 100),
    EVIDENCE_READ_MAX_MEMORY_MB: int(256, 32),
    EVIDENCE_READ_CONCURRENCY: int(2, 1),
    EVIDENCE_DEFAULT_CURRENCY: z.string().default('USD').refine((c) => isCurrency(c), 'an ISO 4217 currency code such as USD'),
    RATE_LIMIT_SERVICE_PER_MINUTE: int(120_000, 1),
    RATE_LIMIT_SELLER_PER_MINUTE: int(1_200, 1),
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: int(60, 1),
    SESSION_MAX_AGE_SECONDS: int(7 * 24 * 3600, 60).pipe(z.number().max(3_153_600_000, 'at most 3153600000 (100 years)')),
    HTTP_HEADERS_TIMEOUT_MS: ms(10_000, 100),
    HTTP_REQUEST_TIMEOUT_MS: ms(120_000, 100),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: ms(72_000, 100),
    HTTP_IDLE_TIMEOUT_MS: ms(120_000, 100),
    WS_HANDSHAKE_TIMEOUT_MS: ms(10_000, 50),
    WS_MAX_CONNECTIONS: int(10_000, 1),
    WS_MAX_CONNECTIONS_PER_USER: int(20, 1),
    // Development only: webhooks to plain http and to loopback/private addresses (a local receiver).
    WEBHOOK_ALLOW_INSECURE: z.enum(['true', 'false']).default('false'),
    TRUST_PROXY: TrustProxySchema,
    EVENTBRIDGE_BUS: z.string().regex(/^[A-Za-z0-9._\-/:]{1,1600}$/).optional(),
    EVENTBRIDGE_ENDPOINT: z.url().optional(),
    EVENTBRIDGE_REGION: z.string().regex(/^[a-z0-9-]+$/).default('us-east-1'),
    EVENTBRIDGE_SOURCE: z.string().min(1).max(256).default('clario'),
    FEE_RATE_BP: int(2000, 0).pipe(z.number().max(10_000)),
    // Amazon pays at its own valuation, not at the amount the case asked for: the manufacturing
    // cost it holds on file, the refund it issued (with tax and shipping) or its own estimate of the
    // sale price. A claim valued at the seller's cost is often paid somewhat more; far more means
    // the payout was matched to the wrong claim or the line is corrupt, so it waits for an operator.
    PAYOUT_TOLERANCE_PERCENT: int(DEFAULT_PAYOUT_LIMITS.tolerancePercent, 0).pipe(z.number().max(1000)),
    // Above this (minor units, any currency) a single payout is not believed: 1,000,000.00 USD.
    PAYOUT_MAX_MINOR: int(DEFAULT_PAYOUT_LIMITS.maxMinor, 1).pipe(z.number().max(Number.MAX_SAFE_INTEGER)),
    STRIPE_API_KEY: z.string().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, 'a Stripe secret key (sk_test_…, sk_live_… or a restricted rk_… key)').optional(),
    STRIPE_API_BASE: z.url().optional(),
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  })
  .refine((e) => e.ROUTING_SMART_PROMPT <= e.ROUTING_AUTO_SUBMIT, {
    message: 'ROUTING_SMART_PROMPT must not exceed ROUTING_AUTO_SUBMIT',
    path: ['ROUTING_SMART_PROMPT'],
  })
  .refine((e) => e.HTTP_HEADERS_TIMEOUT_MS <= e.HTTP_REQUEST_TIMEOUT_MS, {
    message: 'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS',
    path: ['HTTP_HEADERS_TIMEOUT_MS'],
  })
  .refine((e) => e.QUEUE_DRIVER !== 'bullmq' || e.REDIS_URL, {
    message: 'QUEUE_DRIVER=bullmq needs REDIS_URL',
    path: ['QUEUE_DRIVER'],
  })
  // One or two of the three quietly started the bundled simulator, as none does.
  .superRefine(
    (e, ctx) => {
      const set = AMAZON_CREDENTIALS.filter((k) => e[k] !== undefined);
      if (set.length === 0 || set.length === AMAZON_CREDENTIALS.length) return;
      for (const missing of AMAZON_CREDENTIALS.filter((k) => e[k] === undefined)) {
        ctx.addIssue({ code: 'custom', path: [missing], message: `not set, while ${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'}: real Amazon needs all three credentials (unset all three for the bundled simulator)` });
      }
    },
    // Said with every other problem, not only once they are fixed.
    { when: () => true },
  );

export type Mode = 'embedded' | 'production';

export interface Config {
  readonly mode: Mode;
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string | undefined;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly queue: { readonly driver: 'postgres' | 'bullmq'; readonly prefix: string };
  readonly secrets: {
    readonly serviceToken: string | undefined;
    readonly sessionSecret: string | undefined;
    readonly encryptionKeys: string | undefined;
  };
  /** Real Amazon when all three credentials are set; otherwise the bundled simulator. */
  readonly amazon: {
    readonly credentials: { readonly clientId: string; readonly clientSecret: string; readonly appId: string } | undefined;
    readonly region: 'na' | 'eu' | 'fe';
    /** Overrides of Amazon's URLs (a standalone simulator, a proxy); the region's by default. */
    readonly urls: {
      readonly spApi?: string;
      readonly lwaToken?: string;
      readonly consent?: string;
      /** Login with Amazon's sign-in page and profile endpoint. */
      readonly lwaAuthorize?: string;
      readonly lwaProfile?: string;
    };
    /** First wait between polls of a report in progress (it grows ×1.5, capped at 12×). */
    readonly reportPollMs: number | undefined;
    /** The bundled simulator's Amazon answers each filed case after this long (0: never by itself). */
    readonly simulatorDecidesAfterMs: number;
    readonly marketplaceIds: readonly string[];
    readonly syncIntervalHours: number;
  };
  readonly logLevel: string;
  readonly worker: {
    readonly concurrency: number;
    readonly maxAttempts: number;
    readonly retryBaseMs: number;
    readonly retryMaxMs: number;
    readonly leaseMs: number;
    readonly attemptTimeoutMs: number;
    readonly pollMs: number;
  };
  /** The bound on one outbound HTTP exchange (SP-API, Login with Amazon, Stripe, the case API). */
  readonly providerTimeoutMs: number;
  /** How long a stop waits for in-flight requests and phase attempts (see Clario.close). */
  readonly shutdownTimeoutMs: number;

  readonly routing: { readonly autoSubmit: number; readonly smartPrompt: number };
  /** Filing pace (Amazon penalises floods), the claims channel, and payout monitoring. */
  readonly filing: {
    readonly channel: 'auto' | 'simulator' | 'manual';
    readonly maxItemsPerCase: number;
    readonly maxCasesPerDay: number;
    readonly intervalMs: number;
    readonly followUpDays: number;
    readonly payoutsIntervalMs: number;
    /** FILING_MIN_APPROVAL over FILING_APPROVAL_WINDOW_DAYS, once FILING_APPROVAL_MIN_DECISIONS count. */
    readonly approval: { readonly minApproval: number; readonly windowDays: number; readonly minDecisions: number };
  };
  /**
   * Reminders (deadlines, follow-ups, reopening): how often they are looked for, when a rejected
   * claim's reopening is nudged, and e-mail, sent only when SMTP is set.
   */
  readonly reminders: {
    readonly intervalMs: number;
    readonly reopenNudgeDays: number;
    readonly email: {
      readonly smtp: SmtpSettings | undefined;
      readonly from: string;
      /** An operator's copy of every reminder (REMINDER_EMAIL_TO), besides each seller's own address. */
      readonly operatorTo: readonly string[];
    };
  };
  /**
   * Evidence uploads: the size limits per file and per request, the currency of amounts that name
   * none, and what reading one file may cost (it runs in a worker thread, stopped past a bound).
   */
  readonly evidence: {
    readonly maxFileBytes: number;
    readonly maxRequestBytes: number;
    readonly defaultCurrency: Currency;
    readonly read: {
      readonly timeoutMs: number;
      readonly maxMemoryMb: number;
      readonly concurrency: number;
      readonly pdf: { readonly maxPages: number; readonly maxTextItems: number };
    };
  };
  readonly rateLimit: { readonly service: number; readonly seller: number; readonly anonymous: number };
  /** A seller session's absolute lifetime: sign-out ends it sooner, refreshing never extends it. */
  readonly sessionMaxAgeSeconds: number;
  /** What one client may hold: time to send a request, idle sockets, WebSocket slots. */
  readonly edge: {
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly idleTimeoutMs: number;
    readonly wsHandshakeTimeoutMs: number;
    readonly wsMaxConnections: number;
    readonly wsMaxConnectionsPerUser: number;
  };
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (rate limits, logs): a hop
   * count, or addresses, CIDRs and the names loopback, linklocal, uniquelocal. None by default.
   */
  readonly trustProxy: TrustProxy;
  /** Webhook destinations: public https only unless this development switch is on. */
  readonly webhooks: { readonly allowInsecure: boolean };
  /** The EventBridge sink of the event mirror, on when a bus is set; credentials from the AWS SDK's chain. */
  readonly eventBridge: { readonly bus: string; readonly source: string; readonly region: string; readonly endpoint: string | undefined } | undefined;
  /** The fee, and Stripe: real (or STRIPE_API_BASE) when a key is set, else the bundled simulator. */
  readonly billing: {
    readonly feeRateBp: number;
    /** A payout may exceed what its claim asked for by this much before it is parked (payout_mismatch). */
    readonly payoutTolerancePercent: number;
    /** No single payout is believed above this many minor units. */
    readonly payoutMaxMinor: number;
    readonly stripe: { readonly apiKey: string; readonly apiBase: string | undefined; readonly webhookSecret: string | undefined } | undefined;
  };
}

/** Settings that were renamed, with their new names. */
const RENAMED: Readonly<Record<string, string>> = {
  // A session now has an absolute lifetime that refreshing cannot extend (issue 14).
  SELLER_TOKEN_TTL_SECONDS: 'SESSION_MAX_AGE_SECONDS',
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Reads configuration from an environment (process.env by default). Throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  // A renamed setting would otherwise be ignored without a word, and its default used instead.
  const renamed = Object.entries(RENAMED).filter(([old]) => cleaned[old] !== undefined);
  if (renamed.length > 0) {
    throw new ConfigError(`invalid configuration:\n${renamed.map(([old, now]) => `  ${old}: renamed; set ${now} instead`).join('\n')}`);
  }
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return deepFreeze({
    mode: e.DATABASE_URL ? 'production' : 'embedded',
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    dataDir: e.CLARIO_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queue: {
      // Redis is only worth it beside a shared PostgreSQL; PGlite lives in one process anyway.
      driver: e.QUEUE_DRIVER ?? (e.REDIS_URL && e.DATABASE_URL ? 'bullmq' : 'postgres'),
      prefix: e.QUEUE_PREFIX,
    },
    secrets: { serviceToken: e.CLARIO_SERVICE_TOKEN, sessionSecret: e.CLARIO_SESSION_SECRET, encryptionKeys: e.CLARIO_ENCRYPTION_KEYS },
    amazon: {
      credentials:
        e.AMAZON_LWA_CLIENT_ID && e.AMAZON_LWA_CLIENT_SECRET && e.AMAZON_SP_APP_ID
          ? { clientId: e.AMAZON_LWA_CLIENT_ID, clientSecret: e.AMAZON_LWA_CLIENT_SECRET, appId: e.AMAZON_SP_APP_ID }
          : undefined,
      region: e.AMAZON_REGION,
      urls: {
        ...(e.AMAZON_SP_API_URL ? { spApi: e.AMAZON_SP_API_URL.replace(/\/$/, '') } : {}),
        ...(e.AMAZON_LWA_TOKEN_URL ? { lwaToken: e.AMAZON_LWA_TOKEN_URL } : {}),
        ...(e.AMAZON_CONSENT_URL ? { consent: e.AMAZON_CONSENT_URL.replace(/\/$/, '') } : {}),
        ...(e.AMAZON_LWA_AUTHORIZE_URL ? { lwaAuthorize: e.AMAZON_LWA_AUTHORIZE_URL } : {}),
        ...(e.AMAZON_LWA_PROFILE_URL ? { lwaProfile: e.AMAZON_LWA_PROFILE_URL } : {}),
      },
      reportPollMs: e.AMAZON_REPORT_POLL_MS,
      simulatorDecidesAfterMs: e.AMAZON_SIMULATOR_DECIDES_AFTER_MS,
      marketplaceIds: e.AMAZON_MARKETPLACE_IDS.split(','),
      syncIntervalHours: e.AMAZON_SYNC_INTERVAL_HOURS,
    },
    logLevel: e.LOG_LEVEL,
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      maxAttempts: e.WORKFLOW_MAX_ATTEMPTS,
      retryBaseMs: e.WORKFLOW_RETRY_BASE_MS,
      retryMaxMs: e.WORKFLOW_RETRY_MAX_MS,
      leaseMs: e.WORKFLOW_LEASE_MS,
      attemptTimeoutMs: e.WORKFLOW_ATTEMPT_TIMEOUT_MS,
      pollMs: e.WORKFLOW_POLL_MS,
    },
    providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    routing: { autoSubmit: e.ROUTING_AUTO_SUBMIT, smartPrompt: e.ROUTING_SMART_PROMPT },
    filing: {
      channel: e.CLAIMS_CHANNEL,
      maxItemsPerCase: e.FILING_MAX_ITEMS_PER_CASE,
      maxCasesPerDay: e.FILING_MAX_CASES_PER_DAY,
      intervalMs: e.FILING_INTERVAL_MS,
      followUpDays: e.FILING_FOLLOW_UP_DAYS,
      payoutsIntervalMs: e.PAYOUTS_INTERVAL_MS,
      approval: { minApproval: e.FILING_MIN_APPROVAL, windowDays: e.FILING_APPROVAL_WINDOW_DAYS, minDecisions: e.FILING_APPROVAL_MIN_DECISIONS },
    },
    reminders: {
      intervalMs: e.REMINDER_INTERVAL_MS,
      reopenNudgeDays: e.REMINDER_REOPEN_NUDGE_DAYS,
      email: {
        smtp: e.SMTP_URL,
        from: e.REMINDER_EMAIL_FROM ?? `Clario <clario@${e.SMTP_URL?.host ?? 'localhost'}>`,
        operatorTo: e.REMINDER_EMAIL_TO ?? [],
      },
    },
    evidence: {
      maxFileBytes: e.EVIDENCE_MAX_FILE_BYTES,
      maxRequestBytes: e.EVIDENCE_MAX_REQUEST_BYTES,
      defaultCurrency: e.EVIDENCE_DEFAULT_CURRENCY,
      read: {
        timeoutMs: e.EVIDENCE_READ_TIMEOUT_MS,
        maxMemoryMb: e.EVIDENCE_READ_MAX_MEMORY_MB,
        concurrency: e.EVIDENCE_READ_CONCURRENCY,
        pdf: { maxPages: e.EVIDENCE_PDF_MAX_PAGES, maxTextItems: e.EVIDENCE_PDF_MAX_TEXT_ITEMS },
      },
    },
    rateLimit: {
      service: e.RATE_LIMIT_SERVICE_PER_MINUTE,
      seller: e.RATE_LIMIT_SELLER_PER_MINUTE,
      anonymous: e.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
    },
    sessionMaxAgeSeconds: e.SESSION_MAX_AGE_SECONDS,
    edge: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      idleTimeoutMs: e.HTTP_IDLE_TIMEOUT_MS,
      wsHandshakeTimeoutMs: e.WS_HANDSHAKE_TIMEOUT_MS,
      wsMaxConnections: e.WS_MAX_CONNECTIONS,
      wsMaxConnectionsPerUser: e.WS_MAX_CONNECTIONS_PER_USER,
    },
    trustProxy: e.TRUST_PROXY,
    webhooks: { allowInsecure: e.WEBHOOK_ALLOW_INSECURE === 'true' },
    eventBridge: e.EVENTBRIDGE_BUS
      ? { bus: e.EVENTBRIDGE_BUS, source: e.EVENTBRIDGE_SOURCE, region: e.EVENTBRIDGE_REGION, endpoint: e.EVENTBRIDGE_ENDPOINT }
      : undefined,
    billing: {
      feeRateBp: e.FEE_RATE_BP,
      payoutTolerancePercent: e.PAYOUT_TOLERANCE_PERCENT,
      payoutMaxMinor: e.PAYOUT_MAX_MINOR,
      stripe: e.STRIPE_API_KEY ? { apiKey: e.STRIPE_API_KEY, apiBase: e.STRIPE_API_BASE, webhookSecret: e.STRIPE_WEBHOOK_SECRET } : undefined,
    },
  } satisfies Config);
}

/** The table the README shows; kept here so docs and code cannot drift apart. */
export const CONFIG_KEYS = Object.keys(EnvSchema.shape ?? {});
