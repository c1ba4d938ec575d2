// Temporary input folders for reader and command tests.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const SELLER_A = fileURLToPath(new URL('../fixtures/seller-a', import.meta.url));

const made: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clario-detect-'));
  made.push(dir);
  return dir;
}

/** Removes every folder made by tempDir(); call from afterEach. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of a fixture folder, optionally only some of its files, optionally gzipped. */
export function copyFixture(from: string, options: { only?: readonly string[]; gzip?: boolean } = {}): string {
  const dir = tempDir();
  for (const name of readdirSync(from)) {
    if (options.only && !options.only.includes(name)) continue;
    if (options.gzip) writeFileSync(join(dir, `${name}.gz`), gzipSync(readFileSync(join(from, name))));
    else cpSync(join(from, name), join(dir, name));
  }
  return dir;
}

/** Writes a tab-separated file from rows of cells. */
export function writeTsv(dir: string, name: string, rows: readonly (readonly string[])[]): string {
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => r.join('\t')).join('\n') + '\n');
  return path;
}
