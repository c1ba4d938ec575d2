// A sync interrupted by SIGKILL resumes where it stopped: sources already stored are not
// fetched again, nothing is stored twice, and the claims are the same as an uninterrupted run's.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/store/db.js';
import { lastCompleteDay } from '../../src/detection/detect-claims.js';
import { generateSeller } from '../../src/simulator/seller/index.js';
import { SYNC_SOURCES } from '../../src/sync/sources.js';
import { startSimulator, type StartedSimulator } from '../../src/simulator/server/app.js';
import { TEST_USAGE_PLANS } from '../support/amazon-plans.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { compiledEntry } from '../support/compiled.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/infra.js';
import { SellerBrowser } from '../support/seller-browser.js';
import { waitFor } from '../support/wait.js';

const SELLER = 'A1RESUMESELLER';
const WORKER = await compiledEntry('test/fixtures/sync-worker.ts');

describeWithPostgres('a sync killed halfway', () => {
  let db: TestDatabase;
  let simulator: StartedSimulator;
  let api: TestClario;
  let survivor: TestClario | undefined;
  let child: ChildProcess | undefined;
  let userId = '';
  const folder = mkdtempSync(join(tmpdir(), 'clario-resume-'));

  beforeAll(async () => {
    db = await createTestDatabase();
    await generateSeller({ seed: 7, asOf: lastCompleteDay() }, folder); // the day detection judges as of
    // Rate limits are tested elsewhere; shared by two processes they would only slow this down.
    simulator = await startSimulator(0, { sellers: new Map([[SELLER, { folder }]]), clientId: 'resume-client', clientSecret: 'resume-secret', rateLimits: false, usagePlans: TEST_USAGE_PLANS });
  }, 120_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await survivor?.close();
    await api?.close();
    await simulator?.close();
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('resumes without fetching again what it had stored, and loses nothing', async () => {
    const amazon = {
      AMAZON_LWA_CLIENT_ID: 'resume-client',
      AMAZON_LWA_CLIENT_SECRET: 'resume-secret',
      AMAZON_SP_APP_ID: 'amzn1.sp.solution.resume',
      AMAZON_SP_API_URL: simulator.url,
      AMAZON_LWA_TOKEN_URL: `${simulator.url}/auth/o2/token`,
      AMAZON_CONSENT_URL: simulator.url,
      AMAZON_LWA_AUTHORIZE_URL: `${simulator.url}/ap/oa`,
      AMAZON_LWA_PROFILE_URL: `${simulator.url}/user/profile`,
      AMAZON_REPORT_POLL_MS: '50',
      // Every process must open what another sealed: one key for all, as in production.
      CLARIO_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      WORKFLOW_LEASE_MS: '1500',
      AMAZON_SYNC_INTERVAL_HOURS: '0',
    };
    // The API process takes the consent; no worker runs in it.
    api = await startTestClario({ store: 'postgres', database: db, role: 'api', env: amazon, capabilities: undefined });
    const browser = new SellerBrowser(api.url);
    userId = await browser.signIn();
    await browser.connect(SELLER);
    const costs = await api.request(`/api/v1/sellers/${userId}/costs`, { method: 'PUT', body: readFileSync(join(folder, 'costs.csv'), 'utf8'), headers: { 'content-type': 'text/csv' } });
    expect(costs.status).toBe(200);

    child = spawn(process.execPath, [WORKER], { env: { ...process.env, ...api.env }, stdio: ['ignore', 'ignore', 'inherit'] });
    const exited = new Promise((r) => child?.on('exit', (_c, signal) => r(signal)));
    const doneSources = () => rows<{ source: string; updated_at: string }>(api.clario.database.db, sql`SELECT source, updated_at::text FROM sync_sources WHERE user_id = ${userId} AND status = 'done' AND sync_id NOT LIKE 'upload_%'`);
    await waitFor(async () => (await doneSources()).length >= 3, 'the child to store three sources', 60_000);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const before = await doneSources();
    expect(before.length).toBeLessThan(SYNC_SOURCES.length);

    survivor = await startTestClario({ store: 'postgres', database: db, role: 'worker', env: amazon, capabilities: undefined });
    await waitFor(async () => (await doneSources()).length === SYNC_SOURCES.length, 'the resumed sync', 90_000).catch(async (err: unknown) => {
      const audit = (await api.request(`/api/v1/workflow/audit?user_id=${userId}&limit=1000`)).body.entries;
      throw new Error(`${String(err)}: ${JSON.stringify(audit.map((e: any) => [e.phase, e.to, e.error?.message]))} ${JSON.stringify(await doneSources())}`);
    });
    const after = new Map((await doneSources()).map((r) => [r.source, r.updated_at]));
    for (const b of before) expect(after.get(b.source), `${b.source} was fetched again`).toBe(b.updated_at);

    // Nothing lost: detection on what the two processes stored together finds what was planted.
    await waitFor(async () => {
      const [p] = await rows<{ status: string }>(api.clario.database.db, sql`SELECT status FROM sync_progress WHERE user_id = ${userId} AND phase = 2`);
      return p?.status === 'completed';
    }, 'detection', 60_000);
    const [claims] = await rows<{ n: number }>(api.clario.database.db, sql`SELECT count(*)::int AS n FROM claims WHERE user_id = ${userId}`);
    // Without the seller's removal receipts (none uploaded here) no parcel is claimed lost in transit.
    const planted = readFileSync(join(folder, 'ground-truth.jsonl'), 'utf8').trim().split('\n').filter((l) => !l.includes('"removal_lost_in_transit"')).length;
    expect(claims?.n).toBe(planted);
    const audit = (await api.request(`/api/v1/workflow/audit?user_id=${userId}&limit=1000`)).body.entries.filter((e: any) => e.phase === 1);
    expect(audit.map((e: any) => e.to)).toEqual(['pending', 'running', 'pending', 'running', 'completed']);
    expect(audit[2].error.code).toBe('worker_lost');
  }, 240_000);

  it('parks the sync with "reconnect" when Amazon revokes the grant, instead of retrying', async () => {
    simulator.revokeSeller(SELLER);
    const again = await api.request('/api/v1/workflow/phase/1', { body: { user_id: userId, sync_id: 'after-revoke' } });
    await waitFor(async () => (await api.request(`/api/v1/workflow/events/${again.body.event_id}`)).body.status === 'failed', 'the sync to park', 60_000);
    const status = (await api.request(`/api/v1/workflow/status/${userId}`)).body;
    const run = status.runs.find((r: any) => r.sync_id === 'after-revoke');
    expect(run.phases[0]).toMatchObject({ status: 'failed', attempts: 1, last_error: { code: 'reconnect_required' } });
    const [connection] = await rows<{ status: string }>(api.clario.database.db, sql`SELECT status FROM amazon_connections WHERE user_id = ${userId}`);
    expect(connection?.status).toBe('reconnect_required');
  }, 120_000);
});
