// The demo seller through Amazon's wire formats and back: the sync brings the removal shipment and
// replacement reports (resuming after a crash without fetching again what it stored), keeps no
// buyer data, and detection over what it stored finds exactly the generator's truth, all eleven
// claim types of it.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/amazon/clock.js';
import { lastCompleteDay } from '../../src/detection/detect-claims.js';
import { CLAIM_TYPES, claimIdentity, detect, type Claim } from '../../src/detection/index.js';
import { createSpApiClient, type SpApiClient } from '../../src/amazon/sp-api.js';
import { generateSeller, type ExpectedClaim, type GeneratedSeller } from '../../src/simulator/seller/index.js';
import { rows, type Database } from '../../src/store/db.js';
import { isBuyerColumn } from '../../src/sync/drop-buyer-columns.js';
import { materialize } from '../../src/sync/materialize.js';
import { storeCosts, storeRemovalReceipts } from '../../src/sync/seller-files.js';
import { SYNC_SOURCES } from '../../src/sync/sources.js';
import { syncSeller, type SyncContext } from '../../src/sync/sync-seller.js';
import { openPglite } from '../support/infra.js';
import { connect, lwaFor, SELLER, simulator } from '../simulator/server/harness.js';

// The day detection judges as of, as the service does: the stored sync times are the database's real clock.
const AS_OF = lastCompleteDay();
const USER = 'seller-demo-sync';
const REMOVAL_SHIPMENTS = 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA';
const REPLACEMENTS = 'GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA';
const SHIPMENTS = 'GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL';

let folder: string;
let seller: GeneratedSeller;
let database: Database;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'clario-demo-sync-'));
  seller = await generateSeller({ seed: 7, asOf: AS_OF }, folder);
  // Amazon's shipments report carries the buyer's details (the generator leaves most empty): fill
  // every buyer column with something recognisable, to look for it in the database afterwards.
  const path = join(folder, `${SHIPMENTS}.tsv`);
  const [header = '', ...lines] = (await readFile(path, 'utf8')).split('\n');
  const buyer = header.split('\t').map(isBuyerColumn);
  const filled = lines.map((l) => (l === '' ? l : l.split('\t').map((v, i) => (buyer[i] ? `pii-${i}@buyer.example` : v)).join('\t')));
  await writeFile(path, [header, ...filled].join('\n'));
  database = await openPglite();
}, 120_000);
afterAll(async () => {
  await database?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('syncing the demo seller', () => {
  it('resumes after a crash, stores no buyer data, and detection over the stored data finds all eleven planted claim types', async () => {
    // Amazon's clock a week ahead: a sync's PostedBefore (its "now") must be minutes in Amazon's past.
    const clock = new ManualClock(Date.now() + 7 * 86_400_000);
    const sim = await simulator({ clock, reportPolls: 0, rateLimits: false, sellers: new Map([[SELLER, { folder }]]) });
    const lwa = lwaFor(sim, { clock });
    const refreshToken = await connect(sim, lwa);
    // Which reports each run asks Amazon for.
    let requested: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : input.toString();
      if (init?.method === 'POST' && url.endsWith('/reports/2021-06-30/reports') && typeof init.body === 'string') requested.push((JSON.parse(init.body) as { reportType: string }).reportType);
      return fetch(input, init);
    };
    const client: SpApiClient = createSpApiClient({ baseUrl: sim.url, sellerId: SELLER, accessToken: lwa.tokenSource(refreshToken), clock, fetch: recording });
    const context = (now: Date, progress: SyncContext['progress'] = () => Promise.resolve()): SyncContext => ({
      db: database.db, client, marketplaceIds: ['ATVPDKIKX0DER'], now, signal: new AbortController().signal, progress, reportPoll: { initialIntervalMs: 1 },
    });
    const now = new Date();

    // The worker dies right after storing the removal shipments report.
    const crash = new Error('worker lost');
    const first = await syncSeller(USER, 'sync-1', context(now, (p) => (p.source === `${REMOVAL_SHIPMENTS}.tsv` ? Promise.reject(crash) : Promise.resolve()))).catch((e: unknown) => e);
    expect(first).toBe(crash);
    expect(requested).toContain(REMOVAL_SHIPMENTS);
    expect(requested).not.toContain(REPLACEMENTS);
    const storedFirst = new Set(requested);
    requested = [];
    const resumed = await syncSeller(USER, 'sync-1', context(now));
    expect(resumed.sources).toBe(SYNC_SOURCES.length);
    // Only what the crash left unfetched is asked for again.
    expect(requested).toEqual([REPLACEMENTS]);
    expect(storedFirst.has(REPLACEMENTS)).toBe(false);

    const sources = await rows<{ source: string; status: string; rows: number; header: string | null }>(database.db,
      sql`SELECT source, status, rows, header FROM sync_sources WHERE sync_id = 'sync-1'`);
    const bySource = new Map(sources.map((s) => [s.source, s]));
    for (const report of [REMOVAL_SHIPMENTS, REPLACEMENTS]) {
      expect(bySource.get(`${report}.tsv`)).toMatchObject({ status: 'done', rows: seller.rows[`${report}.tsv`] });
    }

    // No buyer data anywhere: not in a stored line, not in a header; the shipments lines match their header.
    const [pii] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM report_lines WHERE line LIKE '%buyer.example%'`);
    expect(pii?.n).toBe(0);
    const shipmentsHeader = bySource.get(`${SHIPMENTS}.tsv`)?.header ?? '';
    expect(shipmentsHeader.split('\t').filter(isBuyerColumn)).toEqual([]);
    expect(shipmentsHeader.split('\t')).toEqual(expect.arrayContaining(['amazon-order-id', 'sku', 'quantity-shipped', 'currency', 'item-price']));
    const widths = await rows<{ w: number }>(database.db,
      sql`SELECT DISTINCT cardinality(string_to_array(line, E'\t'))::int AS w FROM report_lines WHERE user_id = ${USER} AND source = ${`${SHIPMENTS}.tsv`}`);
    expect(widths).toEqual([{ w: shipmentsHeader.split('\t').length }]);

    // The next sync reaches back only a few days, and finds nothing new in the two reports.
    requested = [];
    await syncSeller(USER, 'sync-2', context(new Date(now.getTime() + 86_400_000)));
    expect(requested).toEqual(expect.arrayContaining([REMOVAL_SHIPMENTS, REPLACEMENTS]));
    const again = await rows<{ source: string; new_rows: number }>(database.db,
      sql`SELECT source, new_rows FROM sync_sources WHERE sync_id = 'sync-2' AND source IN (${`${REMOVAL_SHIPMENTS}.tsv`}, ${`${REPLACEMENTS}.tsv`})`);
    expect(again.map((s) => s.new_rows)).toEqual([0, 0]);

    // Detection over what was stored, with the seller's own files uploaded: costs and removal receipts.
    await storeCosts(database.db, USER, await readFile(join(folder, 'costs.csv'), 'utf8'));
    await storeRemovalReceipts(database.db, USER, await readFile(join(folder, 'removal-receipts.csv'), 'utf8'));
    const dir = await mkdtemp(join(tmpdir(), 'clario-demo-detect-'));
    try {
      await materialize(database.db, USER, dir);
      const { claims } = await detect(dir, { asOf: AS_OF });
      expect(viewOfClaims(claims)).toEqual(viewOfTruth(seller.groundTruth));
      expect(new Set(claims.map((c) => c.type))).toEqual(new Set(CLAIM_TYPES));
      expect(CLAIM_TYPES).toHaveLength(11);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

const V1_KEY_FIELDS = ['fnsku', 'shipment_id', 'order_id', 'removal_order_id', 'sku', 'reimbursement_id'] as const;

/** The same identity as claimIdentity (test/simulator/seller/demo-seller.test.ts explains it). */
function expectedIdentity(c: ExpectedClaim): string {
  const base = `${c.type}|${V1_KEY_FIELDS.map((f) => c.key[f] ?? '').join('|')}|${c.currency ?? ''}`;
  return c.key.reference_id === undefined && c.key.tracking_number === undefined ? base : `${base}|${c.key.reference_id ?? ''}|${c.key.tracking_number ?? ''}`;
}
function viewOfClaims(claims: readonly Claim[]): Record<string, unknown> {
  return Object.fromEntries(claims.map((c) => [claimIdentity(c), { quantity: c.quantity, amount: c.amount?.minor ?? null, status: c.status, deadline: c.deadline }]));
}
function viewOfTruth(truth: readonly ExpectedClaim[]): Record<string, unknown> {
  return Object.fromEntries(truth.map((c) => [expectedIdentity(c), { quantity: c.quantity, amount: c.amount, status: c.status, deadline: c.deadline }]));
}
