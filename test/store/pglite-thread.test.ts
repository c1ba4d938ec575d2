// PGlite in its own thread answers as PGlite in-process does: the same values for every type
// drizzle reads, PostgreSQL's error fields, transactions that commit, roll back and nest, COPY from
// a Blob; and a thread that dies fails every call instead of leaving it waiting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteThread } from '../../src/store/pglite-thread.js';
import { seedPglite } from '../support/infra.js';
import { outsideAnOpenTransaction } from '../support/outside-transaction.js';

const dirs: string[] = [];
function seeded(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clario-pglite-thread-'));
  dirs.push(dir);
  seedPglite(dir);
  return join(dir, 'pgdata');
}

let local: PGlite;
let thread: PgliteThread;
beforeAll(async () => {
  local = await PGlite.create(seeded());
  thread = await PgliteThread.open({ dataDir: seeded() });
  await thread.exec('CREATE TABLE k (id int PRIMARY KEY, note text)');
});
afterAll(async () => {
  await local?.close();
  await thread?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const onThread = () => drizzle({ client: thread as unknown as PGlite });

/** A column of nearly every type the schema uses, and parameters of each kind drizzle sends. */
const everyType = sql`SELECT now() AS tz, now()::timestamp AS ts, interval '1 day 2 hours' AS iv, current_date AS d,
  9007199254740993::int8 AS big, 2::int4 AS i, 1.5::float8 AS f, 12.345::numeric AS n, true AS b, NULL::text AS nothing,
  '{"a":[1,{"b":null}]}'::jsonb AS jb, '[1,2]'::json AS j, '\\x00ff10'::bytea AS bytes, gen_random_uuid()::text <> '' AS uuid_ok,
  ARRAY[now()] AS tz_array, ARRAY[1.5::numeric] AS numeric_array, ARRAY[1,2] AS int_array, ARRAY['a','b'] AS text_array,
  ${new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))}::timestamptz AS date_param, ${{ x: [1, 'two'] }}::jsonb AS object_param,
  ${JSON.stringify({ y: 2 })}::jsonb AS json_param, ${Buffer.from([1, 2, 3])}::bytea AS buffer_param, ${'12'}::int AS text_param`;

describe('PGlite in its own thread', () => {
  it('returns every type as PGlite in-process does, through drizzle (its parsers run on this side)', async () => {
    const [a, b] = await Promise.all([drizzle({ client: local }).execute(everyType), onThread().execute(everyType)]);
    // now() differs between the two databases; the types and shapes must not.
    const strip = (r: Record<string, unknown>) => ({ ...r, tz: typeof r.tz, ts: typeof r.ts, d: typeof r.d, tz_array: typeof r.tz_array });
    expect(strip(b.rows[0]!)).toEqual(strip(a.rows[0]!));
    expect(b.fields).toEqual(a.fields);
    expect(typeof b.rows[0]!.tz).toBe('string');
    expect(b.rows[0]!.bytes).toBeInstanceOf(Uint8Array);
  });

  it('returns array rows with the parsers applied by position', async () => {
    const [a, b] = await Promise.all([
      local.query('SELECT now()::date AS x, 1::int8 AS y, now()::date AS x', [], { rowMode: 'array', parsers: { 1082: (v: string) => `date:${v}` } }),
      thread.query('SELECT now()::date AS x, 1::int8 AS y, now()::date AS x', [], { rowMode: 'array', parsers: { 1082: (v: string) => `date:${v}` } }),
    ]);
    expect(b.rows).toEqual(a.rows);
    expect(String((b.rows[0] as unknown[])[0])).toMatch(/^date:\d{4}-/);
  });

  it("rejects with PostgreSQL's code, message and constraint", async () => {
    await thread.query('INSERT INTO k VALUES (1)');
    const err = (await thread.query('INSERT INTO k VALUES (1)').catch((e: unknown) => e)) as Error & Record<string, unknown>;
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', constraint: 'k_pkey', table: 'k', severity: 'ERROR' });
    expect(err.message).toContain('duplicate key');
  });

  it('commits a transaction of several statements, rolls back one that throws, nests savepoints', async () => {
    const db = onThread();
    await db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO k VALUES (10, 'a')`);
      await tx.execute(sql`UPDATE k SET note = 'b' WHERE id = 10`);
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`INSERT INTO k VALUES (11)`);
          throw new Error('inner');
        })
        .catch(() => undefined);
      await tx.transaction(async (inner) => inner.execute(sql`INSERT INTO k VALUES (12)`));
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO k VALUES (13)`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO k VALUES (14)`);
        await tx.execute(sql`INSERT INTO k VALUES (10)`);
      }),
    ).rejects.toMatchObject({ cause: { code: '23505' } });
    const ids = await thread.query<{ id: number; note: string | null }>('SELECT id, note FROM k WHERE id >= 10 ORDER BY id');
    expect(ids.rows).toEqual([
      { id: 10, note: 'b' },
      { id: 12, note: null },
    ]);
  });

  it("rolls back on the transaction's own rollback(), and closes it", async () => {
    let closedAfter = false;
    await thread.transaction(async (tx) => {
      await tx.query('INSERT INTO k VALUES (20)');
      await tx.rollback();
      closedAfter = tx.closed;
      await expect(tx.query('SELECT 1')).rejects.toThrow('Transaction is closed');
    });
    expect(closedAfter).toBe(true);
    expect((await thread.query('SELECT count(*)::int AS n FROM k WHERE id = 20')).rows).toEqual([{ n: 0 }]);
  });

  it('runs a statement from outside an open transaction after it, as PGlite does', async () => {
    const { order, outside } = await outsideAnOpenTransaction(thread, {
      first: (t) => t.query('INSERT INTO k VALUES (30)'),
      last: (t) => t.query('SELECT 1'),
      outside: async () => (await thread.query<{ n: number }>('SELECT count(*)::int AS n FROM k WHERE id = 30')).rows[0]!.n,
    });
    expect(outside).toBe(1);
    expect(order).toEqual(['tx', 'outside']);
  });

  it("copies a Blob in through COPY … FROM '/dev/blob' inside a transaction", async () => {
    await thread.transaction(async (tx) => {
      await tx.exec('CREATE TEMP TABLE stage (id int, note text) ON COMMIT DROP');
      await tx.query(`COPY stage FROM '/dev/blob'`, [], { blob: new Blob(['40\tforty\n41\t\\N\n']) });
      await tx.query('INSERT INTO k SELECT * FROM stage');
    });
    expect((await thread.query('SELECT id, note FROM k WHERE id >= 40 ORDER BY id')).rows).toEqual([
      { id: 40, note: 'forty' },
      { id: 41, note: null },
    ]);
  });

  it('sends an instance of a class as its JSON form, not as a bare object', async () => {
    class Amount {
      constructor(readonly minor: number) {}
      toJSON() {
        return `${this.minor / 100}`;
      }
    }
    expect((await thread.query('SELECT $1::numeric AS n', [new Amount(1234)])).rows).toEqual([{ n: '12.34' }]);
  });
});

describe('a PGlite thread that dies', () => {
  it('fails the calls waiting on it and every later one, and says why', async () => {
    let w: Worker | undefined;
    const dying = await PgliteThread.open({ dataDir: seeded(), onStarted: (x) => (w = x) });
    try {
      // A transaction held open until the thread is gone; a statement and another transaction wait
      // for it, so both are pending when the thread dies, on any machine.
      let entered: () => void = () => undefined;
      const open = new Promise<void>((r) => (entered = r));
      let release: () => void = () => undefined;
      const released = new Promise<void>((r) => (release = r));
      const holder = dying.transaction(async (tx) => {
        await tx.query('SELECT 1');
        entered();
        await released;
        await tx.query('SELECT 1');
      });
      await open;
      const waiting = dying.query('SELECT 1');
      const inTransaction = dying.transaction(async (tx) => {
        await tx.query('SELECT 1');
      });
      await w!.terminate();
      release();
      await expect(holder).rejects.toThrow(/PGlite thread exited/);
      await expect(waiting).rejects.toThrow(/PGlite thread exited/);
      await expect(inTransaction).rejects.toThrow(/PGlite thread exited/);
      await expect(dying.query('SELECT 1')).rejects.toThrow(/PGlite thread exited/);
      expect(dying.failure?.message).toMatch(/PGlite thread exited/);
    } finally {
      await dying.close();
    }
  });

  it('is not a failure when closed: later calls are refused as closed', async () => {
    const closing = await PgliteThread.open({ dataDir: seeded() });
    await closing.query('SELECT 1');
    await Promise.all([closing.close(), closing.close()]);
    expect(closing.failure).toBeUndefined();
    await expect(closing.query('SELECT 1')).rejects.toThrow('PGlite is closed');
  });
});
