import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canStartOwnServers, startOwnServers, type OwnServers } from '../../resilience/infra.js';
import { restart } from '../../resilience/scenarios/restart.js';
import { smokeContext } from './support.js';

// Its own PostgreSQL and Redis (it stops and starts them): where their binaries are installed.
// Opt-in (RESILIENCE_RESTART_SMOKE=1) until the open bug it finds is fixed: now and then, after a
// PostgreSQL restart, a worker's events stay running or pending (issue #9's note). A known,
// intermittent failure must not decide whether unrelated work lands; `npm run resilience -- restart`
// runs the full scenario.
const describeIfServers = canStartOwnServers() && process.env.RESILIENCE_RESTART_SMOKE === '1' ? describe : describe.skip;

describeIfServers('Redis and PostgreSQL restarted mid-run (smoke)', () => {
  let servers: OwnServers;
  beforeAll(async () => {
    servers = await startOwnServers();
  });
  afterAll(async () => {
    await servers?.stop();
  });

  it('loses no transition and files and charges each claim once', async () => {
    const r = await restart(smokeContext(0.05, servers));
    // Where the database sessions were when something hung (empty when all completed).
    expect({ violations: r.violations, sessions: r.figures.sessions }).toEqual({ violations: [], sessions: undefined });
    expect(r.figures).toMatchObject({ sellers: 15, workflows_completed: 15, cases_filed: 15, fees_charged: 15, effects_duplicated: { cases: 0, fees: 0 } });
  }, 160_000);
});
