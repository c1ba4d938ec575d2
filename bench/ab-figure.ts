// One A/B measurement, in a child process whose working directory is the checkout measured: the
// bench modules are imported from there (`node --import tsx <this file> <checkout> <figure>`), so
// an older commit is measured with its own code. Prints one JSON line of figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchAdminUrl as adminUrl, benchRedisUrl as redisUrl, withBenchQueue } from './support.js';

type Figures = Record<string, number>;

const [checkout, figure] = process.argv.slice(2);
const from = (path: string) => import(pathToFileURL(`${checkout}/bench/${path}`).href);

async function measure(): Promise<Figures> {
  const { withBenchDatabase } = await from('support.ts');
  if (figure === 'embedded') {
    const { embeddedWorkflows } = await from('workflow.ts');
    return { workflows_per_second: (await embeddedWorkflows(1000, 8)).workflows_per_second };
  }
  if (figure === 'production') {
    const { productionWorkflows } = await from('workflow.ts');
    const r = await withBenchDatabase(adminUrl, 'clario_ab', (url: string) => productionWorkflows(url, redisUrl, 1000, 8));
    return { workflows_per_second: r.workflows_per_second };
  }
  if (figure === 'api') {
    const { startBenchServers, triggerThroughput, triggerAtRate } = await from('http.ts');
    return withBenchDatabase(adminUrl, 'clario_ab', (url: string) => withBenchQueue(redisUrl, 'ab', async (prefix) => {
      const s = await startBenchServers({ DATABASE_URL: url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix }, { workers: false });
      try {
        await triggerThroughput(s.url, s.token, { requests: 200, inFlight: 16 }); // warm-up
        const closed = await triggerThroughput(s.url, s.token, { requests: 4000, inFlight: 32 });
        const fixed = await triggerAtRate(s.url, s.token, { rate: 1000, seconds: 10 });
        return { closed_per_second: closed.accepted_per_second, closed_p99_ms: closed.p99_ms, fixed_p50_ms: fixed.p50_ms, fixed_p99_ms: fixed.p99_ms };
      } finally {
        await s.close();
      }
    }));
  }
  if (figure === 'embedded-api') {
    // The embedded service as `npm start` runs it (PGlite on disk, its workers in the same process).
    const { startBenchServers, triggerThroughput, triggerAtRate } = await from('http.ts');
    const dataDir = mkdtempSync(join(tmpdir(), 'clario-ab-'));
    const s = await startBenchServers({ CLARIO_DATA_DIR: dataDir });
    try {
      await triggerThroughput(s.url, s.token, { requests: 200, inFlight: 16 }); // warm-up
      await s.waitForIdle();
      const closed = await triggerThroughput(s.url, s.token, { requests: 2000, inFlight: 32 });
      await s.waitForIdle();
      const fixed = await triggerAtRate(s.url, s.token, { rate: 200, seconds: 10 });
      return { closed_per_second: closed.accepted_per_second, closed_p99_ms: closed.p99_ms, fixed_p50_ms: fixed.p50_ms, fixed_p99_ms: fixed.p99_ms };
    } finally {
      await s.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (figure === 'sync') {
    // The sync figure at scale 1: a million ledger lines from the simulator into PostgreSQL.
    const { syncBench } = await from('sync.ts');
    const r = (await syncBench(1_000_000, adminUrl)) as { rows_per_second: number; source_seconds: Record<string, number> };
    return { rows_per_second: r.rows_per_second, ledger_seconds: r.source_seconds['GET_LEDGER_DETAIL_VIEW_DATA.tsv'] ?? NaN };
  }
  throw new Error(`unknown figure ${figure}; choose embedded, production, api, embedded-api or sync`);
}

measure().then(
  (figures) => {
    console.log(JSON.stringify(figures));
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
