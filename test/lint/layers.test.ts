// The layer rules of eslint.config.js fire: each layer importing one it may not gets the rule's
// error, a permitted import gets none, and every file of src/ belongs to a layer. The probes are
// linted with the project's own layer blocks (without type information, so no file is needed).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PATHS = 'import-x/no-restricted-paths';
const IMPORTS = 'no-restricted-imports';

interface LintConfig {
  readonly default: Linter.Config[];
  readonly LAYERS: ReadonlyArray<{ readonly name: string; readonly paths: readonly string[] }>;
  readonly SIMULATORS: string;
}

let config: LintConfig;
let probe: ESLint;

beforeAll(async () => {
  // A variable specifier: the config is plain JavaScript, read as such at run time.
  const url = pathToFileURL(join(root, 'eslint.config.js')).href;
  config = (await import(url)) as LintConfig;
  const layerBlocks = config.default.filter((c) => c.rules && (PATHS in c.rules || IMPORTS in c.rules));
  probe = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [{ languageOptions: { parser: tseslint.parser } }, ...layerBlocks] });
});

/** The layer rules that fire for `code` as if it were the file at `file` (relative to the repository). */
async function broken(file: string, code: string): Promise<string[]> {
  const [result] = await probe.lintText(code, { filePath: join(root, file) });
  const messages = result?.messages ?? [];
  // A parse error would hide every rule: make it fail loudly instead.
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.map((m) => m.ruleId ?? '?');
}

/**
 * The layer rules that fire for a file at `file` importing each of `specs`. A relative import
 * must name a file that is there: one that resolves to nothing is never checked, so it would pass.
 */
function imports(file: string, ...specs: string[]): Promise<string[]> {
  for (const spec of specs) {
    if (spec.startsWith('.') && !existsSync(join(root, dirname(file), spec.replace(/\.js$/, '.ts')))) {
      throw new Error(`the probe ${file} imports ${spec}, which is not there (moved?): point it at a file that is`);
    }
  }
  return broken(file, specs.map((spec) => `import '${spec}';\n`).join(''));
}

describe('the layers', () => {
  it('keep domain pure: its own files only, no other folder, package or node builtin', async () => {
    expect(await imports('src/domain/probe.ts', './money.js')).toEqual([]);
    expect(await imports('src/domain/probe.ts', '../store/db.js')).toEqual(expect.arrayContaining([IMPORTS, PATHS]));
    expect(await imports('src/domain/probe.ts', 'zod')).toEqual([IMPORTS]);
    expect(await imports('src/domain/probe.ts', 'node:fs')).toEqual([IMPORTS]);
  });

  it('let store import domain and its database packages, and nothing else of src', async () => {
    expect(await imports('src/store/probe.ts', '../domain/money.js', 'drizzle-orm', 'node:crypto')).toEqual([]);
    expect(await imports('src/store/probe.ts', '../workflow/engine.js')).toEqual([PATHS]);
    expect(await imports('src/store/probe.ts', '../config/config.js')).toEqual([PATHS]);
    expect(await broken('src/store/probe.ts', "import type { Engine } from '../workflow/engine.js';\nexport type E = Engine;\n")).toEqual([PATHS]);
    expect(await broken('src/store/probe.ts', "export const app = await import('../http/app.js');\n")).toEqual([PATHS]);
  });

  it("keep the simulators free of product code, each free to use its own and its siblings' files", async () => {
    expect(await imports('src/simulator/stripe/probe.ts', '../../billing/minimum-charge.js')).toEqual([PATHS]);
    expect(await imports('src/simulator/server/probe.ts', '../../domain/money.js')).toEqual([PATHS]);
    expect(await imports('src/simulator/server/probe.ts', '../../amazon/rate-limit.js')).toEqual([PATHS]);
    expect(await imports('src/simulator/probe.ts', '../workflow/log.js')).toEqual([PATHS]);
    expect(await imports('src/simulator/server/probe.ts', './simulated-clock.js', '../stripe/app.js', '../host-log.js', 'fastify')).toEqual([]);
  });

  it('never let a folder reach upward', async () => {
    const upward: Array<[file: string, spec: string]> = [
      ['src/amazon/probe.ts', '../workflow/log.js'],
      ['src/observability/tracing.ts', '../workflow/log.js'],
      ['src/queue/probe.ts', '../http/errors.js'],
      ['src/workflow/probe.ts', '../http/errors.js'],
      ['src/workflow/phases/probe.ts', '../../billing/setup.js'],
      ['src/store/probe.ts', '../simulator/stripe/app.js'],
      ['src/http/probe.ts', '../dashboard/routes.js'],
      ['src/http/routes/probe.ts', '../../main.js'],
      ['src/payouts/probe.ts', '../main.js'],
      ['src/billing/probe.ts', '../observability/metrics.js'],
    ];
    for (const [file, spec] of upward) expect(await imports(file, spec), `${file} → ${spec}`).toEqual([PATHS]);
  });

  it('let a folder import its own layer and the layers below it, and the simulators from the adapters up', async () => {
    const permitted: Array<[file: string, spec: string]> = [
      ['src/queue/probe.ts', '../store/db.js'],
      ['src/amazon/probe.ts', '../observability/tracing.js'],
      ['src/workflow/probe.ts', '../queue/job-queue.js'],
      ['src/http/probe.ts', '../workflow/engine.js'],
      ['src/payouts/probe.ts', '../filing/filings.js'],
      ['src/billing/probe.ts', '../simulator/stripe/app.js'],
      ['src/amazon/probe.ts', '../simulator/demo.js'],
      ['src/cli/probe.ts', '../main.js'],
      ['src/main.ts', './simulator/demo.js'],
      ['src/observability/metrics.ts', '../workflow/log.js'],
    ];
    for (const [file, spec] of permitted) expect(await imports(file, spec), `${file} → ${spec}`).toEqual([]);
  });

  it('are the rules the project lints src/ with', async () => {
    const project = new ESLint({ cwd: root });
    const store = (await project.calculateConfigForFile(join(root, 'src/store/db.ts'))) as Linter.Config;
    const domain = (await project.calculateConfigForFile(join(root, 'src/domain/money.ts'))) as Linter.Config;
    expect(store.rules?.[PATHS]).toEqual(expect.arrayContaining([2]));
    expect(domain.rules?.[IMPORTS]).toEqual(expect.arrayContaining([2]));
  });

  it('cover every file of src/', () => {
    const listed = [...config.LAYERS.flatMap((l) => l.paths), config.SIMULATORS];
    const inside = (file: string, path: string) => file === path || file.startsWith(`${path}/`);
    const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
      .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'));
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => !listed.some((p) => inside(f, p))), 'files of src/ in no layer of eslint.config.js').toEqual([]);
  });
});
