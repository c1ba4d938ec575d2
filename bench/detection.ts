// Detection speed and memory over a generated seller, next to the raw speed of splitting the same
// ledger into fields in the same run (issues 4 and 15: at least half the raw speed, memory that
// does not grow with the file). Detection runs in a child process so that its peak RSS is its
// own, not the generator's or the rest of the bench's; it runs at a fifth of the rows too, so the
// two peaks show whether memory grows with the file.
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
const V1_KEY_FIELDS = ['fnsku', 'shipment_id', 'order_id', 'removal_order_id', 'sku', 'reimbursement_id'] as const;
/** The inputs DETECTION.md version 2 added; named in the figure when the generator wrote none. */
const V2_INPUTS = ['GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv', 'GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA.tsv', 'transactions.json', 'removal-receipts.csv'];

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

/** The same identity as claimIdentity: version 1's key fields, currency, then version 2's when the key has any. */
function identityOf(c: ExpectedClaim): string {
  const base = `${c.type}|${V1_KEY_FIELDS.map((f) => c.key[f] ?? '').join('|')}|${c.currency ?? ''}`;
  return c.key.reference_id === undefined && c.key.tracking_number === undefined ? base : `${base}|${c.key.reference_id ?? ''}|${c.key.tracking_number ?? ''}`;
}

/** Generates a seller with at least `rows` ledger rows in a temporary folder and measures detection over it. */
async function measure(rows: number, log: (msg: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'clario-bench-detection-'));
  try {
    log(`generating a seller with ${rows} ledger rows`);
    const generateStart = performance.now();
    const seller = await generateSeller({ seed: 1, asOf: AS_OF, skus: 400, ledgerRows: rows }, dir);
    const generateSeconds = (performance.now() - generateStart) / 1000;
    const ledgerRows = seller.rows[LEDGER] ?? 0;

    log('raw split of the ledger');
    const raw = await rawSplit(join(dir, LEDGER));
    log('detection');
    const child = await detectInChild(dir);
    const expected = seller.groundTruth.map(identityOf).sort();
    const rowsPerSecond = ledgerRows / child.seconds;
    const rawRowsPerSecond = raw.rows / raw.seconds;
    const inputs = Object.fromEntries(Object.entries(seller.rows).filter(([file]) => !file.endsWith('.jsonl')));
    return {
      rows: ledgerRows,
      all_rows: Object.values(inputs).reduce((n, count) => n + count, 0),
      inputs,
      v2_inputs_not_generated: V2_INPUTS.filter((file) => !(file in inputs)),
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

/**
 * The figure at `rows` ledger rows, with detection's peak memory at a fifth of them beside it:
 * flat peaks mean memory does not grow with the file.
 */
export async function detectionBench(rows: number, log: (msg: string) => void = () => undefined): Promise<object> {
  const fifth = Math.round(rows / 5);
  const small = await measure(fifth, log);
  const full = await measure(rows, log);
  return {
    ...full,
    peak_rss_mb_by_rows: { [small.rows]: small.peak_rss_mb, [full.rows]: full.peak_rss_mb },
    [`at_${small.rows}_rows`]: { rows_per_second: small.rows_per_second, ratio: small.ratio, claims_match_ground_truth: small.claims_match_ground_truth },
  };
}

if (process.argv[2] === CHILD_FLAG && process.argv[3]) {
  childMain(process.argv[3]).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
