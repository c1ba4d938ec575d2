// A migration that rewrites stored data is tested on a database migrated up to just before it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle, type PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { expect, onTestFinished } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/store/db.js';

/** The migrations folder as it was before the first migration whose SQL matches `marker`; removed after the test. */
export function migrationsBefore(marker: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'clario-migrations-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  // Found by content, not by name: migrations may be renumbered or combined when branches merge.
  const at = journal.entries.findIndex((e) => readFileSync(join(dir, `${e.tag}.sql`), 'utf8').includes(marker));
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

/**
 * A PGlite in memory migrated up to just before the first migration whose SQL matches `marker`, for
 * the test to store data as it was then; `migrateRest()` runs that migration and every one after
 * it. Closed after the test.
 */
export async function databaseBefore(marker: string): Promise<{ client: PGlite; db: PgliteDatabase; migrateRest: () => Promise<void> }> {
  const client = await PGlite.create();
  onTestFinished(() => client.close());
  const db = drizzle({ client });
  await migrate(db, { migrationsFolder: migrationsBefore(marker) });
  return { client, db, migrateRest: () => migrate(db, { migrationsFolder: MIGRATIONS_DIR }) };
}
