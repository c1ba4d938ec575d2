// The set-up of the scenarios that stop workers mid-run (crash, sigterm): the API in this process
// and two worker processes on one fresh database, torn down in one place.
import { startChild, type Child } from './child.js';
import type { Providers } from './providers.js';
import { deploymentEnv, startNode, type ScenarioContext } from './scenario.js';

export async function startWorkerPair(ctx: ScenarioContext, providers: Providers, workerExtra: Record<string, string> = {}) {
  const database = await ctx.infra.newDatabase();
  const api = await startNode(deploymentEnv(database.url, ctx.infra.redisUrl), 'api');
  const workerEnv = { ...api.env, ...providers.env, ...workerExtra };
  // Scenarios replace a stopped worker in place, so close() stops whichever are there then.
  const workers: Child[] = [startChild(workerEnv, 'worker', ctx.worker), startChild(workerEnv, 'worker', ctx.worker)];
  return {
    api,
    workerEnv,
    workers,
    async close(): Promise<void> {
      for (const w of workers) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      await api.close();
      await database.drop();
    },
  };
}
