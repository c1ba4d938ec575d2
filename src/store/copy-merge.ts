// Bulk writes by COPY: rows go into a TEMP staging table with COPY (pg-copy-streams on
// PostgreSQL, the /dev/blob device on PGlite), then one set-based statement merges the stage into
// the real table. The batch travels as one stream (no parameter arrays to build, send and parse)
// and the merge is one plan for the whole batch; what is left is PostgreSQL's own cost per row,
// its heap and index inserts, which COPY does not change.
import { PGlite } from '@electric-sql/pglite';
import { PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from './db.js';
import { PgliteThread, type PgliteClient, type PgliteThreadTransaction } from './pglite-thread.js';

export interface StageMerge {
  /** The TEMP table's name (one per connection, reused by every batch on it). */
  readonly stage: string;
  /** Its columns, in the order each COPY row gives them, e.g. `o int, h text`. */
  readonly columns: string;
  /** One statement reading the stage into the real table; `$1…` are `params`. */
  readonly merge: string;
  /** Names the merge's prepared statement on PostgreSQL. */
  readonly name: string;
}

/** Which engine a handle talks to, for sizing batches. */
export function engineOf(db: Db): 'pglite' | 'postgres' {
  const client = driverClient(db);
  return client instanceof pg.Pool || client instanceof pg.Client ? 'postgres' : 'pglite';
}

/**
 * COPYs `data` (COPY text format, see copy-text.ts) into the stage and runs the merge, in the caller's
 * transaction when `db` is one, else in a transaction of its own on one connection. Returns the
 * rows the merge wrote.
 */
export async function copyMerge(db: Db, spec: StageMerge, data: string, params: readonly unknown[]): Promise<number> {
  const client = driverClient(db);
  const inTransaction = db instanceof PgTransaction;
  // ON COMMIT DELETE ROWS empties the stage at each commit without a catalog change (TRUNCATE
  // would make a new file each batch); inside a caller's transaction it is emptied by hand.
  const prepare = `CREATE TEMP TABLE IF NOT EXISTS ${spec.stage} (${spec.columns}) ON COMMIT DELETE ROWS`
    + (inTransaction ? `; TRUNCATE ${spec.stage}` : '');
  if (client instanceof pg.Pool) {
    const c = await client.connect();
    try {
      const n = await onPostgres(c, false, prepare, spec, data, params);
      c.release();
      return n;
    } catch (err) {
      // A connection left mid-COPY or mid-transaction is not given to the next caller. (The pool
      // has already released it if BEGIN itself failed, see pool.ts.)
      try {
        c.release(err instanceof Error ? err : true);
      } catch {
        // released already
      }
      throw err;
    }
  }
  if (client instanceof pg.Client) return onPostgres(client, inTransaction, prepare, spec, data, params);
  // PGlite in its thread (the service), or in this one (a migration test, a tool opening PGlite itself).
  if (client instanceof PgliteThread || client instanceof PGlite) {
    return (client as PgliteThread).transaction((tx) => onPglite(tx, prepare, spec, data, params));
  }
  if (isPgliteTransaction(client)) return onPglite(client, prepare, spec, data, params);
  throw new TypeError('copyMerge: the handle is neither node-postgres nor PGlite');
}

async function onPostgres(client: pg.ClientBase, inTransaction: boolean, prepare: string, spec: StageMerge, data: string, params: readonly unknown[]): Promise<number> {
  if (!inTransaction) await client.query(`BEGIN; ${prepare}`);
  else await client.query(prepare);
  try {
    const copy = client.query(copyFrom(`COPY ${spec.stage} FROM STDIN`));
    await new Promise<void>((resolve, reject) => {
      copy.once('error', reject);
      copy.once('finish', resolve);
      copy.end(data, 'utf8');
    });
    const result = await client.query({ name: spec.name, text: spec.merge, values: [...params] });
    if (!inTransaction) await client.query('COMMIT');
    return result.rowCount ?? 0;
  } catch (err) {
    if (!inTransaction) await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function onPglite(tx: PgliteClient, prepare: string, spec: StageMerge, data: string, params: readonly unknown[]): Promise<number> {
  await tx.exec(prepare);
  await tx.query(`COPY ${spec.stage} FROM '/dev/blob'`, [], { blob: new Blob([data]) });
  const result = await tx.query(spec.merge, [...params]);
  return result.affectedRows ?? 0;
}

function isPgliteTransaction(client: unknown): client is PgliteThreadTransaction {
  return typeof client === 'object' && client !== null && typeof (client as PgliteThreadTransaction).query === 'function' && typeof (client as PgliteThreadTransaction).rollback === 'function';
}

/**
 * drizzle keeps its driver's client on the session: the pool or a checked-out client (in a
 * transaction) on PostgreSQL, PGlite or PGlite's transaction. Not in drizzle's typings, hence here.
 */
function driverClient(db: Db): unknown {
  return (db as unknown as { session?: { client?: unknown } }).session?.client;
}
