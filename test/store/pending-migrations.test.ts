// Before applying migrations, openDatabase names those a database has yet to apply, so that the
// service can say why it is not answering yet (an upgrade may rewrite a large table); nothing is
// said for a database already up to date.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MIGRATIONS_DIR, openDatabase } from '../../src/store/db.js';
import { migrationsBefore } from '../support/migrations-before.js';
import { createTestDatabase, postgres, randomName, seedPglite } from '../support/infra.js';

const ALL = (JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> }).entries.map((e) => e.tag);

async function told(options: Parameters<typeof openDatabase>[0]): Promise<Array<readonly string[]>> {
  const calls: Array<readonly string[]> = [];
  const database = await openDatabase({ ...options, onMigrations: (pending) => calls.push(pending) });
  await database.close();
  return calls;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clario-pending-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('migrations a database has yet to apply', () => {
  it('an embedded folder one migration behind names that one, once', async () => {
    const dataDir = tempDir();
    const old = await PGlite.create(join(dataDir, 'pgdata'));
    // The newest migration, found by its own text.
    const last = ALL.at(-1) ?? '';
    await migrate(drizzle({ client: old }), { migrationsFolder: migrationsBefore(readFileSync(join(MIGRATIONS_DIR, `${last}.sql`), 'utf8')) });
    await old.close();
    expect(await told({ dataDir })).toEqual([[last]]);
    expect(await told({ dataDir })).toEqual([]);
  });

  it('an embedded folder up to date says nothing', async () => {
    const dataDir = tempDir();
    seedPglite(dataDir);
    expect(await told({ dataDir })).toEqual([]);
  });

  it.skipIf(!postgres.available)('a new PostgreSQL database names every migration; one up to date says nothing', async () => {
    const name = randomName('clario_pending');
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    onTestFinished(async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    });
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(postgres.adminUrl);
    url.pathname = `/${name}`;
    expect(await told({ url: url.toString(), poolSize: 2 })).toEqual([ALL]);
    expect(await told({ url: url.toString(), poolSize: 2 })).toEqual([]);
    const migrated = await createTestDatabase();
    onTestFinished(() => migrated.drop());
    expect(await told({ url: migrated.url, poolSize: 2 })).toEqual([]);
  });
});
