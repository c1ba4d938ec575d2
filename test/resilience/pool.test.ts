// The pool survives a PostgreSQL server that goes away under it: no crash, no leaked client.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPool } from '../../src/store/pool.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/infra.js';

describeWithPostgres('the PostgreSQL pool when its server goes away', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** Checks a client out and has the server end its session, as a restart does. */
  async function checkedOutAndCut(pool: pg.Pool): Promise<pg.PoolClient> {
    const client = await pool.connect();
    const pid = (client as unknown as { processID: number }).processID;
    const errored = new Promise((r) => client.once('error', r));
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    await errored;
    return client;
  }

  it('releases a client whose BEGIN failed, so the pool neither shrinks nor hangs on end', async () => {
    const pool = createPool(db.url, 2);
    const client = await checkedOutAndCut(pool);
    await expect(client.query('begin')).rejects.toThrow();
    expect(pool.totalCount).toBe(0); // dropped, not leaked
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
  });

  it('leaves other statements to their caller', async () => {
    const pool = createPool(db.url, 2);
    const client = await checkedOutAndCut(pool);
    await expect(client.query('SELECT 1')).rejects.toThrow();
    expect(pool.totalCount).toBe(1); // still the caller's to release
    client.release(true);
    await pool.end();
  });
});
