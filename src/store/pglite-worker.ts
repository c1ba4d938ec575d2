// The PGlite thread: PGlite (PostgreSQL in WASM) runs here, so its statements never block the
// service's event loop. It answers pglite-protocol.ts requests from pglite-thread.ts; PGlite's own
// locks order them (a statement outside a transaction waits for an open one to end), as they would
// in-process.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type ParserOptions, type Transaction } from '@electric-sql/pglite';
import { toWire, type QueryRequest, type Reply, type Request } from './pglite-protocol.js';
import { runNamed } from './pglite-named.js';

const port = parentPort!;
const { dataDir } = workerData as { dataDir?: string };

function send(reply: Reply): void {
  port.postMessage(reply);
}

let db: PGlite;
try {
  db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
} catch (err) {
  send({ kind: 'open-failed', error: toWire(err) });
  port.close();
  throw err;
}

interface OpenTransaction {
  readonly tx: Transaction;
  finish(commit: boolean): void;
  /** The `end` request to answer once PGlite has committed or rolled back. */
  endId?: number;
}
const transactions = new Map<number, OpenTransaction>();
let nextTx = 1;
/** The caller's code threw: PGlite rolls back, and the caller has the error already. */
const ROLLBACK = new Error('rolled back by the caller');

// The client's parsers cannot cross: their types come back as PostgreSQL's text (the identity
// parser), once per distinct set of types.
const identity = (value: string) => value;
const textParsers = new Map<string, ParserOptions>();
function parsersFor(types: readonly number[] | undefined): ParserOptions | undefined {
  if (!types || types.length === 0) return undefined;
  const key = types.join(',');
  let parsers = textParsers.get(key);
  if (!parsers) {
    parsers = Object.fromEntries(types.map((t) => [t, identity]));
    textParsers.set(key, parsers);
  }
  return parsers;
}

function target(tx: number | undefined): PGlite | Transaction {
  if (tx === undefined) return db;
  const open = transactions.get(tx);
  if (!open) throw new Error('Transaction is closed');
  return open.tx;
}

function begin(id: number): void {
  const txId = nextTx++;
  let begun = false;
  db.transaction(
    (tx) =>
      new Promise<void>((resolve, reject) => {
        transactions.set(txId, { tx, finish: (commit) => (commit ? resolve() : reject(ROLLBACK)) });
        begun = true;
        send({ kind: 'answer', id, value: txId });
      }),
  ).then(
    () => ended(txId, undefined),
    (err: unknown) => {
      if (!begun) send({ kind: 'error', id, error: toWire(err) });
      else ended(txId, err === ROLLBACK ? undefined : err);
    },
  );
}

function ended(txId: number, err: unknown): void {
  const open = transactions.get(txId);
  transactions.delete(txId);
  if (open?.endId === undefined) return;
  send(err === undefined ? { kind: 'answer', id: open.endId, value: undefined } : { kind: 'error', id: open.endId, error: toWire(err) });
}

async function handle(id: number, req: Request): Promise<unknown> {
  switch (req.op) {
    case 'query':
      if (req.name !== undefined) return named(req, req.name);
      return target(req.tx).query(req.sql, [...req.params], {
        rowMode: req.rowMode,
        parsers: parsersFor(req.textTypes),
        paramTypes: req.paramTypes ? [...req.paramTypes] : undefined,
        blob: req.blob,
      });
    case 'exec':
      return target(req.tx).exec(req.sql, { parsers: parsersFor(req.textTypes), blob: req.blob });
    case 'rollback':
      return (target(req.tx) as Transaction).rollback();
    case 'close':
      await db.close();
      return undefined;
    case 'begin':
    case 'end':
      throw new Error(`${req.op} is answered on its own`);
  }
}

/** A statement prepared once under its name (runPrepared), in its transaction or on its own. */
function named(req: QueryRequest, name: string) {
  if (req.blob !== undefined || req.paramTypes !== undefined) throw new TypeError('PGlite thread: a named statement takes no Blob and no parameter types');
  const inTransaction = req.tx !== undefined;
  if (inTransaction) target(req.tx); // throws if that transaction is closed
  return runNamed(db, { name, sql: req.sql, params: req.params, parsers: parsersFor(req.textTypes), rowMode: req.rowMode, inTransaction });
}

port.on('message', ({ id, req }: { id: number; req: Request }) => {
  if (req.op === 'begin') return begin(id);
  if (req.op === 'end') {
    const open = transactions.get(req.tx);
    if (!open) return send({ kind: 'error', id, error: toWire(new Error('Transaction is closed')) });
    open.endId = id;
    return open.finish(req.commit);
  }
  handle(id, req).then(
    (value) => {
      send({ kind: 'answer', id, value });
      if (req.op === 'close') port.close();
    },
    (err: unknown) => send({ kind: 'error', id, error: toWire(err) }),
  );
});
send({ kind: 'opened' });
