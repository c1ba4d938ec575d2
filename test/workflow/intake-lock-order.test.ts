// Two intake batches in flight on PostgreSQL that share lanes take the lanes' sync_progress locks
// in one order, whatever order their triggers arrived in: neither deadlocks, so each batch is
// stored by its own one statement (one transaction) instead of the fallback's one per trigger.
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, rows, type Database } from '../../src/store/db.js';
import { insertTrigger } from '../../src/workflow/inbox.js';
import { insertTriggers } from '../../src/workflow/insert-triggers.js';
import type { TriggerInput } from '../../src/workflow/types.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/infra.js';

const trigger = (sync: string, key: string): TriggerInput => ({
  phase: 1,
  userId: 'lock-user',
  syncId: sync,
  payload: { key },
  idempotencyKey: key,
  requestHash: `h-${key}`,
  source: 'http',
});

describeWithPostgres('intake lock order on PostgreSQL', () => {
  let db: TestDatabase;
  let database: Database;
  let holder: pg.Client;
  // Apart from the holder: inside a transaction, pg_stat_activity is read once and kept.
  let watcher: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    database = await openDatabase({ url: db.url, poolSize: 4 });
    holder = new pg.Client({ connectionString: db.url });
    watcher = new pg.Client({ connectionString: db.url });
    await holder.connect();
    await watcher.connect();
  });
  afterAll(async () => {
    await holder?.end();
    await watcher?.end();
    await database?.close();
    await db?.drop();
  });

  const waitingOnLocks = async () =>
    (await watcher.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0]!.n;

  it('stores two batches that meet on the same lanes, in opposite orders, each by one statement', async () => {
    // Both lanes' progress rows exist, and lane B's is held, so both batches queue behind it.
    await insertTrigger(database.db, trigger('A', 'pre-a'), 3);
    await insertTrigger(database.db, trigger('B', 'pre-b'), 3);
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM sync_progress WHERE lane = 'sync:B' FOR UPDATE`);

    // The first batch to wait names B first: in arrival order it would hold B while the second holds A.
    const first = insertTriggers(database.db, [trigger('B', 'x-b'), trigger('A', 'x-a')], 3, { send: () => undefined, poke: () => undefined });
    await expect.poll(waitingOnLocks).toBe(1);
    const second = insertTriggers(database.db, [trigger('A', 'y-a'), trigger('B', 'y-b')], 3, { send: () => undefined, poke: () => undefined });
    await expect.poll(waitingOnLocks).toBe(2);
    await holder.query('COMMIT');

    const answers = [...(await first), ...(await second)];
    expect(answers.map((a) => a.ok && !a.value.duplicate)).toEqual([true, true, true, true]);
    // One statement is one transaction: its rows share their xmin; the fallback's do not.
    const xmins = await rows<{ batch: string; transactions: number }>(database.db, sql`
      SELECT left(idempotency_key, 1) AS batch, count(DISTINCT xmin::text)::int AS transactions
      FROM phase_events WHERE idempotency_key LIKE 'x-%' OR idempotency_key LIKE 'y-%' GROUP BY 1 ORDER BY 1`);
    expect(xmins).toEqual([
      { batch: 'x', transactions: 1 },
      { batch: 'y', transactions: 1 },
    ]);
  });
});
