// node-postgres's pool, hardened for a server that goes away (a PostgreSQL restart or failover).
import pg from 'pg';

/**
 * drizzle's `transaction` checks a client out and sends BEGIN before its try/finally, so a BEGIN
 * that fails (the connection died while the client sat idle) never releases the client: the pool
 * shrinks by one for good and `end()` waits for ever. This pool releases such a client, as broken.
 */
class ReleasingPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    if (callback) return super.connect(callback);
    return super.connect().then(releaseOnFailedBegin);
  }
}

function releaseOnFailedBegin(client: pg.PoolClient): pg.PoolClient {
  const own = Object.prototype.hasOwnProperty.call(client, 'query');
  const query = client.query.bind(client) as (...a: unknown[]) => unknown;
  const guarded = (...args: unknown[]): unknown => {
    // Only the first statement after checkout is watched.
    if (own) client.query = query as typeof client.query;
    else delete (client as { query?: unknown }).query;
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    const result = query(...args);
    if (!/^\s*begin\b/i.test(text ?? '') || !(result instanceof Promise)) return result;
    return result.catch((err: unknown) => {
      client.release(err instanceof Error ? err : true);
      throw err;
    });
  };
  client.query = guarded as typeof client.query;
  return client;
}

export function createPool(url: string, max: number): pg.Pool {
  const pool = new ReleasingPool({ connectionString: url, max });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Nor may a checked-out one (a transaction in progress), which has no listener of the pool's:
  // its query in flight still rejects with the error, and the pool drops the broken client.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
