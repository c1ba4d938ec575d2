// A stop has a bound (SHUTDOWN_TIMEOUT_MS): a phase attempt that cannot finish within it is handed
// back to the inbox (pending, lease cleared, the attempt not counted) so another worker takes it
// at once, instead of waiting for the lease to expire.
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, rows } from '../../src/store/db.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { describeWithPostgres, describeWithRedis } from '../support/infra.js';

interface Row {
  status: string;
  locked_by: string | null;
  locked_until: unknown;
  attempts: number;
  last_error: { code: string } | null;
}

/** A Clario whose phase 1 blocks for good, ignoring its abort signal (the worst case). */
async function stuckClario(o: { store: 'pglite' | 'postgres'; queue: 'postgres' | 'bullmq' }) {
  const caps = testCapabilities();
  let entered!: () => void;
  const running = new Promise<void>((r) => (entered = r));
  const t = await startTestClario({
    ...o,
    env: { SHUTDOWN_TIMEOUT_MS: '200', WORKFLOW_LEASE_MS: '600000' },
    capabilities: {
      ...caps,
      sync: {
        start() {
          entered();
          return new Promise(() => undefined);
        },
      },
    },
  });
  return { t, running };
}

let current: TestClario | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function handsBack(store: 'pglite' | 'postgres', queue: 'postgres' | 'bullmq') {
  const { t, running } = await stuckClario({ store, queue });
  current = t;
  const accepted = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'stop-1', sync_id: 'stop-run-1', seller_id: 'A1' } });
  expect(accepted.status).toBe(202);
  await running;
  // Returns although the attempt never settles: the bound holds.
  await t.clario.close();
  const db = await openDatabase(store === 'postgres' ? { url: t.env.DATABASE_URL } : { dataDir: t.env.CLARIO_DATA_DIR });
  try {
    const [row] = await rows<Row>(db.db, sql`SELECT status, locked_by, locked_until, attempts, last_error FROM phase_events WHERE id = ${accepted.body.event_id}`);
    expect(row).toMatchObject({ status: 'pending', locked_by: null, locked_until: null, attempts: 0 });
    expect(row?.last_error?.code).toBe('worker_stopping');
    const [audit] = await rows<{ n: string }>(db.db,
      sql`SELECT count(*) AS n FROM phase_audit WHERE event_id = ${accepted.body.event_id} AND from_status = 'running' AND to_status = 'pending'`,
    );
    expect(Number(audit?.n)).toBe(1);
  } finally {
    await db.close();
  }
}

describe('a stop that cannot wait for a phase attempt', () => {
  it('hands it back to the inbox (embedded: PGlite, postgres queue)', () => handsBack('pglite', 'postgres'), 60_000);
});

describeWithPostgres('a stop that cannot wait for a phase attempt, on PostgreSQL', () => {
  it('hands it back to the inbox (postgres queue)', () => handsBack('postgres', 'postgres'), 60_000);
});

describeWithRedis('a stop that cannot wait for a phase attempt, on BullMQ', () => {
  it('hands it back to the inbox and the queue', () => handsBack('postgres', 'bullmq'), 60_000);
});

describe('a stop that cannot wait for a request', () => {
  it('cuts it at the bound and still stops', async () => {
    let entered!: () => void;
    const arrived = new Promise<void>((r) => (entered = r));
    const t = await startTestClario({
      env: { SHUTDOWN_TIMEOUT_MS: '200' },
      capabilities: testCapabilities(),
      plugins: [
        (app) => {
          // A handler that never answers (a hung dependency, say).
          app.get('/test/hang', { config: { public: true } }, () => {
            entered();
            return new Promise(() => undefined);
          });
        },
      ],
    });
    current = t;
    const hanging = fetch(`${t.url}/test/hang`).then(
      () => 'answered',
      () => 'cut',
    );
    await arrived;
    await t.clario.close();
    expect(await hanging).toBe('cut');
  }, 60_000);
});
