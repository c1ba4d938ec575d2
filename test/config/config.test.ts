import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('configuration', () => {
  it('defaults to the embedded mode on port 3001 with the postgres queue', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ mode: 'embedded', port: 3001, queue: { driver: 'postgres' }, routing: { autoSubmit: 0.85, smartPrompt: 0.5 } });
    expect(Object.isFrozen(c.worker)).toBe(true);
  });

  it('chooses production with BullMQ when PostgreSQL and Redis are given', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://x/y', REDIS_URL: 'redis://x' });
    expect(c.mode).toBe('production');
    expect(c.queue.driver).toBe('bullmq');
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', ROUTING_AUTO_SUBMIT: '2', CLARIO_SERVICE_TOKEN: 'short' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/PORT/);
      expect(msg).toMatch(/ROUTING_AUTO_SUBMIT/);
      expect(msg).toMatch(/CLARIO_SERVICE_TOKEN must be at least 32/);
    }
  });

  it('refuses a renamed setting instead of quietly using the default for its new name', () => {
    expect(() => loadConfig({ SELLER_TOKEN_TTL_SECONDS: '3600' })).toThrow(/SELLER_TOKEN_TTL_SECONDS: renamed; set SESSION_MAX_AGE_SECONDS instead/);
    expect(loadConfig({ SESSION_MAX_AGE_SECONDS: '3600' }).sessionMaxAgeSeconds).toBe(3600);
  });

  it('checks the database and Redis addresses and the encryption keys with the rest, naming each', () => {
    // Before, a malformed key surfaced as a stack when the first secret was sealed (and migrate
    // took it), and a URL that is no URL as a DNS failure for a host named after a fragment of it.
    const err = (() => {
      try {
        loadConfig({ DATABASE_URL: 'notaurl', REDIS_URL: 'localhost:6379', CLARIO_ENCRYPTION_KEYS: 'notvalid' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(err?.message).toContain('REDIS_URL: must be a redis:// or rediss:// URL');
    expect(err?.message).toContain('CLARIO_ENCRYPTION_KEYS: a key is written kid:base64');
    expect(() => loadConfig({ CLARIO_ENCRYPTION_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` })).toThrow(/CLARIO_ENCRYPTION_KEYS: key k1 must be 32 bytes/);
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/c', REDIS_URL: 'rediss://r:6380', CLARIO_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}` }).mode).toBe('production');
  });

  it("refuses a REDIS_URL whose path is not a database number (ioredis sent SELECT NaN and crashed)", () => {
    for (const url of ['redis://r:6379/abc', 'redis://r:6379/1/2', 'rediss://r/-1']) {
      expect(() => loadConfig({ REDIS_URL: url }), url).toThrow(/REDIS_URL: its path must be a database number, as in redis:\/\/host:6379\/0/);
    }
    for (const url of ['redis://r:6379', 'redis://r:6379/', 'redis://r:6379/3']) expect(loadConfig({ REDIS_URL: url }).redisUrl).toBe(url);
  });

  it('refuses a millisecond setting longer than a Node timer keeps, which fired after 1 ms instead', () => {
    const err = (() => {
      try {
        loadConfig({ WORKFLOW_ATTEMPT_TIMEOUT_MS: '2592000000', SHUTDOWN_TIMEOUT_MS: '3000000000', HTTP_IDLE_TIMEOUT_MS: '2147483648', AMAZON_REPORT_POLL_MS: '1000000000' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    for (const key of ['WORKFLOW_ATTEMPT_TIMEOUT_MS', 'SHUTDOWN_TIMEOUT_MS', 'HTTP_IDLE_TIMEOUT_MS']) {
      expect(err?.message).toContain(`${key}: at most 2147483647 ms (about 24.8 days: the longest timer Node keeps)`);
    }
    // It grows to 12 times the first wait.
    expect(err?.message).toContain('AMAZON_REPORT_POLL_MS: at most 178956970 ms');
    const longest = loadConfig({ WORKFLOW_ATTEMPT_TIMEOUT_MS: '2147483647', SHUTDOWN_TIMEOUT_MS: '2147483647' });
    expect([longest.worker.attemptTimeoutMs, longest.shutdownTimeoutMs]).toEqual([2147483647, 2147483647]);
  });

  it('keeps day, hour and second settings within dates (a longer span made an invalid date)', () => {
    for (const [key, value] of [['FILING_FOLLOW_UP_DAYS', '36501'], ['REMINDER_REOPEN_NUDGE_DAYS', '1000000000000'], ['FILING_APPROVAL_WINDOW_DAYS', '40000'], ['AMAZON_SYNC_INTERVAL_HOURS', '1000000000'], ['SESSION_MAX_AGE_SECONDS', '1000000000000000']] as const) {
      expect(() => loadConfig({ [key]: value }), key).toThrow(new RegExp(`${key}: at most .*100 years`));
    }
    expect(loadConfig({ FILING_FOLLOW_UP_DAYS: '36500' }).filing.followUpDays).toBe(36500);
  });

  it('refuses a database or Redis URL whose password is not percent-encoded, without repeating it', () => {
    // An unencoded '/' ends the host part early: the password was read as a port and a path.
    const err = (() => {
      try {
        loadConfig({ DATABASE_URL: 'postgres://postgres:48213/Secr3tPw@127.0.0.1:5432/db', REDIS_URL: 'redis://default:48213/Secr3tPw@127.0.0.1:6379/0' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    const encode = 'percent-encode a /, ?, # or @ in the user name or password (%2F, %3F, %23, %40)';
    expect(err?.message).toContain(`DATABASE_URL: its user name or password is not percent-encoded, so the URL does not read as written: ${encode}`);
    expect(err?.message).toContain(`REDIS_URL: its user name or password is not percent-encoded, so the URL does not read as written: ${encode}`);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:Secr3t/Pw@db/clario' })).toThrow(`DATABASE_URL: must be a postgres:// URL; ${encode}`);
    for (const value of ['Secr3tPw', '48213']) expect(err?.message).not.toContain(value);
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres:48213%2FSecr3tPw@127.0.0.1:5432/db' }).databaseUrl).toBe('postgres://postgres:48213%2FSecr3tPw@127.0.0.1:5432/db');
  });

  it('names the Amazon credentials missing when only some are set, instead of quietly starting the simulator', () => {
    const err = (() => {
      try {
        loadConfig({ DATABASE_URL: 'postgres://db/clario', AMAZON_LWA_CLIENT_ID: 'amzn1.application-oa2-client.x', AMAZON_SP_APP_ID: 'amzn1.sp.solution.x', PORT: 'eighty' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toContain('AMAZON_LWA_CLIENT_SECRET: not set, while AMAZON_LWA_CLIENT_ID and AMAZON_SP_APP_ID are: real Amazon needs all three credentials (unset all three for the bundled simulator)');
    // With the other problems, at once.
    expect(err?.message).toMatch(/PORT/);
    expect(() => loadConfig({ AMAZON_LWA_CLIENT_SECRET: 's' })).toThrow(/AMAZON_LWA_CLIENT_ID: not set, while AMAZON_LWA_CLIENT_SECRET is.*\n.*AMAZON_SP_APP_ID: not set, while AMAZON_LWA_CLIENT_SECRET is/);
    expect(loadConfig({}).amazon.credentials).toBeUndefined();
    expect(loadConfig({ AMAZON_LWA_CLIENT_ID: 'i', AMAZON_LWA_CLIENT_SECRET: 's', AMAZON_SP_APP_ID: 'a' }).amazon.credentials).toEqual({ clientId: 'i', clientSecret: 's', appId: 'a' });
  });

  it('reads numbers written in decimal digits only (PORT=" " listened on a random port, 0x1068 on 4200, 1e3 on 1000)', () => {
    for (const [key, value] of [['PORT', ' '], ['PORT', '0x1068'], ['PORT', '1e3'], ['PORT', '-1'], ['WORKER_CONCURRENCY', '8.5'], ['FEE_RATE_BP', 'Infinity'], ['SHUTDOWN_TIMEOUT_MS', '0b11'], ['AMAZON_REPORT_POLL_MS', '1e2']] as const) {
      expect(() => loadConfig({ [key]: value }), `${key}=${value}`).toThrow(`${key}: a whole number in decimal digits`);
    }
    for (const [key, value] of [['ROUTING_AUTO_SUBMIT', ' '], ['ROUTING_AUTO_SUBMIT', '.9'], ['AMAZON_SYNC_INTERVAL_HOURS', '0x10'], ['FILING_FOLLOW_UP_DAYS', '1e1']] as const) {
      expect(() => loadConfig({ [key]: value }), `${key}=${value}`).toThrow(`${key}: a number in decimal digits, such as 0.5`);
    }
    const c = loadConfig({ PORT: '4200', ROUTING_AUTO_SUBMIT: '0.9', AMAZON_SYNC_INTERVAL_HOURS: '1.5', AMAZON_REPORT_POLL_MS: '100', WORKER_CONCURRENCY: ' 4 ' });
    expect([c.port, c.routing.autoSubmit, c.amazon.syncIntervalHours, c.amazon.reportPollMs, c.worker.concurrency]).toEqual([4200, 0.9, 1.5, 100, 4]);
  });

  it('refuses an empty entry in CLARIO_ENCRYPTION_KEYS, without repeating the keys', () => {
    const key = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
    for (const value of [`${key},,`, `${key},`, `,${key}`, `${key}, ,k2:${Buffer.alloc(32, 2).toString('base64')}`]) {
      const err = (() => {
        try {
          loadConfig({ CLARIO_ENCRYPTION_KEYS: value });
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      expect(err?.message, value).toContain('CLARIO_ENCRYPTION_KEYS: an empty entry (a comma too many): keys are kid:base64, separated by single commas');
      expect(err?.message).not.toContain(Buffer.alloc(32, 1).toString('base64'));
    }
    expect(loadConfig({ CLARIO_ENCRYPTION_KEYS: key }).secrets.encryptionKeys).toBe(key);
  });

  it('refuses an OTLP endpoint that is not an http(s) URL, whose spans were dropped without a word', () => {
    for (const key of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) {
      for (const value of ['notaurl', 'grpc://collector:4317', 'otel-collector:4318']) {
        expect(() => loadConfig({ [key]: value }), `${key}=${value}`).toThrow(`${key}: must be an http:// or https:// URL (an OTLP/HTTP collector, e.g. http://otel-collector:4318)`);
      }
    }
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example/v1/traces' })).not.toThrow();
  });

  it('refuses bullmq without Redis', () => {
    expect(() => loadConfig({ QUEUE_DRIVER: 'bullmq' })).toThrow(/needs REDIS_URL/);
  });

  it('sends webhooks to public https only unless the development switch is on', () => {
    expect(loadConfig({}).webhooks.allowInsecure).toBe(false);
    expect(loadConfig({ WEBHOOK_ALLOW_INSECURE: 'true' }).webhooks.allowInsecure).toBe(true);
    expect(() => loadConfig({ WEBHOOK_ALLOW_INSECURE: 'yes' })).toThrow(/WEBHOOK_ALLOW_INSECURE/);
  });

  it('bounds what one client may hold at the edge, with defaults that serve the embedded mode', () => {
    expect(loadConfig({}).edge).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 120_000,
      keepAliveTimeoutMs: 72_000,
      idleTimeoutMs: 120_000,
      wsHandshakeTimeoutMs: 10_000,
      wsMaxConnections: 10_000,
      wsMaxConnectionsPerUser: 20,
    });
    expect(loadConfig({ WS_MAX_CONNECTIONS: '5' }).edge.wsMaxConnections).toBe(5);
    expect(() => loadConfig({ WS_MAX_CONNECTIONS: '0' })).toThrow(/WS_MAX_CONNECTIONS/);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '1000' })).toThrow(/must not exceed/);
  });
});
