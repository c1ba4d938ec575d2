// Detection speed and memory over a generated seller, next to the raw speed of splitting the same
// ledger into fields in the same run (issue 4: at least half the raw speed, memory that does not
// grow with the file). Detection runs in a child process so that its peak RSS is its own, not the
// generator's or the rest of the bench's.
import { fork } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loaderArgs } from './support.js';
import { claimIdentity, detect } from '../src/detection/index.js';
import { generateSeller, type ExpectedClaim } from '../src/simulator/seller/index.js';

const LEDGER = 'GET_LEDGER_DETAIL_VIEW_DATA.tsv';
const AS_OF = '2026-11-22';
const CHILD_FLAG = '--detection-bench-child';
const KEY_FIELDS = ['fnsku', 'shipment_id', 'order_id', 'removal_order_id', 'sku', 'reimbursement_id'] as const;

interface ChildReport {
  seconds: number;
  claims: string[];
  rss_before_mb: number;
  peak_rss_mb: number;
  sampled_peak_rss_mb: number;
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const mb = (bytes: number) => round(bytes / 2 ** 20, 1);

/** readline + split('\t') over the ledger: the floor no reader can beat. */
async function rawSplit(path: string): Promise<{ rows: number; seconds: number }> {
  const start = performance.now();
  const lines = createInterface({ input: createReadStream(path, { highWaterMark: 1 << 18 }), crlfDelay: Infinity });
  let rows = -1; // the header is not a row
  let fields = 0;
  for await (const line of lines) {
    fields += line.split('\t').length;
    rows++;
  }
  // Using the count keeps the split from being optimized away.
  if (fields === 0) throw new Error('empty ledger');
  return { rows, seconds: (performance.now() - start) / 1000 };
}

/** Runs detection over `dir` in a child process and reports its time and memory. */
function detectInChild(dir: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    // Same loader flags (tsx) as this process, so the child can run this TypeScript file.
    const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, dir], { execArgv: loaderArgs(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let report: ChildReport | undefined;
    child.on('message', (m) => (report = m as ChildReport));
    child.on('error', reject);
    child.on('exit', (code) => (report && code === 0 ? resolve(report) : reject(new Error(`detection child exited with ${code}`))));
  });
}

async function childMain(dir: string): Promise<void> {
  const before = process.memoryUsage().rss;
  let sampled = before;
  // Sampled as well as the kernel's maxRSS: the samples show the curve is flat, not just its top.
  const timer = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 50);
  const start = performance.now();
  const { claims } = await detect(dir, { asOf: AS_OF });
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  const report: ChildReport = {
    seconds,
    claims: claims.map(claimIdentity),
    rss_before_mb: mb(before),
    // maxRSS is in kilobytes.
    peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
    sampled_peak_rss_mb: mb(sampled),
  };
  process.send?.(report);
}

function identityOf(c: ExpectedClaim): string {
  return `${c.type}|${KEY_FIELDS.map((f) => c.key[f] ?? '').join('|')}|${c.currency ?? ''}`;
}

/** Generates a seller with at least `rows` ledger rows in a temporary folder and measures detection over it. */
export async function detectionBench(rows: number): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'clario-bench-detection-'));
  try {
    const generateStart = performance.now();
    const seller = await generateSeller({ seed: 1, asOf: AS_OF, skus: 400, ledgerRows: rows }, dir);
    const generateSeconds = (performance.now() - generateStart) / 1000;
    const ledgerRows = seller.rows[LEDGER] ?? 0;

    const raw = await rawSplit(join(dir, LEDGER));
    const child = await detectInChild(dir);
    const expected = seller.groundTruth.map(identityOf).sort();
    const rowsPerSecond = ledgerRows / child.seconds;
    const rawRowsPerSecond = raw.rows / raw.seconds;
    return {
      rows: ledgerRows,
      all_rows: Object.entries(seller.rows).reduce((n, [file, count]) => (file.endsWith('.jsonl') ? n : n + count), 0),
      generate_seconds: round(generateSeconds),
      seconds: round(child.seconds),
      rows_per_second: Math.round(rowsPerSecond),
      rss_before_mb: child.rss_before_mb,
      peak_rss_mb: child.peak_rss_mb,
      sampled_peak_rss_mb: child.sampled_peak_rss_mb,
      raw_split_seconds: round(raw.seconds),
      raw_split_rows_per_second: Math.round(rawRowsPerSecond),
      ratio: round(rowsPerSecond / rawRowsPerSecond),
      claims: child.claims.length,
      claims_match_ground_truth: JSON.stringify([...child.claims].sort()) === JSON.stringify(expected),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === CHILD_FLAG && process.argv[3]) {
  childMain(process.argv[3]).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
