import { expect, it } from 'vitest';
import { sigterm } from '../../resilience/scenarios/sigterm.js';
import { describeWithRedis } from '../support/infra.js';
import { compiledWorker, smokeContext } from './support.js';

const worker = await compiledWorker();

describeWithRedis('workers sent SIGTERM mid-run (smoke)', () => {
  it('exit 0 by themselves, hand back what they held, and lose or repeat nothing', async () => {
    const r = await sigterm({ ...smokeContext(0.1), worker });
    expect(r.violations).toEqual([]);
    expect(r.figures).toMatchObject({ sellers: 12, sigterms: 1, exit_codes: { '0': 1 }, workflows_completed: 12, cases_filed: 12, fees_charged: 12, effects_duplicated: { cases: 0, fees: 0 } });
  }, 160_000);
});
