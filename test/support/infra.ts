import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openDatabase, type Database } from '../../src/store/db.js';

export const postgres = inject('postgres');
export const redis = inject('redis');
const pgliteTemplate = inject('pgliteTemplate');

/**
 * Puts a migrated PGlite database in `dataDir` (as its `pgdata`), so that opening it there skips
 * initdb and the migrations, which cost seconds of WASM per start.
 */
export function seedPglite(dataDir: string): void {
  cpSync(pgliteTemplate, join(dataDir, 'pgdata'), { recursive: true });
}

/** A migrated PGlite database of the file's own (a copy of the template), deleted when closed. */
export async function openPglite(): Promise<Database> {
  const dir = mkdtempSync(join(tmpdir(), 'clario-pglite-'));
  seedPglite(dir);
  const database = await openDatabase({ dataDir: dir });
  return {
    ...database,
    async close() {
      try {
        await database.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** `describe` when the infrastructure is there, `describe.skip` (reported by global setup) otherwise. */
export const describeWithPostgres = postgres.available ? describe : describe.skip;
export const describeWithRedis = postgres.available && redis.available ? describe : describe.skip;

export function randomName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, cloned from the template global setup built. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = randomName('clario_t');
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  try {
    // Cloning needs the template to be free of sessions; retry briefly if a clone is in progress.
    for (let i = 0; ; i++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${postgres.template}"`);
        break;
      } catch (err) {
        if (i >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100 + i * 50));
      }
    }
  } finally {
    await admin.end();
  }
  const u = new URL(postgres.adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: postgres.adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

const ENGINES: ReadonlyArray<{ name: string; open: () => Promise<{ database: Database; drop: () => Promise<void> }> }> = [
  { name: 'PGlite', open: async () => ({ database: await openPglite(), drop: () => Promise.resolve() }) },
  ...(postgres.available
    ? [
        {
          name: 'PostgreSQL',
          open: async () => {
            const t = await createTestDatabase();
            return { database: await openDatabase({ url: t.url }), drop: () => t.drop() };
          },
        },
      ]
    : []),
];

/**
 * `describe(title)` once per engine a store test runs on (PGlite always, PostgreSQL when it
 * answers), with a database of its own open for the block: `database()` is it.
 */
export function describeOnEngines(title: string, body: (database: () => Database) => void): void {
  for (const engine of ENGINES) {
    describe(`${title} (${engine.name})`, () => {
      let opened: { database: Database; drop: () => Promise<void> } | undefined;
      beforeAll(async () => {
        opened = await engine.open();
      });
      afterAll(async () => {
        await opened?.database.close();
        await opened?.drop();
      });
      body(() => {
        if (!opened) throw new Error('the database is opened in beforeAll');
        return opened.database;
      });
    });
  }
}
