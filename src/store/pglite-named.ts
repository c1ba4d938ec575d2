// Named prepared statements on PGlite. PGlite's `query` sends every statement unnamed, so PostgreSQL
// parses and plans it on each call; for the workflow's big hot statements that was more than half
// of their time in the WASM (measured: a batch of 8 completions, 5.4 ms unnamed, 2.3 ms named).
// Here a statement is parsed once under its name, then each call is one Bind, Describe, Execute and
// Sync, sent together, with the parameters and results converted as PGlite's own `query` does.
import { type PGlite, parse, protocol, type ParserOptions, type Results, type RowMode } from '@electric-sql/pglite';

export interface NamedQuery {
  readonly name: string;
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly parsers?: ParserOptions | undefined;
  readonly rowMode?: RowMode | undefined;
  /** Runs in the transaction that holds PGlite now; else alone, after any open transaction. */
  readonly inTransaction: boolean;
}

const { serialize } = protocol;
/** Per PGlite instance: each prepared name's parameter types (one session, so one set per database). */
const preparedOn = new WeakMap<PGlite, Map<string, number[]>>();

/** A statement run under its prepared name; errors are PostgreSQL's, as PGlite's `query` throws them. */
export function runNamed(db: PGlite, q: NamedQuery): Promise<Results> {
  // The locks PGlite's own `query` takes: outside a transaction, wait for any open one to end.
  const run = () => db._runExclusiveQuery(() => bindAndRun(db, q));
  return q.inTransaction ? run() : db._runExclusiveTransaction(run);
}

async function bindAndRun(db: PGlite, q: NamedQuery): Promise<Results> {
  let prepared = preparedOn.get(db);
  if (!prepared) preparedOn.set(db, (prepared = new Map<string, number[]>()));
  let types = prepared.get(q.name);
  if (!types) {
    try {
      const described = await exchange(db, q, serialize.parse({ name: q.name, text: q.sql, types: [] }), serialize.describe({ type: 'S', name: q.name }));
      types = parse.parseDescribeStatementResults(described);
    } catch (err) {
      // Should the Parse have succeeded and the Describe failed, the name must not stay taken.
      await db.execProtocolStream(concat([serialize.close({ type: 'S', name: q.name }), serialize.sync()]), { syncToFs: false, throwOnError: false });
      throw err;
    }
    prepared.set(q.name, types);
  }
  const paramTypes = types;
  const values = q.params.map((v, i) => {
    if (v === null || v === undefined) return null;
    const serializer = db.serializers[paramTypes[i]!];
    return serializer ? serializer(v) : asText(v);
  });
  const messages = await exchange(db, q, serialize.bind({ statement: q.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}));
  // Outside a transaction PGlite's `query` syncs the data directory after each statement.
  if (!q.inTransaction) await db.syncToFs();
  return parse.parseResults(messages, db.parsers, { parsers: q.parsers, rowMode: q.rowMode })[0]!;
}

/** A parameter of a type PGlite has no serializer for: text as it is, an object as JSON (as drizzle sends it). */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/**
 * Sends the messages and a Sync as one buffer. After an error PostgreSQL skips to the Sync, so the
 * session is ready for the next statement either way; the error is thrown once all is read.
 */
async function exchange(db: PGlite, q: NamedQuery, ...messages: Uint8Array[]): Promise<Awaited<ReturnType<PGlite['execProtocolStream']>>> {
  const answer = await db.execProtocolStream(concat([...messages, serialize.sync()]), { syncToFs: false, throwOnError: false });
  const error = answer.find((m) => m.name === 'error');
  if (error) throw Object.assign(error as unknown as Error, { query: q.sql, params: q.params });
  return answer;
}

function concat(messages: readonly Uint8Array[]): Uint8Array {
  const buffer = new Uint8Array(messages.reduce((n, m) => n + m.length, 0));
  let at = 0;
  for (const m of messages) {
    buffer.set(m, at);
    at += m.length;
  }
  return buffer;
}
