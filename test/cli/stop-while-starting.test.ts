// SIGTERM while `clario serve` is still starting (an upgrade's migrations can take minutes): it is
// handled as after the banner, logged, what started is stopped, exit 0. Before, the default
// handler ended the process with 143 and no word.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { builtDist, CLI } from '../support/compiled.js';
import { createTestDatabase, describeWithPostgres } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

await builtDist();
const root = mkdtempSync(join(tmpdir(), 'clario-stop-start-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The advisory lock start-up takes before it migrates (db.ts). */
const MIGRATION_LOCK = 727_1001;

describeWithPostgres('a SIGTERM during start-up', () => {
  it('is logged, stops what started and exits 0, without listening', async () => {
    const database = await createTestDatabase();
    // Another process migrating: start-up waits for the lock, as it would behind a long migration.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const name = new URL(database.url).pathname.slice(1);
    const child = spawn(process.execPath, [CLI, 'serve'], {
      env: {
        ...process.env,
        PORT: '0',
        LOG_LEVEL: 'info',
        DATABASE_URL: database.url,
        CLARIO_DATA_DIR: join(root, 'data'),
        CLARIO_SERVICE_TOKEN: `svc_${randomBytes(24).toString('hex')}`,
        CLARIO_SESSION_SECRET: randomBytes(32).toString('hex'),
        CLARIO_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    try {
      await waitFor(async () => {
        const waiting = await holder.query(
          `SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = $1`,
          [name],
        );
        return waiting.rowCount === 1;
      }, 'start-up to wait for the migration lock');
      child.kill('SIGTERM');
      await waitFor(() => out.includes('shutting down: stopping the start-up') || child.exitCode !== null || child.signalCode !== null, 'the shutdown to be logged');
      expect(child.signalCode).toBeNull();
      // The migration it waited for is over: start-up goes on to its next step, and stops there.
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(out).toContain('stopped before it had started');
      expect(out).not.toContain('is running');
      // Nothing of it is left on the database (a backend leaves pg_stat_activity just after its client).
      await waitFor(async () => {
        const sessions = await holder.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        return sessions.rows[0]?.n === 0;
      }, 'its connections to close');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await holder.end();
      await database.drop();
    }
  }, 120_000);
});
