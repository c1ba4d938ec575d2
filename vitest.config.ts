import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * The `unit` project: pure tests (no PostgreSQL, Redis, PGlite, browser, server or child process),
 * fast enough to run on every save with `npm run test:unit`. Everything else is `integration`, so
 * a new test file is an integration test until someone lists it here, and `npm test` runs every
 * file exactly once.
 */
const UNIT = [
  'test/domain/**/*.test.ts',
  'test/detection/**/*.test.ts',
  'test/amazon/lines.test.ts',
  'test/billing/fee.test.ts',
  'test/client/boundary.test.ts',
  'test/config/readme.test.ts',
  'test/config/smtp-url.test.ts',
  'test/dashboard/claim-order.test.ts',
  'test/deploy/engines.test.ts',
  'test/evidence/score-claim.test.ts',
  'test/filing/case-kit.test.ts',
  'test/filing/plan-cases.test.ts',
  'test/http/origins.test.ts',
  'test/learning/taxonomy.test.ts',
  'test/payouts/match-payout.test.ts',
  'test/payouts/reimbursement-line.test.ts',
  'test/proof/fee-arithmetic.test.ts',
  'test/security/secret-box.test.ts',
  'test/store/copy-text.test.ts',
  'test/sync/drop-buyer-columns.test.ts',
  'test/simulator/seller/demo-seller.test.ts',
  'test/web/filing-view.test.ts',
  'test/web/seller-view.test.ts',
  'test/web/timeline.test.ts',
  'test/workflow/batcher.test.ts',
  'test/store/pglite-gate.test.ts',
];
// A renamed or deleted file would silently move to (or vanish from) a project: say so instead.
const gone = UNIT.filter((p) => !p.includes('*') && !existsSync(p));
if (gone.length > 0) throw new Error(`vitest.config.ts lists unit test files that do not exist: ${gone.join(', ')}`);

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    // Test files share a worker's module graph instead of importing Clario afresh each (a fifth of
    // the suite's time on two cores). What a file opens it still closes (no-open-handles.ts checks
    // each file), and a helper module shared by files closes what it opened per test
    // (onTestFinished), never by a hook of its own, which would belong to the first file that imported it.
    isolate: false,
    // Hang guards, not speed limits: generous, so a loaded machine (CPU hogs beside the run) only
    // makes the suite slower, never red.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    // expect.poll's own default (1 s) is a speed limit on a loaded machine: a generous hang guard instead.
    expect: { poll: { timeout: 60_000 } },
    // A file that leaves a timer, socket, server or child process open fails.
    setupFiles: ['test/support/no-open-handles.ts'],
    // TEST_LEAKS=1: vitest also says where each leaked resource was created (slow; for hunting).
    detectAsyncLeaks: process.env.TEST_LEAKS === '1',
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: UNIT,
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
