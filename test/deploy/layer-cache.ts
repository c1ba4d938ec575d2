// Docker's layer cache, for the image test: a RUN step whose inputs (the files it reads, and the
// command itself) are byte for byte those of an earlier successful run gives that run's output
// again instead of running. That is what `docker build` does with an unchanged layer, so the test
// proves what it did: these files, built by these steps, make this image. A changed input runs the
// step for real. Kept under node_modules/.cache/clario-tests, one entry per step (the newest).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const CACHE = resolve('node_modules/.cache/clario-tests');

export interface CachedStep {
  /** A name for the step's entries in the cache, e.g. 'image-build'. */
  readonly name: string;
  readonly command: string;
  /** Where the step runs; `output` is relative to it. */
  readonly cwd: string;
  /** Every file the step reads (absolute paths under `cwd`). */
  readonly inputs: readonly string[];
  /** The folder the step makes, e.g. 'dist' or 'node_modules'. */
  readonly output: string;
  /** Link the cached folder instead of copying it (large, and only read). */
  readonly link?: boolean;
  run(): Promise<void>;
}

function key(step: CachedStep): string {
  const h = createHash('sha256').update(step.command).update('\0');
  for (const file of [...step.inputs].sort()) h.update(relative(step.cwd, file)).update('\0').update(readFileSync(file)).update('\0');
  return h.digest('hex').slice(0, 16);
}

/** Runs the step, or puts back the output of the last run with the same inputs; says which. */
export async function runCached(step: CachedStep): Promise<'ran' | 'cached'> {
  const entry = join(CACHE, `${step.name}-${key(step)}`);
  const target = join(step.cwd, step.output);
  const hit = existsSync(entry);
  if (!hit) {
    await step.run();
    store(step, target, entry);
  }
  // A linked output was moved into the cache when stored: it is linked back either way.
  if (step.link) symlinkSync(entry, target, 'dir');
  else if (hit) cpSync(entry, target, { recursive: true });
  return hit ? 'cached' : 'ran';
}

/**
 * Takes `output`, a folder the step's command made from the step's very inputs somewhere else, as
 * the step's cached result (unless the cache has one), leaving out the paths in `except`. Says
 * whether it did.
 */
export function seedCache(step: CachedStep, output: string, except: readonly string[] = []): boolean {
  const entry = join(CACHE, `${step.name}-${key(step)}`);
  if (existsSync(entry)) return false;
  install(step, entry, (out) => cpSync(output, out, { recursive: true, filter: (src) => !except.includes(relative(output, src)) }));
  return true;
}

function store(step: CachedStep, target: string, entry: string): void {
  install(step, entry, (out) => (step.link ? renameSync(target, out) : cpSync(target, out, { recursive: true })));
}

/** Fills the step's entry through a temporary folder (so a half-written entry is never seen), and drops its older ones. */
function install(step: CachedStep, entry: string, fill: (out: string) => void): void {
  mkdirSync(CACHE, { recursive: true });
  const building = mkdtempSync(join(CACHE, `building-${step.name}-`));
  try {
    fill(join(building, 'out'));
    try {
      renameSync(join(building, 'out'), entry);
    } catch (err) {
      // Another run stored the same step meanwhile; theirs will do.
      if (!existsSync(entry)) throw err;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  for (const old of readdirSync(CACHE)) {
    if (old.startsWith(`${step.name}-`) && join(CACHE, old) !== entry) rmSync(join(CACHE, old), { recursive: true, force: true });
  }
}
