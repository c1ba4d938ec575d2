// The embedded data directory has one owner at a time, and a crashed owner does not keep it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirInUseError, lockHolder, lockPath } from '../../src/store/data-dir-lock.js';
import { openDatabase } from '../../src/store/db.js';
import { seedPglite } from '../support/infra.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'clario-lock-'));
  dirs.push(d);
  return join(d, 'data');
};

/** The pid of a process that has exited: what a crashed owner leaves behind. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('the data directory lock', () => {
  it('refuses a second owner, naming the folder and the pid that holds it, until released', () => {
    const dir = newDir();
    const first = acquireDataDirLock(dir);
    let refused: unknown;
    try {
      acquireDataDirLock(dir);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as Error).message).toContain(dir);
    expect((refused as Error).message).toContain(`pid ${process.pid}`);
    expect(lockHolder(dir)?.pid).toBe(process.pid);
    first.release();
    expect(existsSync(lockPath(dir))).toBe(false);
    expect(lockHolder(dir)).toBeUndefined();
    acquireDataDirLock(dir).release();
  });

  it('takes over a lock whose owner crashed (pid gone), without waiting', () => {
    const dir = newDir();
    acquireDataDirLock(dir).release();
    const pid = deadPid();
    writeFileSync(lockPath(dir), JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'clario serve' }));
    expect(lockHolder(dir)).toBeUndefined();
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it("never removes a lock it does not own: a release after a takeover leaves the new owner's", () => {
    const dir = newDir();
    const mine = acquireDataDirLock(dir);
    const other = JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'other' });
    writeFileSync(lockPath(dir), other);
    mine.release();
    expect(readFileSync(lockPath(dir), 'utf8')).toBe(other);
  });

  it('is held by an open embedded database, so a second open of the folder is refused', async () => {
    const dir = newDir();
    seedPglite(dir); // a migrated database already there (initdb is not what is tested)
    const db = await openDatabase({ dataDir: dir });
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      await db.close();
    }
    expect(existsSync(lockPath(dir))).toBe(false);
  }, 120_000);
});
