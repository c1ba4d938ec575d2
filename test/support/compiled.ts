// Child processes start from JavaScript. Started through tsx, a Clario process spends seconds of
// CPU loading its TypeScript, and the suite starts dozens of them. The product starts from dist/,
// as `npm start` and the image run it (built again here when it is older than its sources, so a
// test never runs stale code); a test's own entry points (test/fixtures, resilience/worker.ts) are
// bundled with esbuild, their Clario imports pointing at dist/ too.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { checkBuild } from '../../scripts/build-if-stale.js';
import { waitFor } from './wait.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
/** The `clario` command as installed (package.json's bin). */
export const CLI = join(ROOT, 'dist/cli/main.js');
const CACHE = join(ROOT, 'node_modules/.cache/clario-tests');
const LOCK = join(CACHE, 'build.lock');

/** True while the process whose pid the lock holds is alive. */
function lockHeld(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(LOCK, 'utf8'));
  } catch {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function runBuild(): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/build-if-stale.ts'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`building dist/ for the tests failed (exit ${code}): see the output above`))));
  });
}

/**
 * dist/ as built from the sources now: builds it (`npm run build`, as `npm start` would) when it is
 * missing or older than them. One test process builds at a time; the others wait for it.
 */
export async function builtDist(): Promise<void> {
  mkdirSync(CACHE, { recursive: true });
  while (checkBuild(ROOT)) {
    let fd: number;
    try {
      fd = openSync(LOCK, 'wx');
    } catch {
      // A build by a process that died leaves its lock behind: take it over.
      if (!lockHeld()) rmSync(LOCK, { force: true });
      else await waitFor(() => !lockHeld(), 'another test process to build dist/', 600_000);
      continue;
    }
    try {
      writeSync(fd, String(process.pid));
      closeSync(fd);
      if (checkBuild(ROOT)) await runBuild();
    } finally {
      rmSync(LOCK, { force: true });
    }
  }
}

/**
 * A test's TypeScript entry point (a path from the repository's root) as one JavaScript file that
 * node runs by itself: its own code bundled, packages imported as installed, Clario from dist/.
 */
export async function compiledEntry(entry: string): Promise<string> {
  await builtDist();
  const src = join(ROOT, 'src');
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
    plugins: [
      {
        name: 'clario-from-dist',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            const path = resolve(args.resolveDir, args.path);
            if (!path.startsWith(`${src}/`)) return undefined;
            return { path: pathToFileURL(join(ROOT, 'dist', relative(src, path))).href, external: true };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0]?.text ?? '';
  // Named by content: the same entry compiles to the same file, written once.
  const file = join(CACHE, `${basename(entry, '.ts')}-${createHash('sha256').update(code).digest('hex').slice(0, 12)}.mjs`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return file;
}
