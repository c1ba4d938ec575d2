// The rule of eslint.config.js that keeps hooks out of test helpers' top level fires: test files
// share helper modules (isolate: false), so such a hook would run for the first importer only.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RULE = 'no-restricted-syntax';
let probe: ESLint;

beforeAll(async () => {
  const config = (await import(pathToFileURL(join(root, 'eslint.config.js')).href)) as { default: Linter.Config[] };
  const blocks = config.default.filter((c) => c.rules && RULE in c.rules);
  expect(blocks.length).toBeGreaterThan(0);
  probe = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...blocks] });
});

async function fired(file: string, code: string): Promise<string[]> {
  const [result] = await probe.lintText(code, { filePath: join(root, file) });
  const messages = result?.messages ?? [];
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.map((m) => m.ruleId ?? '?');
}

const TOP_LEVEL = "import { afterEach } from 'vitest';\nafterEach(() => undefined);\n";
const IN_A_FUNCTION = "import { afterAll } from 'vitest';\nexport function useIt() {\n  afterAll(() => undefined);\n}\n";

describe('hooks in test helpers', () => {
  it('a hook at a helper module\'s top level is refused, in any helper folder', async () => {
    expect(await fired('test/support/probe.ts', TOP_LEVEL)).toEqual([RULE]);
    expect(await fired('test/filing/support.ts', TOP_LEVEL.replace(/afterEach/g, 'beforeAll'))).toEqual([RULE]);
  });

  it('a hook inside a function a test file calls, or in a test file itself, is allowed', async () => {
    expect(await fired('test/support/probe.ts', IN_A_FUNCTION)).toEqual([]);
    expect(await fired('test/filing/probe.test.ts', TOP_LEVEL)).toEqual([]);
    // The per-file setup file is run again for every file, so its own top-level hook is right.
    expect(await fired('test/support/no-open-handles.ts', TOP_LEVEL)).toEqual([]);
  });
});
