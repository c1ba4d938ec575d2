// A vitest reporter that writes, per test file, how long it took from its import to its last
// afterAll (the JSON report only spans the tests themselves, so a slow beforeAll would hide) and
// what failed outside its tests: a hook, the import, a handle left open. scripts/test.mjs prints
// the ten slowest files from it, and counts a file broken outside its tests as failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export interface FileReport {
  readonly file: string;
  readonly project: string;
  readonly ms: number;
  /** Errors outside any test (the module's and its suites': hooks, import, open handles). */
  readonly errors: string[];
  /** Tests meant to run that never did because of those errors (not the ones declared skipped). */
  readonly lost: number;
}

export default class FileTimesReporter implements Reporter {
  private readonly files: FileReport[] = [];
  constructor(private readonly options: { outputFile?: string } = {}) {}

  onTestModuleEnd(module: TestModule): void {
    const d = module.diagnostic();
    const ms = d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration;
    const errors = [module, ...module.children.allSuites()].flatMap((s) => s.errors()).map((e) => e.message.split('\n')[0] ?? '');
    const lost = errors.length === 0 ? 0 : [...module.children.allTests()].filter((t) => t.options.mode !== 'skip' && t.options.mode !== 'todo' && t.result().state !== 'passed' && t.result().state !== 'failed').length;
    this.files.push({ file: module.relativeModuleId, project: module.project.name, ms: Math.round(ms), errors, lost });
  }

  onTestRunEnd(): void {
    const out = this.options.outputFile ?? 'test-results/files.json';
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(this.files.sort((a, b) => b.ms - a.ms), null, 1)}\n`);
  }
}
