// The embedded database (PGlite) has one owner at a time: PGlite keeps no lock of its own, and two
// processes writing one folder lose each other's commits. The owner holds `clario.lock` in the data
// directory; it names the process, so a second one can say who holds the folder, and so an owner
// that crashed (its pid no longer alive on this host) does not leave the folder locked for ever.
//
// The file appears complete or not at all: it is written under a private name and hard-linked into
// place, and link() fails if the name exists. A stale lock is moved aside with rename() (one
// process wins), and only removed if it is still the one judged stale.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly command: string;
}

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const where = holder.host === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
    super(`Clario is running on ${dataDir} (${where}, since ${holder.startedAt}); stop it first, or use its API`);
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

export const LOCK_FILE = 'clario.lock';

export function lockPath(dataDir: string): string {
  return join(dataDir, LOCK_FILE);
}

function readHolder(path: string): { text: string; holder: LockHolder | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string') {
      return { text, holder: { pid: h.pid, host: h.host, startedAt: String(h.startedAt ?? '?'), command: String(h.command ?? '?') } };
    }
  } catch {
    // Not ours or garbled: treated as a lock nobody holds (nothing can ever release it otherwise).
  }
  return { text, holder: undefined };
}

/** Whether the process could still be the holder; on another host we cannot tell, so yes. */
export function holderAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is someone else's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of the folder's lock, if any (for commands that only want to know). */
export function lockHolder(dataDir: string): LockHolder | undefined {
  const found = readHolder(lockPath(dataDir));
  return found?.holder && holderAlive(found.holder) ? found.holder : undefined;
}

/** Takes the folder, or throws DataDirInUseError naming the process that has it. */
export function acquireDataDirLock(dataDir: string, options: { command?: string } = {}): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = lockPath(dataDir);
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: options.command ?? process.argv.slice(1).join(' ') });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, mine, { mode: 0o600 });
  try {
    // A few rounds: each either takes the lock, finds a live holder, or clears one stale lock.
    for (let round = 0; round < 5; round++) {
      try {
        linkSync(tmp, path);
        return ownLock(path, mine);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const found = readHolder(path);
      if (!found) continue; // released meanwhile
      if (found.holder && holderAlive(found.holder)) throw new DataDirInUseError(dataDir, found.holder);
      clearStale(path, found.text);
    }
    const found = readHolder(path);
    throw found?.holder ? new DataDirInUseError(dataDir, found.holder) : new Error(`could not take the lock ${path}`);
  } finally {
    unlinkSync(tmp);
  }
}

function clearStale(path: string, staleText: string): void {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // another process cleared it
    throw err;
  }
  if (readFileSync(aside, 'utf8') === staleText) {
    unlinkSync(aside);
    return;
  }
  // Between reading and moving, another process took the lock: give it back.
  try {
    linkSync(aside, path);
  } finally {
    unlinkSync(aside);
  }
}

function ownLock(path: string, mine: string): DataDirLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    // Only our own lock: never one a later owner took after judging ours stale.
    if (readHolder(path)?.text === mine) unlinkSync(path);
  };
  // A process that exits without closing (an uncaught error) still frees the folder.
  process.on('exit', release);
  return { path, release };
}
