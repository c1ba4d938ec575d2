import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canStartOwnServers, startOwnServers, type OwnServers } from '../../resilience/infra.js';
import { restart } from '../../resilience/scenarios/restart.js';
import { smokeContext } from './support.js';

// Its own PostgreSQL and Redis (it stops and starts them): where their binaries are installed
// (.ci/run installs them).
const describeIfServers = canStartOwnServers() ? describe : describe.skip;

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
    // Redis died holding queued jobs, PostgreSQL with events in flight, and the work went on.
    const f = r.figures as { redis: { jobs_lost: number; recover_ms: number }; postgres: { in_flight_at_stop: number; recover_ms: number } };
    expect(f.redis.jobs_lost).toBeGreaterThan(0);
    expect(f.postgres.in_flight_at_stop).toBeGreaterThan(0);
    expect([f.redis.recover_ms, f.postgres.recover_ms].every((ms) => ms >= 0)).toBe(true);
  }, 160_000);
});
