import { expect, it } from 'vitest';
import { load } from '../../resilience/scenarios/load.js';
import { describeWithRedis } from '../support/infra.js';
import { smokeContext } from './support.js';

describeWithRedis('the phase endpoint under rising load (smoke)', () => {
  it('measures steps until p99 passes the limit, with no 5xx', async () => {
    // Time to start its API and worker processes, then a few two-second steps.
    const ctx = { ...smokeContext(0.1), deadline: Date.now() + 25_000 };
    const r = await load(ctx);
    expect(r.violations).toEqual([]);
    const steps = r.figures.steps as Array<{ rate: number; achieved: number }>;
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((s) => s.achieved > 0)).toBe(true);
  }, 60_000);
});
