import { expect, it } from 'vitest';
import { load } from '../../resilience/scenarios/load.js';
import { describeWithRedis } from '../support/infra.js';
import { compiledWorker, smokeContext } from './support.js';

const worker = await compiledWorker();

describeWithRedis('the phase endpoint under rising load (smoke)', () => {
  // Invariants only: how fast this machine is (or how busy) decides how many steps run and what
  // rate they reach, never whether the test passes.
  it('runs at least one step, every step has accepted triggers, no 5xx and none lost', async () => {
    const ctx = { ...smokeContext(0.1), deadline: Date.now() + 25_000, worker };
    const r = await load(ctx);
    expect(r.violations).toEqual([]);
    const steps = r.figures.steps as Array<{ sent: number; accepted: number }>;
    expect(steps.length).toBeGreaterThanOrEqual(1);
    for (const s of steps) expect(s.accepted).toBeGreaterThanOrEqual(1);
    expect(r.figures.stored).toBeGreaterThanOrEqual(r.figures.accepted as number);
  }, 180_000);
});
