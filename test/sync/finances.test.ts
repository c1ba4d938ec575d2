// Finance data in a sync: refunds and fee charges come from Finances 2024-06-19 into
// transactions.json, v0 only for a sync in which Amazon refuses 2024-06-19, and detection over
// the synced demo seller finds the same claims either way, never counting the same money twice.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpApiClient } from '../../src/amazon/sp-api.js';
import { lastCompleteDay } from '../../src/detection/detect-claims.js';
import { claimIdentity, detect, type Claim } from '../../src/detection/index.js';
import { NonRetryableError } from '../../src/domain/errors.js';
import { generateSeller } from '../../src/simulator/seller/index.js';
import type { SimulatorOptions } from '../../src/simulator/server/index.js';
import { rows, type Database } from '../../src/store/db.js';
import { materialize } from '../../src/sync/materialize.js';
import { storeCosts } from '../../src/sync/seller-files.js';
import { lineWriter } from '../../src/sync/store-lines.js';
import { syncSeller } from '../../src/sync/sync-seller.js';
import { connect, lwaFor, SELLER, simulator } from '../simulator/server/harness.js';
import { openPglite } from '../support/infra.js';
import { storeLine } from '../support/report-lines.js';

const AS_OF = lastCompleteDay();
let folder: string;
let database: Database;
let costs: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'clario-finances-'));
  await generateSeller({ seed: 7, asOf: AS_OF }, folder);
  costs = await readFile(join(folder, 'costs.csv'), 'utf8');
  database = await openPglite();
}, 120_000);
afterAll(async () => {
  await database?.close();
  await rm(folder, { recursive: true, force: true });
});

interface SyncRun {
  readonly progress: Array<Record<string, unknown>>;
  readonly financeCalls: string[];
}

/**
 * One sync of `userId` against a simulator of the demo seller set up as `amazon` says. `crashAfter`
 * stops the sync (as a lost lease does) once that many finance calls have been made.
 */
async function sync(userId: string, syncId: string, amazon: Partial<SimulatorOptions> = {}, crashAfter?: number): Promise<SyncRun> {
  const sim = await simulator({ sellers: new Map([[SELLER, { folder }]]), rateLimits: false, reportPolls: 0, transactionsPageSize: 50, ...amazon });
  const lwa = lwaFor(sim);
  const stop = new AbortController();
  const run: SyncRun = { progress: [], financeCalls: [] };
  const client = createSpApiClient({
    baseUrl: sim.url,
    sellerId: SELLER,
    accessToken: lwa.tokenSource(await connect(sim, lwa)),
    signal: stop.signal,
    limiter: false,
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.startsWith('/finances/')) {
        // The lease is lost before the call, so no request is left half-answered.
        if (crashAfter !== undefined && run.financeCalls.length >= crashAfter) stop.abort(new Error('lease lost'));
        stop.signal.throwIfAborted();
        run.financeCalls.push(url.pathname);
      }
      return fetch(input, init);
    },
  });
  await syncSeller(userId, syncId, {
    db: database.db,
    client,
    marketplaceIds: ['ATVPDKIKX0DER'],
    now: new Date(),
    signal: stop.signal,
    progress: (p) => {
      run.progress.push(p);
      return Promise.resolve();
    },
  });
  return run;
}

/** What detection finds over the seller's stored data, and which files it was given. */
async function detectStored(userId: string) {
  const dir = await mkdtemp(join(tmpdir(), 'clario-finances-detect-'));
  try {
    await materialize(database.db, userId, dir);
    const files = await readdir(dir);
    const { claims } = await detect(dir, { asOf: AS_OF });
    return { files, claims, view: viewOf(claims) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function viewOf(claims: readonly Claim[]): Record<string, unknown> {
  return Object.fromEntries(claims.map((c) => [claimIdentity(c), { quantity: c.quantity, amount: c.amount?.minor ?? null, status: c.status, deadline: c.deadline }]));
}

async function storedLines(userId: string, source: string): Promise<number> {
  const [row] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM report_lines WHERE user_id = ${userId} AND source = ${source}`);
  return row?.n ?? 0;
}

const FINANCE_TYPES = new Set(['refund_not_returned', 'fee_overcharge', 'return_damaged']);

describe('finance data in a sync', () => {
  let v0View: Record<string, unknown>;
  let transactionCalls = 0;
  let v0FinanceClaims: Claim[];

  it('falls back to v0 for a sync in which Amazon refuses 2024-06-19, and detection reads financial-events.json', async () => {
    await storeCosts(database.db, 'user-v0', costs);
    const run = await sync('user-v0', 'sync-v0', { financesTransactions: false });
    expect(run.financeCalls[0]).toBe('/finances/2024-06-19/transactions');
    expect(run.financeCalls.slice(1).every((p) => p === '/finances/v0/financialEvents')).toBe(true);
    expect(run.progress.map((p) => p.source)).toContain('financial-events.json');
    expect(run.progress.map((p) => p.source)).not.toContain('transactions.json');
    const found = await detectStored('user-v0');
    expect(found.files).toContain('financial-events.json');
    expect(found.files).not.toContain('transactions.json');
    v0View = found.view;
    v0FinanceClaims = found.claims.filter((c) => FINANCE_TYPES.has(c.type));
    // The demo seller has refunds never returned and overcharged fees planted.
    expect(new Set(v0FinanceClaims.map((c) => c.type))).toEqual(new Set(['refund_not_returned', 'fee_overcharge', 'return_damaged']));
  }, 120_000);

  it('writes detection only the v0 lists it reads, whatever other lists Amazon sent', async () => {
    // Finances v0 has lists detection does not read (service fees, chargebacks…); the simulator sends none.
    await storeLine(database.db, { userId: 'user-v0', source: 'financial-events.json', syncId: 'sync-v0', documentId: 'finances-page-9', lineNo: 1, line: 'ServiceFeeEventList\t{"FeeReason":"x"}' });
    const dir = await mkdtemp(join(tmpdir(), 'clario-finances-lists-'));
    try {
      await materialize(database.db, 'user-v0', dir);
      const written = JSON.parse(await readFile(join(dir, 'financial-events.json'), 'utf8')) as Record<string, unknown[]>;
      expect(Object.keys(written)).toEqual(['AdjustmentEventList', 'RefundEventList', 'ShipmentEventList']);
      expect(Object.values(written).every((l) => l.length > 0)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect((await detectStored('user-v0')).view).toEqual(v0View);
  }, 120_000);

  it('pulls 2024-06-19 into transactions.json, one transaction a line, and detection finds the same claims as over v0', async () => {
    await storeCosts(database.db, 'user-tx', costs);
    const run = await sync('user-tx', 'sync-tx');
    expect(new Set(run.financeCalls)).toEqual(new Set(['/finances/2024-06-19/transactions']));
    transactionCalls = run.financeCalls.length;
    const progress = run.progress.find((p) => p.source === 'transactions.json');
    expect(progress).toBeDefined();
    const found = await detectStored('user-tx');
    expect(found.files).toContain('transactions.json');
    expect(found.files).not.toContain('financial-events.json');
    const v0Events = Object.values(JSON.parse(await readFile(join(folder, 'financial-events.json'), 'utf8')) as Record<string, unknown[]>).reduce((n, l) => n + l.length, 0);
    expect(await storedLines('user-tx', 'transactions.json')).toBe(v0Events);
    expect(progress?.rows).toBe(v0Events);
    expect(found.view).toEqual(v0View);
    // The finance claims cite transactions.json's lines.
    for (const claim of found.claims.filter((c) => c.type === 'refund_not_returned' || c.type === 'fee_overcharge')) {
      expect(claim.sources.some((s) => s.file === 'transactions.json')).toBe(true);
    }
  }, 120_000);

  it('moves to 2024-06-19 once v0 is removed, and detection reads that file alone: nothing counted twice', async () => {
    const run = await sync('user-v0', 'sync-after-v0-removed', { financesV0Removed: true });
    expect(new Set(run.financeCalls)).toEqual(new Set(['/finances/2024-06-19/transactions']));
    const found = await detectStored('user-v0');
    expect(found.files).toContain('transactions.json');
    expect(found.files).not.toContain('financial-events.json');
    expect(found.view).toEqual(v0View);
  }, 120_000);

  it('says both versions were refused when Amazon answers neither', async () => {
    const err = await sync('user-none', 'sync-none', { financesTransactions: false, financesV0Removed: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect((err as Error).message).toMatch(/^Amazon refused Finances 2024-06-19 \(SP-API listTransactions answered 404 NotFound.*\) and v0 \(SP-API listFinancialEvents answered 403 Unauthorized/);
  }, 120_000);

  it('a sync stopped halfway through the transactions resumes without storing any line twice', async () => {
    await storeCosts(database.db, 'user-crash', costs);
    expect(transactionCalls).toBeGreaterThan(4);
    const crashed = await sync('user-crash', 'sync-crash', {}, Math.ceil(transactionCalls / 2)).catch((e: unknown) => e);
    expect(crashed).toBeInstanceOf(Error);
    const partial = await storedLines('user-crash', 'transactions.json');
    expect(partial).toBeGreaterThan(0);
    const done = await rows<{ source: string; status: string }>(database.db, sql`SELECT source, status FROM sync_sources WHERE sync_id = 'sync-crash' ORDER BY source`);
    expect(done.find((d) => d.source === 'transactions.json')?.status).toBe('pending');

    const resumed = await sync('user-crash', 'sync-crash');
    // Only what was not done is fetched again: the sources before the transactions were not.
    expect(resumed.progress.map((p) => p.source)).not.toContain('inbound-shipments.json');
    expect(resumed.progress[0]?.source).toBe('transactions.json');
    expect(await storedLines('user-crash', 'transactions.json')).toBe(await storedLines('user-tx', 'transactions.json'));
    expect((await detectStored('user-crash')).view).toEqual(v0View);
  }, 120_000);

  it('keeps one line per transaction: a later version (a deferred transaction released) replaces the first in place', async () => {
    const write = async (syncId: string, status: string) => {
      const writer = lineWriter(database.db, { userId: 'user-keyed', source: 'transactions.json', syncId, documentId: `${syncId}-page-1` });
      await writer.add(`transactions\t{"transactionId":"T1","transactionStatus":"${status}"}`, 1, 'T1');
      await writer.add('transactions\t{"transactionId":"T2"}', 2, 'T2');
      return writer.finish();
    };
    expect(await write('s1', 'DEFERRED')).toEqual({ rows: 2, newRows: 2 });
    const [before] = await rows<{ seq: string }>(database.db, sql`SELECT seq::text FROM report_lines WHERE user_id = 'user-keyed' AND line LIKE '%T1%'`);
    expect(await write('s2', 'DEFERRED_RELEASED')).toEqual({ rows: 2, newRows: 1 });
    const stored = await rows<{ seq: string; line: string; sync_id: string }>(database.db, sql`SELECT seq::text, line, sync_id FROM report_lines WHERE user_id = 'user-keyed' ORDER BY seq`);
    expect(stored.map((s) => [s.line.includes('T1') ? 'T1' : 'T2', s.sync_id])).toEqual([['T1', 's2'], ['T2', 's1']]);
    expect(stored[0]?.seq).toBe(before?.seq);
    expect(stored[0]?.line).toContain('DEFERRED_RELEASED');
  });
});
