// Prepares the real infrastructure the integration suites use: a migrated PostgreSQL template
// database (each test file clones its own copy), a migrated PGlite data directory (each embedded
// Clario starts from a copy instead of running initdb and the migrations again) and a reachable
// Redis. Without PostgreSQL or Redis the suites that need them are skipped, loudly; with CI=true a
// skip is a failure.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { MIGRATIONS_DIR, openDatabase } from '../../src/store/db.js';

export interface PostgresInfo {
  readonly available: boolean;
  readonly adminUrl: string;
  readonly template: string;
  readonly reason?: string;
}
export interface RedisInfo {
  readonly available: boolean;
  readonly url: string;
  readonly reason?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresInfo;
    redis: RedisInfo;
    /** A migrated PGlite data directory (a `pgdata` folder) to copy, never to open in place. */
    pgliteTemplate: string;
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR, { recursive: true }).map(String).sort()) {
    if (f.endsWith('.sql') || f.endsWith('.json')) h.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)));
  }
  return h.digest('hex').slice(0, 12);
}

async function preparePostgres(adminUrl: string): Promise<PostgresInfo> {
  const template = `clario_tpl_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    return { available: false, adminUrl, template, reason: err instanceof Error ? err.message : String(err) };
  }
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      const building = `${template}_b${process.pid}`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
      await admin.query(`CREATE DATABASE "${building}"`);
      const db = await openDatabase({ url: withDatabase(adminUrl, building) });
      await db.close();
      try {
        await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
      } catch {
        // Another run built it at the same time; theirs will do.
        await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      }
    }
    return { available: true, adminUrl, template };
  } finally {
    await admin.end();
  }
}

/**
 * A migrated PGlite data directory, built once per migrations and PGlite version and kept under
 * node_modules/.cache: initdb and the migrations take seconds of WASM each time, a copy does not.
 */
async function preparePgliteTemplate(): Promise<string> {
  // The package does not export its package.json; its version decides the data directory's format.
  const version = (JSON.parse(readFileSync(resolve('node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
  const cache = resolve('node_modules/.cache/clario-tests');
  const template = join(cache, `pglite-${version}-${migrationsHash()}`);
  if (existsSync(template)) return template;
  mkdirSync(cache, { recursive: true });
  const building = mkdtempSync(join(cache, 'building-'));
  try {
    const db = await openDatabase({ dataDir: building });
    await db.close();
    try {
      renameSync(join(building, 'pgdata'), template);
    } catch (err) {
      // Another run built it at the same time; theirs will do.
      if (!existsSync(template)) throw err;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

async function checkRedis(url: string): Promise<RedisInfo> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return { available: true, url };
  } catch (err) {
    return { available: false, url, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    client.disconnect();
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const postgres = await preparePostgres(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const redis = await checkRedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  project.provide('postgres', postgres);
  project.provide('redis', redis);
  project.provide('pgliteTemplate', await preparePgliteTemplate());
  const missing = [
    ...(postgres.available ? [] : [`PostgreSQL at ${postgres.adminUrl} (${postgres.reason ?? '?'})`]),
    ...(redis.available ? [] : [`Redis at ${redis.url} (${redis.reason ?? '?'})`]),
  ];
  if (missing.length === 0) return;
  const banner = `\n${'!'.repeat(78)}\n  NOT REACHABLE: ${missing.join('; ')}\n  The suites that need them are SKIPPED. Set TEST_DATABASE_URL / TEST_REDIS_URL.\n${'!'.repeat(78)}\n`;
  if (process.env.CI === 'true') throw new Error(`CI needs real infrastructure:${banner}`);
  console.warn(banner);
}
