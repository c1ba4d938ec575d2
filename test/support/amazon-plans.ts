// The simulated Amazon's usage plans in tests. With Amazon's defaults a demo seller's first sync
// waits ~25 s on its limits: Finances' transaction pages at 0.5 calls a second once a burst of 10
// is spent, and getReport's status polls at 2 a second. Amazon grants some sellers more and
// announces it in x-amzn-RateLimit-Limit, which the client follows; test/amazon/rate-limit.test.ts
// proves both the default plans and that following. createReport and getReportDocument keep
// Amazon's plans: a first sync stays within their bursts, and a second one waits as on Amazon.
import type { UsagePlanOverrides } from '../../src/simulator/server/index.js';

export const TEST_USAGE_PLANS: UsagePlanOverrides = {
  listTransactions: { rate: 20, burst: 10 },
  listFinancialEvents: { rate: 20, burst: 30 },
  getReport: { rate: 20, burst: 15 },
};
