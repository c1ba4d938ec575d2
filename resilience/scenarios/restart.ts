// Redis restart and PostgreSQL restart mid-run, in production mode (PostgreSQL + BullMQ, an API
// process and a worker process). Redis comes back empty (no persistence: every queued job is
// gone); PostgreSQL is stopped the hard way (immediate: every connection cut, as in a crash).
// Sellers keep connecting throughout, one every few milliseconds, and each server is stopped only
// while work is in flight: a restart after all work has finished proves nothing. The fee provider
// refuses each first charge (503), so every payout's phase 7 waits in Redis as a delayed retry;
// Redis is killed only while such jobs are there, and they are lost with it.
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../src/store/db.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { check, sellerId, startDriver, waitForWorkflows, type Driver } from '../drive.js';
import { startProviders } from '../providers.js';
import { deploymentEnv, startNode, workloadViolations, type Scenario } from '../scenario.js';
import { workloadCapabilities } from '../workload.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function count(db: Db, where: ReturnType<typeof sql>): Promise<number> {
  const [r] = await rows<{ n: string }>(db, sql`SELECT count(*) AS n FROM phase_events WHERE ${where}`).catch(() => [{ n: '-1' }]);
  return Number(r?.n);
}
const completedCount = (db: Db) => count(db, sql`status = 'completed'`);
const inFlightCount = (db: Db) => count(db, sql`status IN ('pending', 'running')`);

/** From the server's return until the workflows commit their next transition. */
async function timeToProgress(db: Db, deadline: number): Promise<number> {
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

/** Connects one seller every `paceMs` without waiting for the last; `sent` counts them. */
function trickle(driver: Driver, users: readonly string[], paceMs: number) {
  let sent = 0;
  const pending: Array<Promise<void>> = [];
  const done = (async () => {
    for (const u of users) {
      pending.push(driver.connect([u]));
      sent++;
      await sleep(paceMs);
    }
    await Promise.all(pending);
  })();
  return { sent: () => sent, done };
}

/** Waits until `n` sellers were sent and `measure` is above zero; its last value. */
async function when(load: { sent(): number }, n: number, measure: () => Promise<number>, deadline: number): Promise<number> {
  while (Date.now() < deadline) {
    const v = load.sent() >= n ? await measure() : 0;
    if (v > 0) return v;
    await sleep(10);
  }
  return 0;
}

async function jobsInRedis(queue: JobQueue): Promise<number> {
  const s = await queue.stats();
  return s.waiting + s.delayed;
}

export const restart: Scenario = async (ctx) => {
  const servers = ctx.infra.servers;
  if (!servers) throw new Error('the restart scenario needs servers it may restart (its own PostgreSQL and Redis)');
  const sellers = Math.max(3, Math.round(300 * ctx.scale));
  const providers = await startProviders({ feesFailFirst: true });
  const database = await ctx.infra.newDatabase();
  // Retries wait 1–2 s, so the refused charges sit in Redis long enough to be there when it dies.
  const env = deploymentEnv(database.url, ctx.infra.redisUrl, { WORKFLOW_RETRY_BASE_MS: '2000', WORKFLOW_RETRY_MAX_MS: '4000' });
  const caps = workloadCapabilities({ caseApiUrl: providers.cases.url, caseTokenSecret: providers.cases.tokenSecret, feeUrl: providers.fees.url });
  const api = await startNode(env, 'api');
  const worker = await startNode(env, 'worker', caps);
  try {
    const driver = startDriver({ url: api.url, token: env.CLARIO_SERVICE_TOKEN ?? '', providers, retries: 12 });
    const users = Array.from({ length: sellers }, (_, i) => sellerId(i));
    const third = Math.ceil(sellers / 3);
    const db = api.clario.database;
    // The sellers' arrivals span at least six seconds, so both restarts fall inside them.
    const load = trickle(driver, users, Math.max(20, Math.floor(6000 / sellers)));
    ctx.log(`restart: ${sellers} sellers; Redis restarted, then PostgreSQL`);

    const redisJobs = await when(load, third, () => jobsInRedis(api.clario.queue), ctx.deadline);
    await servers.restartRedis();
    const redisRecover = await timeToProgress(db.db, ctx.deadline);
    ctx.log(`restart: Redis killed holding ${redisJobs} jobs; progress ${redisRecover} ms after it came back`);

    const postgresInFlight = await when(load, 2 * third, () => inFlightCount(db.db), ctx.deadline);
    await servers.restartPostgres();
    const postgresRecover = await timeToProgress(db.db, ctx.deadline);
    ctx.log(`restart: PostgreSQL stopped with ${postgresInFlight} events in flight; progress ${postgresRecover} ms after it came back`);

    await load.done;
    const finished = await waitForWorkflows(db.db, users, 1, ctx.deadline);
    ctx.log(`restart: workflows ${finished ? 'all completed' : 'not all completed by the deadline'}`);
    await driver.settle();
    const f = await check(db.db, providers, users);
    const violations = workloadViolations(f);
    if (!finished) violations.push('stopped at its deadline before every workflow completed');
    if (driver.sent.failed > 0) violations.push(`${driver.sent.failed} triggers were not accepted: ${driver.sent.errors.slice(0, 3).join('; ')}`);
    if (redisJobs === 0) violations.push('Redis held no jobs when it was killed');
    if (postgresInFlight === 0) violations.push('nothing was in flight when PostgreSQL stopped');
    if (redisRecover < 0) violations.push('no progress after the Redis restart');
    if (postgresRecover < 0) violations.push('no progress after the PostgreSQL restart');
    return {
      figures: {
        sellers,
        redis: { jobs_lost: redisJobs, recover_ms: redisRecover },
        postgres: { in_flight_at_stop: postgresInFlight, recover_ms: postgresRecover },
        triggers_sent: driver.sent,
        ...f,
      },
      violations,
    };
  } finally {
    await worker.close().catch(() => undefined);
    await api.close().catch(() => undefined);
    await providers.close();
    await database.drop();
  }
};
