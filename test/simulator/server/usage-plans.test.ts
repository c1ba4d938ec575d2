// Clario paces its SP-API calls on its own table of usage plans; the simulator refuses on its own
// copy of Amazon's. They must agree, or the client either burns through 429s or waits for nothing.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/amazon/clock.js';
import { USAGE_PLANS } from '../../../src/amazon/rate-limit.js';
import { AMAZON_USAGE_PLANS, UsageBuckets } from '../../../src/simulator/server/usage-plans.js';

describe('the usage plans', () => {
  it("are the same in Clario's client as in the simulated Amazon, operation by operation", () => {
    expect(USAGE_PLANS).toEqual(AMAZON_USAGE_PLANS);
  });

  it('refuse a call once the burst is spent, and take one again after a token refills', () => {
    const clock = new ManualClock();
    const buckets = new UsageBuckets(clock);
    const bucket = buckets.bucket('A1', 'getReport');
    for (let i = 0; i < AMAZON_USAGE_PLANS.getReport.burst; i++) expect(bucket.take(clock.now())).toBe(0);
    expect(bucket.take(clock.now())).toBe(500); // 2 a second: the next token in half a second
    expect(buckets.bucket('A2', 'getReport').take(clock.now())).toBe(0); // per seller
    clock.advance(500);
    expect(bucket.take(clock.now())).toBe(0);
  });

  it('take a raised plan for an operation instead of the default, and keep the defaults for the others', () => {
    const clock = new ManualClock();
    const buckets = new UsageBuckets(clock, { listTransactions: { rate: 20, burst: 2 } });
    const raised = buckets.bucket('A1', 'listTransactions');
    expect(raised.rate).toBe(20);
    expect([raised.take(clock.now()), raised.take(clock.now()), raised.take(clock.now())]).toEqual([0, 0, 50]);
    expect(buckets.bucket('A1', 'listFinancialEvents').rate).toBe(AMAZON_USAGE_PLANS.listFinancialEvents.rate);
  });
});
