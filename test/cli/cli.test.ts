// The `clario` command as a user runs it: a real child process.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../src/http/auth.js';
import { databaseSessions } from '../../src/http/sessions.js';
import { openDatabase } from '../../src/store/db.js';
import { resolveSecrets } from '../../src/config/secrets.js';
import { loadConfig } from '../../src/config/config.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'clario-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function clario(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, CLARIO_DATA_DIR: dataDir, ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the clario command', () => {
  it('prints the service token alone on stdout, the same every time, and keeps it private', async () => {
    const first = await clario(['token', '--service']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^clario_svc_\S{20,}\n$/);
    expect((await clario(['token', '--service'])).stdout).toBe(first.stdout);
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o077).toBe(0);
  });

  it('prints a seller token that the service accepts for that seller only', async () => {
    const r = await clario(['token', '--user', 'seller-9']);
    expect(r.code).toBe(0);
    const config = loadConfig({ CLARIO_DATA_DIR: dataDir });
    const database = await openDatabase({ dataDir });
    try {
      const auth = createAuth({ ...resolveSecrets(config), sessions: databaseSessions(() => database.db), maxAgeSeconds: config.sessionMaxAgeSeconds });
      expect(await auth.authenticate(r.stdout.trim())).toMatchObject({ kind: 'seller', userId: 'seller-9' });
    } finally {
      await database.close();
    }
  });

  it('explains bad usage and bad configuration, with a non-zero exit', async () => {
    const unknown = await clario(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const badUser = await clario(['token', '--user', 'bad user!']);
    expect(badUser.code).toBe(1);
    const badConfig = await clario(['token', '--service'], { PORT: 'eighty' });
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toMatch(/PORT/);
    const workerAlone = await clario(['worker']);
    expect(workerAlone.code).toBe(1);
    expect(workerAlone.stderr).toMatch(/needs DATABASE_URL/);
  });

  it('runs detection and says when the input is unusable', async () => {
    const missing = await clario(['detect', join(dataDir, 'no-such-folder'), '--as-of', '2026-11-22']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.length).toBeGreaterThan(0);
  });

  it('shows help', async () => {
    const r = await clario(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/clario serve/);
  });
});
