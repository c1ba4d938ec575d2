// Sync speed and memory for a large generated seller, next to the raw speed of reading the same
// gzipped ledger line by line (zlib gunzip + readline) in the same run (issue 3). The simulator
// serves the seller with its rate limits off, so the figure is Clario's own speed, not Amazon's
// usage plan. The sync runs in a child process so that its peak RSS is its own, not the
// generator's or the simulator's.
import { fork } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { loaderArgs, withBenchDatabase } from './support.js';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { LwaClient } from '../src/amazon/lwa.js';
import { createSpApiClient } from '../src/amazon/sp-api.js';
import { generateSeller } from '../src/simulator/seller/index.js';
import { startSimulator } from '../src/simulator/server/app.js';
import { openDatabase, rows } from '../src/store/db.js';
import { syncSeller } from '../src/sync/sync-seller.js';

const LEDGER = 'GET_LEDGER_DETAIL_VIEW_DATA.tsv';
const CHILD_FLAG = '--sync-bench-child';
const SELLER_ID = 'A1SYNCBENCHSELLER';
const CLIENT = { clientId: 'amzn1.application-oa2-client.syncbench', clientSecret: 'syncbench-secret' };
const REDIRECT_URI = 'http://127.0.0.1/callback';

interface ChildInput {
  simulatorUrl: string;
  databaseUrl: string | undefined;
}

interface ChildReport {
  seconds: number;
  rows: number;
  ledger_rows: number;
  total_rows_stored: number;
  store: 'postgres' | 'pglite';
  rss_before_mb: number;
  peak_rss_mb: number;
  source_seconds: Record<string, number>;
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

/** zlib gunzip + readline over the gzipped ledger: what reading the file alone costs. */
async function rawGunzipReadline(path: string): Promise<{ rows: number; seconds: number }> {
  const start = performance.now();
  const lines = createInterface({ input: createReadStream(path, { highWaterMark: 1 << 18 }).pipe(createGunzip()), crlfDelay: Infinity });
  let rows = -1; // the header is not a row
  for await (const line of lines) if (line !== '') rows++;
  return { rows, seconds: (performance.now() - start) / 1000 };
}

/** The seller approves the app on the simulator's consent page; the code is exchanged for tokens. */
async function connect(url: string): Promise<{ lwa: LwaClient; refreshToken: string }> {
  const form = new URLSearchParams({ application_id: 'amzn1.sp.solution.syncbench', state: 'syncbench', redirect_uri: REDIRECT_URI, selling_partner_id: SELLER_ID });
  const res = await fetch(`${url}/apps/authorize/consent`, { method: 'POST', body: form, redirect: 'manual' });
  const code = new URL(res.headers.get('location') ?? REDIRECT_URI).searchParams.get('spapi_oauth_code');
  if (!code) throw new Error(`consent answered ${res.status} without a code`);
  const lwa = new LwaClient({ ...CLIENT, tokenUrl: `${url}/auth/o2/token`, consentBaseUrl: url });
  const { refreshToken } = await lwa.exchangeCode(code, REDIRECT_URI);
  return { lwa, refreshToken };
}

async function childMain(input: ChildInput): Promise<void> {
  const before = process.memoryUsage().rss;
  const { lwa, refreshToken } = await connect(input.simulatorUrl);
  const db = await openDatabase({ url: input.databaseUrl });
  try {
    const client = createSpApiClient({ baseUrl: input.simulatorUrl, sellerId: SELLER_ID, accessToken: lwa.tokenSource(refreshToken), limiter: false });
    const start = performance.now();
    const sourceSeconds: Record<string, number> = {};
    let last = start;
    const summary = await syncSeller('syncbench-user', `syncbench-${Date.now()}`, {
      db: db.db,
      client,
      marketplaceIds: ['ATVPDKIKX0DER'],
      now: new Date(),
      signal: new AbortController().signal,
      progress: (p) => {
        const t = performance.now();
        sourceSeconds[String(p.source)] = round((t - last) / 1000);
        last = t;
        return Promise.resolve();
      },
      reportPoll: { initialIntervalMs: 50, maxIntervalMs: 250 },
    });
    const seconds = (performance.now() - start) / 1000;
    const peak = process.resourceUsage().maxRSS; // kilobytes
    const [stored] = await rows<{ n: string | number }>(db.db, sql`SELECT count(*) AS n FROM report_lines`);
    const [ledger] = await rows<{ rows: number }>(db.db, sql`SELECT rows FROM sync_sources WHERE source = ${LEDGER}`);
    const report: ChildReport = {
      seconds,
      rows: summary.rows,
      ledger_rows: ledger?.rows ?? 0,
      total_rows_stored: Number(stored?.n ?? 0),
      store: db.kind,
      rss_before_mb: round(before / 2 ** 20, 1),
      peak_rss_mb: round(peak / 1024, 1),
      source_seconds: sourceSeconds,
    };
    process.send?.(report);
  } finally {
    await db.close();
  }
}

function syncInChild(input: ChildInput): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], { execArgv: loaderArgs(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let report: ChildReport | undefined;
    child.on('message', (m) => (report = m as ChildReport));
    child.on('error', reject);
    child.on('exit', (code) => (report && code === 0 ? resolve(report) : reject(new Error(`sync child exited with ${code}`))));
    child.send(input);
  });
}

/** Generates a seller with at least `ledgerRows` ledger rows and syncs it from the simulator. */
export async function syncBench(ledgerRows: number, adminUrl: string | undefined): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'clario-bench-sync-'));
  const folder = join(dir, 'seller');
  try {
    const generateStart = performance.now();
    const seller = await generateSeller({ seed: 1, asOf: new Date().toISOString().slice(0, 10), skus: 400, ledgerRows }, folder);
    const generateSeconds = (performance.now() - generateStart) / 1000;
    const gzipped = join(dir, `${LEDGER}.gz`);
    await pipeline(createReadStream(join(folder, LEDGER)), createGzip(), createWriteStream(gzipped));
    const raw = await rawGunzipReadline(gzipped);

    const simulator = await startSimulator(0, { sellers: new Map([[SELLER_ID, { folder }]]), ...CLIENT, rateLimits: false });
    try {
      const child = await withBenchDatabase(adminUrl, 'clario_syncbench', (databaseUrl) => syncInChild({ simulatorUrl: simulator.url, databaseUrl }));
      const rowsPerSecond = child.rows / child.seconds;
      const rawRowsPerSecond = raw.rows / raw.seconds;
      return {
        ledger_rows: seller.rows[LEDGER] ?? 0,
        ledger_rows_synced: child.ledger_rows,
        rows_synced: child.rows,
        total_rows_stored: child.total_rows_stored,
        generate_seconds: round(generateSeconds),
        seconds: round(child.seconds),
        rows_per_second: Math.round(rowsPerSecond),
        rss_before_mb: child.rss_before_mb,
        peak_rss_mb: child.peak_rss_mb,
        raw_gunzip_readline_seconds: round(raw.seconds),
        raw_gunzip_readline_rows_per_second: Math.round(rawRowsPerSecond),
        ratio: round(rowsPerSecond / rawRowsPerSecond, 3),
        store: child.store,
        rate_limits: 'off (simulator)',
        source_seconds: child.source_seconds,
      };
    } finally {
      await simulator.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === CHILD_FLAG) {
  process.once('message', (input) => {
    childMain(input as ChildInput).then(
      () => process.disconnect(),
      (err: unknown) => {
        console.error(err);
        process.exitCode = 1;
        process.disconnect();
      },
    );
  });
}
