// `npm start`'s prestart: builds (tsc and the dashboard) only when an input changed since the last
// build this script ran, or an output is missing (a fresh clone). The stamp records the newest input
// time seen *before* that build, so a file saved while it ran still counts as newer next time.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What the build reads: sources, the dashboard, and what configures both. */
export const INPUTS = ['src', 'web', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
/** What `npm start` needs from the build. */
export const OUTPUTS = ['dist/cli/main.js', 'dist/web/index.html'];
export const STAMP = 'dist/.build-stamp';

/** The newest modification time (ms) under the given files and folders; 0 when none exist. */
export function newestMtime(root: string, paths: readonly string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return;
    }
    newest = Math.max(newest, st.mtimeMs);
    if (st.isDirectory()) for (const name of readdirSync(path)) if (name !== 'node_modules') visit(join(path, name));
  };
  for (const p of paths) visit(join(root, p));
  return newest;
}

/** Why a build is needed, or undefined when the last one is current. Pure. */
export function staleBecause(inputs: { newestInputMs: number; stampMs: number | undefined; missingOutputs: readonly string[] }): string | undefined {
  if (inputs.missingOutputs.length > 0) return `${inputs.missingOutputs.join(', ')} missing`;
  if (inputs.stampMs === undefined) return 'no record of the last build';
  if (inputs.newestInputMs > inputs.stampMs) return 'sources changed since the last build';
  return undefined;
}

export function readStamp(root: string): number | undefined {
  try {
    const n = Number(readFileSync(join(root, STAMP), 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

export function checkBuild(root: string): string | undefined {
  return staleBecause({
    newestInputMs: newestMtime(root, INPUTS),
    stampMs: readStamp(root),
    missingOutputs: OUTPUTS.filter((p) => !existsSync(join(root, p))),
  });
}

/**
 * Gives each file under `dir` that shares its data with another path (a hard link: a second
 * checkout made with `cp -al` shares this one's dist/) a copy of its own, so that building here
 * cannot change the other checkout's build (tsc rewrites its outputs in place). Returns how many.
 */
export function unshareLinks(dir: string): number {
  let n = 0;
  const visit = (path: string) => {
    const st = statSync(path);
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
    } else if (st.isFile() && st.nlink > 1) {
      copyFileSync(path, `${path}.unshared`);
      renameSync(`${path}.unshared`, path);
      n++;
    }
  };
  if (existsSync(dir)) visit(dir);
  return n;
}

function main(): number {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const reason = checkBuild(root);
  if (!reason) return 0;
  const newest = newestMtime(root, INPUTS);
  process.stderr.write(`building (${reason})...\n`);
  unshareLinks(join(root, 'dist'));
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) return r.status ?? 1;
  writeFileSync(join(root, STAMP), `${newest}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exitCode = main();
