// SIGTERM while a phase attempt cannot finish: the real `clario serve` process, on PostgreSQL,
// holds phase 7 in a Stripe call that never answers; the signal must end the process by itself
// (exit 0) within SHUTDOWN_TIMEOUT_MS, with the attempt handed back to the inbox. Another process
// then takes it at once (the lease is ten minutes: only the handback can free it) and the fee is
// charged once. Conditions only: the child's log lines, the simulator's requests, database rows.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createStripeSimulator, type StripeSimulator } from '../../src/simulator/stripe/app.js';
import { openDatabase, rows, type Database } from '../../src/store/db.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { holdRequests, type HeldRequests } from '../support/held-requests.js';
import { builtDist, CLI } from '../support/compiled.js';
import { createTestDatabase, describeWithPostgres, randomName, type TestDatabase } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

await builtDist();
const root = mkdtempSync(join(tmpdir(), 'clario-handback-'));
const TOKEN = `svc_${randomBytes(24).toString('hex')}`;
const USER = 'seller_handback';
const PAYOUT = 'PAYOUT-HB-1';

interface Serve {
  readonly child: ChildProcess;
  readonly url: Promise<string>;
  readonly exited: Promise<number | null>;
  /** Resolves with the first JSON log line whose msg is `msg`. */
  logged(msg: string): Promise<Record<string, unknown>>;
}

/** `clario serve` as an operator starts it, logging JSON lines on stdout. */
function serve(env: Record<string, string>, name: string): Serve {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { ...process.env, ...env, CLARIO_DATA_DIR: join(root, name), PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // 'close', not 'exit': every line the child wrote has been read by then.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const lines: Array<Record<string, unknown>> = [];
  const waiting: Array<{ msg: string; resolve: (line: Record<string, unknown>) => void }> = [];
  let out = '';
  let banner = '';
  let started!: (url: string) => void;
  const url = new Promise<string>((resolve, reject) => {
    started = resolve;
    void exited.then((code) => reject(new Error(`${name} exited (${code}) before it started: ${banner}`)));
  });
  url.catch(() => undefined);
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      const text = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (!text.startsWith('{')) {
        banner += `${text}\n`;
        const m = /Dashboard:\s+(http:\/\/\S+?)\/$/.exec(text.trim());
        if (m?.[1]) started(m[1]);
        continue;
      }
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      for (const w of waiting.filter((x) => x.msg === line.msg)) w.resolve(line);
    }
  });
  return {
    child,
    url,
    exited,
    logged(msg) {
      const seen = lines.find((l) => l.msg === msg);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiting.push({ msg, resolve });
        void exited.then(() => reject(new Error(`${name} exited without logging "${msg}"`)));
      });
    },
  };
}

interface EventRow {
  id: string;
  status: string;
  locked_by: string | null;
  attempts: number;
  last_error: { code: string } | null;
}

let database: TestDatabase;
let db: Database;
let stripe: StripeSimulator;
let held: HeldRequests;
let stripeUrl: string;
const children: Serve[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = await openDatabase({ url: database.url });
  // Stripe's customer call is held until the test releases it: phase 7 is in flight for as long as needed.
  stripe = createStripeSimulator({ apiKey: `sk_test_${randomBytes(12).toString('hex')}` });
  held = holdRequests(stripe.app, (req) => req.method === 'POST' && req.url === '/v1/customers');
  await stripe.app.listen({ port: 0, host: '127.0.0.1' });
  const address = stripe.app.server.address();
  stripeUrl = `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`;
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
});

afterAll(async () => {
  stripe.app.server.closeAllConnections();
  await stripe.close();
  await db.close();
  await database.drop();
  rmSync(root, { recursive: true, force: true });
});

describeWithPostgres('SIGTERM with a phase attempt that cannot finish', () => {
  it('exits 0 by itself, hands the attempt back, and another process charges the fee once', async () => {
    const env = {
      DATABASE_URL: database.url,
      QUEUE_DRIVER: 'postgres',
      QUEUE_PREFIX: randomName('hb'),
      CLARIO_SERVICE_TOKEN: TOKEN,
      CLARIO_SESSION_SECRET: randomBytes(32).toString('hex'),
      CLARIO_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      STRIPE_API_KEY: stripe.apiKey,
      STRIPE_API_BASE: stripeUrl,
      SHUTDOWN_TIMEOUT_MS: '1000',
      // Neither the Stripe call's own deadline nor the lease may free the attempt: only the handback.
      PROVIDER_TIMEOUT_MS: '600000',
      WORKFLOW_LEASE_MS: '600000',
      WORKFLOW_ATTEMPT_TIMEOUT_MS: '600000',
    };
    await db.db.insert(claims).values({ id: 'clm_hb_1', userId: USER, type: 'lost_warehouse', status: 'filed', caseId: 'CASE-HB-1', amountMinor: 10_000, currency: 'USD' });

    const first = serve(env, 'first');
    children.push(first);
    const res = await fetch(`${await first.url}/api/v1/workflow/payout/received`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'idempotency-key': 'payout-hb-1' },
      body: JSON.stringify({ user_id: USER, claim_id: 'clm_hb_1', payout_id: PAYOUT, amount_minor: 10_000, currency: 'USD' }),
    });
    expect(res.status).toBe(202);
    const { event_id: eventId } = (await res.json()) as { event_id: string };
    // Phase 7 is inside its Stripe call in the child.
    await held.arrived;
    const [running] = await rows<EventRow>(db.db, sql`SELECT id, status, locked_by, attempts, last_error FROM phase_events WHERE id = ${eventId}`);
    expect(running).toMatchObject({ status: 'running', attempts: 1 });

    first.child.kill('SIGTERM');
    // The attempt could never finish, so an exit 0 means the bound cut it short, as it must.
    expect(await first.exited).toBe(0);
    expect(await first.logged('phase attempts still running at shutdown were handed back')).toMatchObject({ count: 1 });
    expect(await first.logged('phase attempt handed back at shutdown')).toMatchObject({ eventId, phase: 7 });
    await held.cut;

    const [handedBack] = await rows<EventRow>(db.db, sql`SELECT id, status, locked_by, attempts, last_error FROM phase_events WHERE id = ${eventId}`);
    expect(handedBack).toMatchObject({ status: 'pending', locked_by: null, attempts: 0 });
    expect(handedBack?.last_error?.code).toBe('worker_stopping');

    // Another process takes it straight away and finishes it, Stripe answering this time.
    held.release();
    const second = serve(env, 'second');
    children.push(second);
    await second.url;
    await waitFor(async () => {
      const [row] = await rows<EventRow>(db.db, sql`SELECT status FROM phase_events WHERE id = ${eventId}`);
      return row?.status === 'completed' || row?.status === 'failed';
    }, 'phase 7 completed by the second process', 120_000);
    const [done] = await rows<EventRow & { result: { fee_status?: string } }>(db.db, sql`SELECT status, attempts, result FROM phase_events WHERE id = ${eventId}`);
    expect(done).toMatchObject({ status: 'completed', attempts: 1, result: { fee_status: 'charged' } });

    // Nothing lost, nothing twice: one phase 7 event, one customer, one charge for the payout.
    const [events] = await rows<{ n: string }>(db.db, sql`SELECT count(*) AS n FROM phase_events WHERE phase = 7 AND user_id = ${USER}`);
    expect(Number(events?.n)).toBe(1);
    expect([...stripe.state.customers.values()].filter((c) => (c.metadata as Record<string, string>).user_id === USER)).toHaveLength(1);
    expect([...stripe.state.paymentIntents.values()].filter((p) => (p.metadata as Record<string, string>).payout_id === PAYOUT)).toHaveLength(1);
    const [audit] = await rows<{ n: string }>(db.db, sql`SELECT count(*) AS n FROM phase_audit WHERE event_id = ${eventId} AND from_status = 'running' AND to_status = 'pending'`);
    expect(Number(audit?.n)).toBe(1);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 240_000);
});
