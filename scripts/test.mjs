#!/usr/bin/env node
// `npm test`: lint, typecheck, then every test suite (unit, integration on real PostgreSQL and
// Redis, end to end over HTTP and WebSocket). Ends with one summary line:
//   tests: N passed, N failed, N skipped
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
const run = (label, cmd, args) => {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status === 0;
};

const extra = process.argv.slice(2);
const steps = [];
if (extra.length === 0) {
  steps.push(['lint', run('lint (eslint)', bin('eslint'), ['.'])]);
  steps.push(['typecheck', run('typecheck (tsc)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])]);
  steps.push(['typecheck web', run('typecheck web (tsc)', bin('tsc'), ['-p', 'web/tsconfig.json', '--noEmit'])]);
}
mkdirSync('test-results', { recursive: true });
const report = 'test-results/vitest.json';
const testsOk = run('tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra]);
steps.push(['tests', testsOk]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed = r.numFailedTests ?? 0;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  const skippedFiles = (r.testResults ?? []).filter((f) => (f.assertionResults ?? []).length > 0 && f.assertionResults.every((a) => a.status === 'skipped' || a.status === 'pending'));
  if (skippedFiles.length > 0) {
    console.log(`\n!!! SKIPPED SUITES (infrastructure not reachable):\n${skippedFiles.map((f) => `  - ${f.name.replace(process.cwd() + '/', '')}`).join('\n')}`);
  }
}
const bad = steps.filter(([, ok]) => !ok).map(([name]) => name);
if (bad.length > 0) console.log(`\nFAILED: ${bad.join(', ')}`);
if (!testsOk && failed === 0) failed = 1; // the runner itself failed
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(bad.length > 0 ? 1 : 0);
