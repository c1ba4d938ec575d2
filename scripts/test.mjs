#!/usr/bin/env node
// `npm test`: lint, typecheck, then every test suite (unit, integration on real PostgreSQL and
// Redis, end to end over HTTP and WebSocket), then the ten slowest test files. Ends with one
// summary line, which CI greps:
//   tests: N passed, N failed, N skipped
// A file that fails outside its tests (a beforeAll that timed out, an import that threw, a handle
// left open) counts as failed, never as skipped. With CI=true a skipped test is a failure too.
//
// Lint and the two type checks run beside the tests, at the lowest CPU priority: they take the CPU
// the tests leave idle (a test waiting on a server or a child process), so on two cores they add
// little to the run instead of minutes before it. Their output is printed after the tests'. The
// type checks are incremental (their state in node_modules/.cache), so an unchanged tree is quick.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { setPriority } from 'node:os';

const bin = (name) => `node_modules/.bin/${name}`;
const rel = (file) => file.replace(`${process.cwd()}/`, '');
const CACHE = 'node_modules/.cache/clario-tests';

/** Runs a command with the terminal as its output; resolves whether it exited 0. */
const run = (label, cmd, args) => {
  console.log(`\n▶ ${label}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    child.on('error', (err) => (console.error(err), resolve(false)));
    child.on('exit', (code) => resolve(code === 0));
  });
};

/** Runs a command at the lowest priority, its output kept for later; resolves with both. */
const beside = (label, cmd, args) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      setPriority(child.pid, 19);
    } catch {
      // Not allowed here: it runs at the tests' priority, which only costs time.
    }
    child.on('error', (err) => resolve({ label, ok: false, output: `${output}${err.message}\n` }));
    child.on('close', (code) => resolve({ label, ok: code === 0, output }));
  });

const extra = process.argv.slice(2);
const steps = [];
mkdirSync(CACHE, { recursive: true });
const checks =
  extra.length > 0
    ? []
    : [
        beside('lint (eslint)', bin('eslint'), ['.']),
        beside('typecheck (tsc)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', `${CACHE}/tsc-root.tsbuildinfo`]),
        beside('typecheck web (tsc)', bin('tsc'), ['-p', 'web/tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', `${CACHE}/tsc-web.tsbuildinfo`]),
      ];
if (checks.length > 0) console.log('\n▶ lint and typecheck: running beside the tests, reported after them');
mkdirSync('test-results', { recursive: true });
const report = 'test-results/vitest.json';
const filesReport = 'test-results/files.json';
// A report left by an earlier run must not be read as this run's.
for (const f of [report, filesReport]) rmSync(f, { force: true });
const started = Date.now();
const testsOk = await run('tests (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  '--reporter=./test/support/files-reporter.ts',
  ...extra,
]);
const seconds = Math.round((Date.now() - started) / 1000);
for (const check of await Promise.all(checks)) {
  console.log(`\n▶ ${check.label}${check.ok ? '' : ': FAILED'}`);
  if (check.output.trim() !== '') process.stdout.write(check.output.endsWith('\n') ? check.output : `${check.output}\n`);
  steps.push([check.label.replace(/ \(.*\)$/, ''), check.ok]);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const ci = process.env.CI === 'true';
// Per file: time taken, and errors outside its tests (test/support/files-reporter.ts).
const perFile = existsSync(filesReport) ? JSON.parse(readFileSync(filesReport, 'utf8')) : [];
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const files = r.testResults ?? [];
  const notRun = (f) => (f.assertionResults ?? []).filter((a) => a.status === 'skipped' || a.status === 'pending' || a.status === 'todo');
  passed = r.numPassedTests ?? 0;
  failed = r.numFailedTests ?? 0;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);

  // Broken outside any test: the tests that never ran because of it are failures, not skips,
  // and the file counts as at least one failure (a handle left open fails no single test).
  const broken = perFile.filter((f) => f.errors.length > 0);
  for (const f of broken) {
    skipped -= f.lost;
    failed += Math.max(f.lost, 1);
  }
  if (broken.length > 0) {
    console.log(`\n!!! FAILED OUTSIDE A TEST (a hook, the import, or something left open; tests that could not run count as failed):`);
    for (const f of broken) console.log(`  - ${f.file}: ${f.errors.join(' | ')}`);
  }

  const brokenNames = new Set(broken.map((f) => f.file));
  const skippedFiles = files.filter((f) => !brokenNames.has(rel(f.name)) && (f.assertionResults ?? []).length > 0 && notRun(f).length === f.assertionResults.length);
  if (skippedFiles.length > 0) {
    console.log(`\n!!! SKIPPED FILES (their infrastructure is missing here: see the warning above the test output):\n${skippedFiles.map((f) => `  - ${rel(f.name)}`).join('\n')}`);
  }
  if (ci && skipped > 0) {
    console.log(`\n!!! CI=true: ${skipped} test(s) skipped; in CI nothing may skip, so each counts as failed.`);
    for (const f of files) if (!brokenNames.has(rel(f.name))) for (const a of notRun(f)) console.log(`  - ${rel(f.name)}: ${a.fullName}`);
    failed += skipped;
    skipped = 0;
    steps.push(['nothing skipped in CI', false]);
  }
}
steps.push(['tests', testsOk]);

if (perFile.length > 0) {
  const slowest = perFile.slice(0, 10);
  console.log(`\nten slowest test files (of ${seconds} s of tests; import, hooks and tests):`);
  for (const t of slowest) console.log(`  ${(t.ms / 1000).toFixed(1).padStart(7)} s  ${t.file}  [${t.project}]`);
}

const bad = steps.filter(([, ok]) => !ok).map(([name]) => name);
if (bad.length > 0) console.log(`\nFAILED: ${bad.join(', ')}`);
if (!testsOk && failed === 0) failed = 1; // the runner itself failed
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(bad.length > 0 ? 1 : 0);
