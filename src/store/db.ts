// One database interface over two engines: PGlite (PostgreSQL in WASM, in-process) for the embedded
// mode and node-postgres for production. The same SQL migrations serve both.
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { types as pgTypes, type PGlite, type ParserOptions } from '@electric-sql/pglite';
import { fillPlaceholders, sql, type Query, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite, type PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { createGate, isIntake } from './pglite-gate.js';
import { isThreadClient, PgliteThread } from './pglite-thread.js';
import { createPool } from './pool.js';
import * as schema from './schema/index.js';
import { whereIs, whyUnreachable } from './unreachable.js';

export type Schema = typeof schema;
/**
 * The one handle for running queries: the pool, or an open transaction (drizzle's transaction is a
 * PgDatabase too, so both fit). Raw SQL goes through `rows(db, sql)`.
 */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/**
 * What `openDatabase` returns: the owner of the connections, not a query handle. It has a life
 * (`close`) and notifications (`listen`/`notify`), which a transaction cannot have; queries go
 * through its `db`.
 */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Calls `listener` when `notify(channel)` is called here or, on PostgreSQL, by any process. */
  listen(channel: string, listener: () => void): Promise<() => Promise<void>>;
  notify(channel: string): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

// The PostgreSQL pool's own way of running raw SQL (prepared statements, see openPostgres), keyed
// by its handle. A transaction is a different object, so its raw queries go through drizzle.
const preparedRunners = new WeakMap<Db, (query: SQL) => Promise<unknown[]>>();

/**
 * Rows of a raw query on either engine. Hazard: a timestamp comes back as a Date from the pool and
 * as a string through drizzle (PGlite, transactions), so readers accept both.
 */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const prepared = preparedRunners.get(db);
  if (prepared) return (await prepared(query)) as T[];
  // Both drivers answer with `{ rows }`; drizzle's type for it differs per driver.
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/**
 * A hot statement built once: its SQL text is compiled at load, with `sql.placeholder(name)` for
 * what varies, so a run only fills in values — nothing is built by the query builder per call, and
 * it is planned once per connection (a named prepared statement; on PGlite see pglite-named.ts).
 */
export interface PreparedStatement<T> {
  readonly name: string;
  readonly query: Query;
  /** Only carries the row type. */
  readonly row?: T;
}

export function prepareStatement<T>(label: string, query: SQL): PreparedStatement<T> {
  const compiled = new PgDialect().sqlToQuery(query);
  const name = `clario_${label}_${createHash('sha1').update(compiled.sql).digest('hex').slice(0, 16)}`;
  return { name, query: compiled };
}

/** Rows of a prepared statement, on the pool, PGlite or an open transaction (each has a session). */
export async function runPrepared<T>(db: Db, statement: PreparedStatement<T>, values: Record<string, unknown>): Promise<T[]> {
  // PGlite's thread prepares it under its name too (drizzle's PGlite driver would send it unnamed,
  // planned on every call), and reads its rows as that driver does.
  const client = (db._.session as unknown as { client?: unknown }).client;
  if (isThreadClient(client)) {
    const params = fillPlaceholders(statement.query.params, values);
    return (await client.query<T>(statement.query.sql, params, { rowMode: 'object', parsers: DRIZZLE_RAW_TEXT, name: statement.name })).rows;
  }
  const result: unknown = await db._.session.prepareQuery(statement.query, undefined, statement.name, false).execute(values);
  return (result as { rows: T[] }).rows;
}

/** The types drizzle's PGlite driver leaves as PostgreSQL's text in raw rows. */
const DRIZZLE_RAW_TEXT: ParserOptions = Object.fromEntries(
  // timestamp, timestamptz, interval, date and their arrays (numeric[] too)
  [pgTypes.TIMESTAMP, pgTypes.TIMESTAMPTZ, pgTypes.INTERVAL, pgTypes.DATE, 1231, 1115, 1185, 1187, 1182].map((t) => [t, (value: string) => value]),
);

/**
 * Told before the migrations run, when the database has some to apply: their names. An upgrade's
 * migration may rewrite a large table, and a service silent for that long looks hung.
 */
export type OnMigrations = (pending: readonly string[]) => void;

/** What start-up and `clario migrate` say before applying `pending`. */
export function migrationNotice(pending: readonly string[]): string {
  return `applying ${pending.length} migration(s): ${pending.join(', ')} (on a large database an upgrade can take minutes)`;
}

/**
 * PostgreSQL at `url`; else PGlite in `dataDir`; else PGlite in memory (tests). PostgreSQL must
 * answer its first connection within `connectTimeoutMs` (5 s, as Redis at start).
 */
export async function openDatabase(options: { url?: string | undefined; dataDir?: string | undefined; poolSize?: number; onMigrations?: OnMigrations; connectTimeoutMs?: number }): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10, options.onMigrations, options.connectTimeoutMs ?? 5_000);
  return openPglite(options.dataDir, options.onMigrations);
}

/**
 * The migrations drizzle's migrator will apply: those of the journal later than the last one
 * applied (it compares the journal's `when` with `created_at`, as here).
 */
async function pendingMigrations(query: (text: string) => Promise<ReadonlyArray<Record<string, unknown>>>): Promise<string[]> {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string; when: number }> };
  const [present] = await query(`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`);
  let last = -Infinity;
  if (present?.present === true) {
    const [row] = await query('SELECT max(created_at)::text AS last FROM drizzle.__drizzle_migrations');
    if (typeof row?.last === 'string') last = Number(row.last);
  }
  return journal.entries.filter((e) => e.when > last).map((e) => e.tag);
}

async function announceMigrations(onMigrations: OnMigrations | undefined, query: (text: string) => Promise<ReadonlyArray<Record<string, unknown>>>): Promise<void> {
  if (!onMigrations) return;
  const pending = await pendingMigrations(query);
  if (pending.length > 0) onMigrations(pending);
}

async function openPglite(dataDir: string | undefined, onMigrations?: OnMigrations): Promise<Database> {
  // Queries go through the gate (pglite-gate.ts), so intake is not stuck behind the workers.
  const gate = createGate({ intakePerWorker: INTAKE_PER_WORKER, maxInFlight: IN_FLIGHT });
  const around = <T>(run: () => Promise<T>) => gate.run(isIntake() ? 'intake' : 'worker', run);
  let client: PgliteThread;
  // One process at a time in a data directory (see data-dir-lock.ts), taken before PGlite opens it.
  let lock: DataDirLock | undefined;
  if (dataDir) {
    lock = acquireDataDirLock(dataDir);
    try {
      const dir = join(dataDir, 'pgdata');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      client = await PgliteThread.open({ dataDir: dir, around });
    } catch (err) {
      lock.release();
      throw err;
    }
  } else {
    client = await PgliteThread.open({ around });
  }
  // PGlite runs in a thread of its own (pglite-thread.ts); drizzle's driver only calls the part of
  // PGlite's interface the thread's client has.
  const db = drizzlePglite({ client: client as unknown as PGlite, schema }) as unknown as Db;
  try {
    await announceMigrations(onMigrations, async (text) => (await client.query<Record<string, unknown>>(text)).rows);
    await migratePglite(db as unknown as PgliteDatabase<Schema>, { migrationsFolder: MIGRATIONS_DIR });
  } catch (err) {
    await client.close().catch(() => undefined);
    lock?.release();
    throw err;
  }
  // One process owns a PGlite database, so notifications stay in-process.
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  return {
    kind: 'pglite',
    db,
    listen(channel, listener) {
      bus.on(channel, listener);
      return Promise.resolve(async () => {
        bus.off(channel, listener);
        return Promise.resolve();
      });
    },
    notify(channel) {
      bus.emit(channel);
      return Promise.resolve();
    },
    async close() {
      bus.removeAllListeners();
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** While both wait: intake queries let into PGlite for each worker query. */
const INTAKE_PER_WORKER = 8;
/**
 * Queries let into the PGlite thread at once: with two, the thread has the next statement queued
 * while this side handles the answer to the last (with one it waited on every round trip); more
 * would queue worker statements ahead of intake in the thread, where the gate cannot reorder them.
 */
const IN_FLIGHT = 2;

/** Serialises migrations between processes that start together. */
const MIGRATION_LOCK = 727_1001;

/** PostgreSQL could not be reached at start: said with DATABASE_URL's host, never its password. */
export class DatabaseUnreachableError extends Error {
  override readonly name = 'DatabaseUnreachableError';
}

async function openPostgres(url: string, poolSize: number, onMigrations: OnMigrations | undefined, connectTimeoutMs: number): Promise<Database> {
  // The first connection is a client of its own, bounded: a server that takes the connection and
  // never answers as PostgreSQL would (another service's port) hung start-up without a word. The
  // pool gets no such bound, since pg-pool would apply it to waiting for a free client as well.
  const lockClient = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  lockClient.on('error', () => undefined);
  await lockClient.connect().catch(async (err: unknown) => {
    await lockClient.end().catch(() => undefined);
    // pg says only 'timeout expired'; PostgreSQL's own refusals carry a numeric SQLSTATE as their
    // code, so they are said in its words.
    const why = err instanceof Error && err.message === 'timeout expired' ? `no answer as PostgreSQL within ${connectTimeoutMs} ms` : whyUnreachable(err);
    throw new DatabaseUnreachableError(`cannot connect to the database DATABASE_URL names (${whereIs(url)}): ${why}`, { cause: err });
  });
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await announceMigrations(onMigrations, async (text) => (await lockClient.query<Record<string, unknown>>(text)).rows);
    await migratePg(drizzlePg({ client: lockClient, schema }), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    // Ending the session releases its advisory lock too.
    await lockClient.end().catch(() => undefined);
  }
  const pool = createPool(url, poolSize);
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const local = new EventEmitter();
  local.setMaxListeners(0);
  let listenClient: pg.Client | undefined;
  const channels = new Set<string>();

  async function ensureListening(channel: string): Promise<void> {
    if (!listenClient) {
      listenClient = new pg.Client({ connectionString: url });
      listenClient.on('notification', (n) => local.emit(n.channel));
      listenClient.on('error', () => {
        // Lost the LISTEN connection: pollers still find the work, just later.
        listenClient = undefined;
        channels.clear();
      });
      await listenClient.connect();
    }
    if (!channels.has(channel)) {
      channels.add(channel);
      await listenClient.query(`LISTEN "${channel.replace(/"/g, '')}"`);
    }
  }

  // The workflow's statements are few and run constantly: prepare each once per connection (named
  // by its text's hash) so PostgreSQL plans it once instead of on every transition.
  const dialect = new PgDialect();
  preparedRunners.set(db, async (query) => {
    const { sql: text, params } = dialect.sqlToQuery(query);
    const name = `clario_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    const result = await pool.query({ name, text, values: params });
    return result.rows as unknown[];
  });
  return {
    kind: 'postgres',
    db,
    async listen(channel, listener) {
      local.on(channel, listener);
      await ensureListening(channel).catch(() => undefined);
      return async () => {
        local.off(channel, listener);
        return Promise.resolve();
      };
    },
    async notify(channel) {
      await db.execute(sql`SELECT pg_notify(${channel}, '')`);
    },
    async close() {
      local.removeAllListeners();
      const c = listenClient;
      listenClient = undefined;
      if (c) await c.end().catch(() => undefined);
      await pool.end();
    },
  };
}
