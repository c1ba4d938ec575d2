// Type-aware linting; the rules that matter most here are the promise rules:
// a floating promise is a lost error in a workflow engine.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// The layers of src/, enforced. Lowest first; a file may import its own layer and the layers below
// it, never one above ("no folder reaches upward"). Drawn from the imports as they are: the pure
// core, its storage, the adapters around them, the workflow engine, the shared HTTP pieces, the
// features that build on all of those, and the composition root that wires everything.
//
// - domain imports nothing outside itself: no other folder, no package, no node builtin (no I/O).
// - store imports only domain (and its database packages).
// - features may import one another (sideways, not up); only the composition root is above them.
// - the simulators (src/simulator) import no product code: they carry their own copy of every
//   wire fact (Stripe's minimum charges, Amazon's usage plans), so a wrong table in the product
//   is caught by them instead of agreed with. They sit beside the layers: any layer above store
//   may start one (billing's embedded Stripe, the demo Amazon), as a leaf that imports nothing back.
//
// Every file of src/ must be in a layer (test/lint/layers.test.ts checks it, and that each rule fires).

/** Paths relative to the repository, lowest layer first. */
export const LAYERS = [
  { name: 'domain', paths: ['src/domain'] },
  { name: 'store', paths: ['src/store'] },
  {
    name: 'adapters',
    paths: ['src/version.ts', 'src/config', 'src/security', 'src/observability/logger.ts', 'src/observability/tracing.ts', 'src/queue', 'src/realtime', 'src/amazon'],
  },
  { name: 'workflow', paths: ['src/workflow'] },
  { name: 'http', paths: ['src/http'] },
  {
    name: 'features',
    paths: [
      'src/sync', 'src/connect', 'src/detection', 'src/discovery', 'src/evidence', 'src/routing', 'src/filing', 'src/payouts',
      'src/learning', 'src/proof', 'src/billing', 'src/mirror', 'src/dashboard', 'src/client', 'src/reminders',
    ],
  },
  // metrics.ts implements the observers that workflow and http declare, so it sits above them.
  {
    name: 'composition',
    paths: ['src/main.ts', 'src/capabilities.ts', 'src/lifecycle.ts', 'src/index.ts', 'src/cli', 'src/observability/metrics.ts'],
  },
];

/** The simulators: outside the layers, importing none of them. */
export const SIMULATORS = 'src/simulator';

// The simulators may be started from the adapters up, never from domain or store.
const ADAPTERS = LAYERS.findIndex((l) => l.name === 'adapters');
const fromSrc = (p) => `./${p.slice('src/'.length)}`;

/** Every zone of import-x/no-restricted-paths: what each layer may not import. */
function layerZones() {
  const zones = LAYERS.slice(0, -2).map((layer, i) => {
    const simulators = i >= ADAPTERS ? [SIMULATORS] : [];
    const simulatorsNamed = simulators.length > 0 ? ['the simulators'] : [];
    return {
      target: layer.paths,
      // Everything in src/ but what it may import: a folder no layer lists counts as above.
      from: 'src',
      except: [...LAYERS.slice(0, i + 1).flatMap((l) => l.paths), ...simulators].map(fromSrc),
      message: `${layer.name} may import only ${[...LAYERS.slice(0, i + 1).map((l) => l.name), ...simulatorsNamed].join(', ')} (the layers in eslint.config.js).`,
    };
  });
  const features = LAYERS.at(-2);
  const composition = LAYERS.at(-1);
  zones.push({
    target: features.paths,
    from: composition.paths,
    message: `${features.name} may not import the composition root (the layers in eslint.config.js).`,
  });
  zones.push({
    target: SIMULATORS,
    from: 'src',
    except: [fromSrc(SIMULATORS)],
    message: 'a simulator imports no product code: it keeps its own copy of what it needs (eslint.config.js).',
  });
  return zones;
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.clario/', 'coverage/', 'test-results/', 'src/web/dist/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      // Imports are written with .js and resolve to the .ts beside it (NodeNext).
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: layerZones() }],
    },
  },
  {
    files: ['src/domain/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(?!\\./)', message: 'domain is the pure core: it imports only its own files (no package, no node builtin, no other folder).' }],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['src/cli/**', 'scripts/**', 'bench/**', 'test/**', 'resilience/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Test files share their helper modules (vitest.config.ts: isolate: false), so a hook a helper
    // registers when it is first imported belongs to that one file: the others would never run it.
    // A helper closes what it opens with onTestFinished, or offers a function a test file calls.
    files: ['test/**/*.ts'],
    ignores: ['test/**/*.test.ts', 'test/support/no-open-handles.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: 'Program > ExpressionStatement > CallExpression[callee.name=/^(after|before)(Each|All)$/]',
        message: 'a test helper module is imported once for every file of a worker: register hooks in a function a test file calls, or clean up with onTestFinished (vitest.config.ts, isolate: false).',
      }],
    },
  },
  {
    // Tests read JSON answers loosely on purpose; the promise rules still apply.
    files: ['test/**', 'bench/**', 'resilience/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
