// `npm run bench [figure…]`: figures as JSON, never pass/fail. Uses PostgreSQL and Redis on loopback when
// they answer (BENCH_DATABASE_URL / BENCH_REDIS_URL to point elsewhere); embedded figures always.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { benchAdminUrl as adminUrl, benchRedisUrl as redisUrl, withBenchDatabase, withBenchQueue } from './support.js';
import { embeddedWorkflows, productionWorkflows, rawBullMqChain, round } from './workflow.js';
import { startBenchServers, triggerAtRate, triggerThroughput, triggerToWebSocket } from './http.js';
import { detectionBench } from './detection.js';
import { syncBench } from './sync.js';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const CONCURRENCY = 8;
/**
 * Worker slots at which the production workflow figure is measured again, beside raw BullMQ at the
 * same concurrency (`BENCH_CONCURRENCY=16,32`; empty for none). The headline ratio stays at
 * CONCURRENCY, the default WORKER_CONCURRENCY. At 8 slots each slot spends most of a transition
 * waiting for its commit, so more slots show what the engine does when that wait is overlapped.
 */
const MORE_CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '32').split(',').map(Number).filter((c) => c > 0 && c !== CONCURRENCY);

async function reachable(): Promise<{ postgres: boolean; redis: boolean }> {
  const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  const postgres = await c.connect().then(() => true, () => false);
  await c.end().catch(() => undefined);
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  const redis = await r.connect().then(() => r.ping()).then(() => true, () => false);
  r.disconnect();
  return { postgres, redis };
}

/** A fresh database for one measurement; only called once PostgreSQL is known to answer. */
function withDatabase<T>(f: (url: string) => Promise<T>): Promise<T> {
  return withBenchDatabase(adminUrl, 'clario_bench', (url) => {
    if (!url) throw new Error('PostgreSQL stopped answering');
    return f(url);
  });
}

/** `BENCH_RATE_<ENGINE>=1000,5000` overrides an engine's fixed arrival rates (triggers per second). */
function rates(engine: 'production' | 'embedded', fallback: number): number[] {
  const given = process.env[`BENCH_RATE_${engine.toUpperCase()}`];
  return given ? given.split(',').map(Number).filter((r) => r > 0) : [fallback];
}

/**
 * The phase endpoint closed loop and at fixed rates, then trigger → WebSocket. With `workers: false`
 * (production only) the API runs with no worker process: the API, PostgreSQL and Redis have the
 * machine's cores to themselves, as when the workers run elsewhere; what it stores stays pending
 * (the database is dropped after), so there is no waiting for idle, and no phase to see completed.
 */
async function httpFigures(env: Record<string, string>, fixedRates: readonly number[], options: { workers?: boolean } = {}) {
  // Clario runs in processes of its own (bench/server.ts): the load generator does not share its CPU time.
  const workers = options.workers !== false;
  const servers = await startBenchServers(env, { workers });
  const { token, url } = servers;
  // So that one measurement does not queue behind the work the last one started.
  const settle = () => (workers ? servers.waitForIdle() : Promise.resolve());
  try {
    await triggerThroughput(url, token, { requests: 200, inFlight: 16 }); // warm-up
    await settle();
    const intake = await triggerThroughput(url, token, { requests: Math.round(2000 * scale), inFlight: 32 });
    await settle();
    // The same endpoint at fixed arrival rates: latency counts from when each trigger was due.
    const atRate = [];
    for (const rate of fixedRates) {
      atRate.push(await triggerAtRate(url, token, { rate, seconds: Math.max(2, 10 * scale) }));
      await settle();
    }
    const figures = { phase_endpoint: intake, phase_endpoint_fixed_rate: atRate };
    if (!workers) return figures;
    const ws = await triggerToWebSocket(url, token, await servers.sellerToken(), Math.round(200 * scale));
    return { ...figures, trigger_to_websocket: ws };
  } finally {
    await servers.close();
  }
}

type Report = Record<string, unknown>;
type Infra = { postgres: boolean; redis: boolean };

/** The figures, in the order they run; `npm run bench -- detection sync` runs only those named. */
const FIGURES: Record<string, (report: Report, infra: Infra) => Promise<void>> = {
  async embedded(report) {
    log('embedded workflows (PGlite, postgres queue)');
    // As many workflows as the production figure: 200 took about a second, mostly start-up (the
    // JIT, the PGlite thread's first statements), and the same code gave 129 to 185 workflows/s.
    report.embedded = { workflows: await embeddedWorkflows(Math.round(1000 * scale), CONCURRENCY) };
    const dataDir = mkdtempSync(join(tmpdir(), 'clario-bench-'));
    try {
      log('embedded HTTP');
      Object.assign(report.embedded as object, await httpFigures({ CLARIO_DATA_DIR: dataDir }, rates('embedded', 200)));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  async production(report, infra) {
    if (!infra.postgres || !infra.redis) {
      report.production = { skipped: `PostgreSQL reachable: ${infra.postgres}, Redis reachable: ${infra.redis}` };
      return;
    }
    log('production workflows (PostgreSQL + BullMQ)');
    const workflows = Math.round(1000 * scale);
    const engine = await withDatabase((url) => productionWorkflows(url, redisUrl, workflows, CONCURRENCY));
    log('raw BullMQ 7-step chain');
    const raw = await rawBullMqChain({ redisUrl, workflows, concurrency: CONCURRENCY });
    const atConcurrency: Record<number, object> = {};
    for (const c of MORE_CONCURRENCY) {
      log(`production workflows and raw BullMQ at concurrency ${c}`);
      const e = await withDatabase((url) => productionWorkflows(url, redisUrl, workflows, c));
      const r = await rawBullMqChain({ redisUrl, workflows, concurrency: c });
      atConcurrency[c] = { workflows_per_second: e.workflows_per_second, raw_bullmq_per_second: r.workflows_per_second, ratio_to_raw_bullmq: round(e.workflows_per_second / r.workflows_per_second) };
    }
    log('production HTTP');
    const http = await withDatabase((url) =>
      withBenchQueue(redisUrl, 'bench', (prefix) => httpFigures({ DATABASE_URL: url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix }, rates('production', 1000))),
    );
    log('production HTTP, the API alone (no worker process)');
    const alone = await withDatabase((url) =>
      withBenchQueue(redisUrl, 'bench', (prefix) => httpFigures({ DATABASE_URL: url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix }, rates('production', 1000), { workers: false })),
    );
    report.production = {
      workflows: engine,
      raw_bullmq_chain: raw,
      ratio_to_raw_bullmq: round(engine.workflows_per_second / raw.workflows_per_second),
      at_concurrency: atConcurrency,
      ...http,
      api_alone: alone,
    };
  },
  async detection(report) {
    log('detection over a generated seller');
    report.detection = await detectionBench(Math.round(5_000_000 * scale), log);
  },
  async sync(report, infra) {
    log('sync of a generated seller from the simulator (rate limits off)');
    report.sync = await syncBench(Math.round(1_000_000 * scale), infra.postgres ? adminUrl : undefined);
  },
};

async function main(): Promise<number> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !(n in FIGURES));
  if (unknown.length > 0) {
    console.error(`unknown figure ${unknown.join(', ')}; choose from ${Object.keys(FIGURES).join(', ')}`);
    return 2;
  }
  const infra = await reachable();
  const report: Report = {
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    concurrency: CONCURRENCY,
  };
  for (const name of names.length > 0 ? names : Object.keys(FIGURES)) await FIGURES[name]!(report, infra);
  console.log(JSON.stringify(report, null, 2));
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
