import { expect, it } from 'vitest';
import { crash } from '../../resilience/scenarios/crash.js';
import { describeWithRedis } from '../support/infra.js';
import { compiledWorker, smokeContext } from './support.js';

const worker = await compiledWorker();

describeWithRedis('workers SIGKILLed mid-run (smoke)', () => {
  it('loses no transition and files and charges each claim once', async () => {
    const r = await crash({ ...smokeContext(0.02), worker });
    expect(r.violations).toEqual([]);
    expect(r.figures).toMatchObject({ sellers: 20, kills: 1, workflows_completed: 20, cases_filed: 20, fees_charged: 20, effects_duplicated: { cases: 0, fees: 0 } });
  }, 160_000);
});
