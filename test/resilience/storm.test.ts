import { expect, it } from 'vitest';
import { storm } from '../../resilience/scenarios/storm.js';
import { describeWithRedis } from '../support/infra.js';
import { smokeContext } from './support.js';

describeWithRedis('the duplicate storm (smoke)', () => {
  it('files one case and charges one fee per claim, and every early or repeated trigger completes', async () => {
    const r = await storm(smokeContext(0.05));
    expect(r.violations).toEqual([]);
    expect(r.figures).toMatchObject({ sellers: 10, workflows_completed: 10, cases_filed: 10, fees_charged: 10, effects_duplicated: { cases: 0, fees: 0 } });
  });
});
