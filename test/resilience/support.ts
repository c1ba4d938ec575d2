// The resilience scenarios on the test infrastructure: a fresh database per scenario, the shared
// Redis, small scale. The deadline only turns a hang into a clear failure.
import type { Infra, ScenarioContext } from '../../resilience/scenario.js';
import { compiledEntry } from '../support/compiled.js';
import { createTestDatabase, redis } from '../support/infra.js';

export const testInfra: Infra = { newDatabase: createTestDatabase, redisUrl: redis.url };

export function smokeContext(scale: number, infra: Infra = testInfra): ScenarioContext {
  return { infra, scale, deadline: Date.now() + 100_000, log: () => undefined };
}

/** resilience/worker.ts as JavaScript, for the scenarios that start worker processes (ScenarioContext.worker). */
export const compiledWorker = (): Promise<string> => compiledEntry('resilience/worker.ts');
