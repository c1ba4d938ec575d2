// A stop has a bound (SHUTDOWN_TIMEOUT_MS): a phase attempt that cannot finish within it is handed
// back to the inbox (pending, lease cleared, the attempt not counted) so another worker takes it
// at once, instead of waiting for the lease to expire. A sync (an interruptible phase) is handed
// back at once, without waiting for the bound.
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

/**
 * A Clario whose phase 2 (detection: not interruptible) or phase 1 (the sync: interruptible)
 * blocks for good, ignoring its abort signal (the worst case).
 */
async function stuckClario(o: { store: 'pglite' | 'postgres'; queue: 'postgres' | 'bullmq'; stuck?: 1 | 2; shutdownMs?: number }) {
  const caps = testCapabilities();
  let entered!: (eventId: string) => void;
  const running = new Promise<string>((r) => (entered = r));
  const block = (eventId: string) => {
    entered(eventId);
    return new Promise<never>(() => undefined);
  };
  const t = await startTestClario({
    store: o.store,
    queue: o.queue,
    env: { SHUTDOWN_TIMEOUT_MS: String(o.shutdownMs ?? 200), WORKFLOW_LEASE_MS: '600000' },
    capabilities: {
      ...caps,
      ...((o.stuck ?? 2) === 1 ? { sync: { start: (ctx) => block(ctx.event.id) } } : { detection: { detect: (ctx) => block(ctx.event.id) } }),
    },
  });
  return { t, running };
}

let current: TestClario | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function handsBack(store: 'pglite' | 'postgres', queue: 'postgres' | 'bullmq', stuck: 1 | 2 = 2) {
  // A sync is handed back without waiting for the bound, so its bound is one no test outlives: a
  // stop that waited for it would fail the test by its timeout.
  const { t, running } = await stuckClario({ store, queue, stuck, shutdownMs: stuck === 1 ? 3_600_000 : 200 });
  current = t;
  const accepted = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'stop-1', sync_id: 'stop-run-1', seller_id: 'A1' } });
  expect(accepted.status).toBe(202);
  const eventId = await running;
  if (stuck === 1) expect(eventId).toBe(accepted.body.event_id);
  // Returns although the attempt never settles: the bound holds.
  await t.clario.close();
  const db = await openDatabase(store === 'postgres' ? { url: t.env.DATABASE_URL } : { dataDir: t.env.CLARIO_DATA_DIR });
  try {
    const [row] = await rows<Row & { phase: number }>(db.db, sql`SELECT phase, status, locked_by, locked_until, attempts, last_error FROM phase_events WHERE id = ${eventId}`);
    expect(row).toMatchObject({ phase: stuck, status: 'pending', locked_by: null, locked_until: null, attempts: 0 });
    expect(row?.last_error?.code).toBe('worker_stopping');
    const [audit] = await rows<{ n: string }>(db.db,
      sql`SELECT count(*) AS n FROM phase_audit WHERE event_id = ${eventId} AND from_status = 'running' AND to_status = 'pending'`,
    );
    expect(Number(audit?.n)).toBe(1);
  } finally {
    await db.close();
  }
}

describe('a stop that cannot wait for a phase attempt', () => {
  it('hands it back to the inbox (embedded: PGlite, postgres queue)', () => handsBack('pglite', 'postgres'), 60_000);
});

describe('a stop during a sync', () => {
  it('hands the sync back at once, without waiting for the bound (embedded)', () => handsBack('pglite', 'postgres', 1), 60_000);
});

describeWithPostgres('a stop that cannot wait for a phase attempt, on PostgreSQL', () => {
  it('hands it back to the inbox (postgres queue)', () => handsBack('postgres', 'postgres'), 60_000);
});

describeWithRedis('a stop that cannot wait for a phase attempt, on BullMQ', () => {
  it('hands it back to the inbox and the queue', () => handsBack('postgres', 'bullmq'), 60_000);
  it('hands a sync back at once', () => handsBack('postgres', 'bullmq', 1), 60_000);
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
