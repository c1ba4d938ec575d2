// A statement prepared under its name on PGlite's thread (pglite-named.ts) answers as the same
// statement sent unnamed: the same rows and fields for every type, PostgreSQL's errors with the
// session still usable after them, inside and outside transactions; and runPrepared uses it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareStatement, runPrepared, type Database } from '../../src/store/db.js';
import { ph } from '../../src/workflow/inbox.js';
import type { PgliteThread } from '../../src/store/pglite-thread.js';
import { openPglite } from '../support/infra.js';
import { outsideAnOpenTransaction } from '../support/outside-transaction.js';

let database: Database;
let thread: PgliteThread;
beforeAll(async () => {
  database = await openPglite();
  thread = (database.db._.session as unknown as { client: PgliteThread }).client;
  await thread.exec('CREATE TABLE n (id int PRIMARY KEY, note text, at timestamptz, body jsonb)');
});
afterAll(async () => {
  await database?.close();
});

const prepared = async () => (await thread.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map((r) => r.name);

/** Columns of many types, from parameters of each kind drizzle sends. */
const EVERY_TYPE = `SELECT now() AS tz, interval '1 day' AS iv, current_date AS d, 9007199254740993::int8 AS big, 1.5::float8 AS f,
  12.345::numeric AS num, true AS b, NULL::text AS nothing, '{"a":[1,{"b":null}]}'::jsonb AS jb, '\\x00ff'::bytea AS bytes,
  ARRAY[now()] AS tz_array, ARRAY[1,2] AS int_array, $1::timestamptz AS date_param, $2::jsonb AS json_param, $3::int AS text_param,
  $4::bytea AS buffer_param, $5::text AS null_param`;

describe('a named statement on the PGlite thread', () => {
  it('answers with the same rows and fields as the unnamed statement, for every type, parsers applied', async () => {
    const parsers = { 1184: (v: string) => `tz:${v.slice(0, 4)}`, 1082: (v: string) => `date:${v.slice(0, 4)}` };
    for (const params of [
      [new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), JSON.stringify({ x: [1, 'two'] }), '12', Buffer.from([1, 2, 3]), null],
      [new Date(Date.UTC(2027, 5, 6)), JSON.stringify([]), 7, Buffer.from([]), 'text'],
    ]) {
      const unnamed = await thread.query(EVERY_TYPE, params, { parsers });
      const named = await thread.query(EVERY_TYPE, params, { parsers, name: 'every_type' });
      expect(named.fields).toEqual(unnamed.fields);
      const strip = (r: Record<string, unknown>) => ({ ...r, tz_array: typeof r.tz_array });
      expect(strip(named.rows[0] as Record<string, unknown>)).toEqual(strip(unnamed.rows[0] as Record<string, unknown>));
      expect((named.rows[0] as { tz: string }).tz).toBe('tz:2026');
    }
    // Parsed once, bound on each call.
    expect((await prepared()).filter((n) => n === 'every_type')).toHaveLength(1);
  });

  it('returns array rows too, and refuses what only the unnamed way takes (a Blob, parameter types)', async () => {
    const text = 'SELECT $1::int AS a, $2::text AS b';
    const named = await thread.query(text, [1, 'x'], { rowMode: 'array', name: 'as_array' });
    expect(named.rows).toEqual((await thread.query(text, [1, 'x'], { rowMode: 'array' })).rows);
    expect(named.rows).toEqual([[1, 'x']]);
    await expect(thread.query(text, [1, 'x'], { name: 'with_types', paramTypes: [23, 25] })).rejects.toThrow('no Blob and no parameter types');
  });

  it("rejects with PostgreSQL's fields, and the session (and the statement) still work after", async () => {
    const insert = 'INSERT INTO n (id, note) VALUES ($1, $2) RETURNING id, note';
    expect((await thread.query(insert, [1, 'one'], { name: 'insert_n' })).rows).toEqual([{ id: 1, note: 'one' }]);
    const err = (await thread.query(insert, [1, 'again'], { name: 'insert_n' }).catch((e: unknown) => e)) as Error & Record<string, unknown>;
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', constraint: 'n_pkey', table: 'n', query: insert });
    expect(err.message).toContain('duplicate key');
    expect((await thread.query(insert, [2, 'two'], { name: 'insert_n' })).rows).toEqual([{ id: 2, note: 'two' }]);
    expect((await thread.query('SELECT count(*)::int AS c FROM n')).rows).toEqual([{ c: 2 }]);
  });

  it('refuses a statement that does not parse, each time, without keeping its name', async () => {
    for (let i = 0; i < 2; i++) {
      await expect(thread.query('SELEKT 1', [], { name: 'bad' })).rejects.toMatchObject({ code: '42601' });
    }
    expect(await prepared()).not.toContain('bad');
    expect((await thread.query('SELECT 1 AS one', [], { name: 'good' })).rows).toEqual([{ one: 1 }]);
  });

  it('runs in a transaction that commits or rolls back, and waits for an open one when outside it', async () => {
    const insert = 'INSERT INTO n (id) VALUES ($1)';
    await thread.transaction(async (tx) => {
      await tx.query(insert, [10], { name: 'insert_id' });
    });
    await thread
      .transaction(async (tx) => {
        await tx.query(insert, [11], { name: 'insert_id' });
        throw new Error('boom');
      })
      .catch(() => undefined);
    const { order, outside } = await outsideAnOpenTransaction(thread, {
      first: (t) => t.query(insert, [12], { name: 'insert_id' }),
      last: (t) => t.query('SELECT 1', [], { name: 'one' }),
      outside: async () => (await thread.query<{ c: number }>('SELECT count(*)::int AS c FROM n WHERE id >= $1', [10], { name: 'count_from' })).rows[0]!.c,
    });
    expect(outside).toBe(2); // 10 and 12; 11 was rolled back
    expect(order).toEqual(['tx', 'outside']);
  });

  it('is what runPrepared uses, on the database and in a transaction', async () => {
    const statement = prepareStatement<{ id: number; note: string | null }>('named_test', sql`SELECT id, note FROM n WHERE id = ${ph('id')}`);
    expect(await runPrepared(database.db, statement, { id: 1 })).toEqual([{ id: 1, note: 'one' }]);
    expect(await database.db.transaction((tx) => runPrepared(tx, statement, { id: 2 }))).toEqual([{ id: 2, note: 'two' }]);
    expect(await prepared()).toContain(statement.name);
  });
});
