// Redis restart and PostgreSQL restart mid-run, in production mode (PostgreSQL + BullMQ, an API
// process and a worker process). Redis comes back empty (no persistence: every queued job is
// gone); PostgreSQL is stopped the hard way (immediate: every connection cut, as in a crash).
// Sellers keep connecting throughout; nothing may be lost, no effect may happen twice.
import { sql } from 'drizzle-orm';
import type { Runner } from '../../src/store/db.js';
import { check, sellerId, startDriver, waitForWorkflows } from '../drive.js';
import { startProviders } from '../providers.js';
import { deploymentEnv, startNode, workloadViolations, type Scenario } from '../scenario.js';
import { workloadCapabilities } from '../workload.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function completedCount(db: Runner): Promise<number> {
  const [r] = await db.run<{ n: string }>(sql`SELECT count(*) AS n FROM phase_events WHERE status = 'completed'`).catch(() => [{ n: '-1' }]);
  return Number(r?.n);
}

/** From the server's return until the workflow commits its next transition. */
async function timeToProgress(db: Runner, deadline: number): Promise<number> {
  const back = Date.now();
  let before = await completedCount(db);
  while (before < 0 && Date.now() < deadline) {
    await sleep(50);
    before = await completedCount(db);
  }
  while (Date.now() < deadline) {
    if ((await completedCount(db)) > before) return Date.now() - back;
    await sleep(50);
  }
  return -1;
}

export const restart: Scenario = async (ctx) => {
  const servers = ctx.infra.servers;
  if (!servers) throw new Error('the restart scenario needs servers it may restart (its own PostgreSQL and Redis)');
  const sellers = Math.max(3, Math.round(300 * ctx.scale));
  const providers = await startProviders();
  const database = await ctx.infra.newDatabase();
  const env = deploymentEnv(database.url, ctx.infra.redisUrl);
  const caps = workloadCapabilities({ caseApiUrl: providers.cases.url, caseTokenSecret: providers.cases.tokenSecret, feeUrl: providers.fees.url });
  const api = await startNode(env, 'api');
  const worker = await startNode(env, 'worker', caps);
  try {
    const driver = startDriver({ url: api.url, token: env.CLARIO_SERVICE_TOKEN ?? '', providers, retries: 12 });
    const users = Array.from({ length: sellers }, (_, i) => sellerId(i));
    const third = Math.ceil(sellers / 3);
    const db = api.clario.database;
    ctx.log(`restart: ${sellers} sellers; Redis restarted, then PostgreSQL`);
    await driver.connect(users.slice(0, third));
    await sleep(500);
    await servers.restartRedis();
    const redisRecover = await timeToProgress(db, ctx.deadline);
    ctx.log(`restart: Redis back, progress after ${redisRecover} ms`);
    const during = driver.connect(users.slice(third, 2 * third));
    await sleep(300);
    await servers.restartPostgres();
    const postgresRecover = await timeToProgress(db, ctx.deadline);
    ctx.log(`restart: PostgreSQL back, progress after ${postgresRecover} ms`);
    await during;
    ctx.log('restart: sellers connected during the restart were accepted');
    await driver.connect(users.slice(2 * third));
    const finished = await waitForWorkflows(db, users, 1, ctx.deadline);
    ctx.log(`restart: workflows ${finished ? 'all completed' : 'not all completed by the deadline'}`);
    await driver.settle();
    const f = await check(db, providers, users);
    const violations = workloadViolations(f);
    if (!finished) violations.push('stopped at its deadline before every workflow completed');
    if (driver.sent.failed > 0) violations.push(`${driver.sent.failed} triggers were not accepted: ${driver.sent.errors.slice(0, 3).join('; ')}`);
    if (redisRecover < 0) violations.push('no progress after the Redis restart');
    if (postgresRecover < 0) violations.push('no progress after the PostgreSQL restart');
    return {
      figures: { sellers, redis: { recover_ms: redisRecover }, postgres: { recover_ms: postgresRecover }, triggers_sent: driver.sent, ...f },
      violations,
    };
  } finally {
    await worker.close().catch(() => undefined);
    await api.close().catch(() => undefined);
    await providers.close();
    await database.drop();
  }
};
