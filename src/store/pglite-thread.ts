// PGlite in a worker thread of its own (pglite-worker.ts), behind the part of PGlite's interface
// that drizzle's pglite driver and copy-merge.ts use: query, exec and transaction. PGlite's WASM
// then never holds the service's event loop, which parses requests and runs the workflows meanwhile.
// (PGlite's own worker targets browsers: it needs navigator.locks, which Node 20 lacks.)
//
// Each call is one message with an id; a transaction is opened by one (`begin`), its statements
// name it, and one more ends it. Parsers are functions, which cannot cross: their types come back
// as text and are parsed here. Errors come back with PostgreSQL's fields (code, constraint, …).
// If the thread stops unasked, every pending and later call fails with why.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParserOptions, QueryOptions, Results } from '@electric-sql/pglite';
import { fromWire, type QueryRequest, type Reply, type Request } from './pglite-protocol.js';

/** PGlite's query options, and a name to prepare the statement under (pglite-named.ts). */
export interface ThreadQueryOptions extends QueryOptions {
  readonly name?: string | undefined;
}

/** What a statement runs on: the database, or an open transaction. */
export interface PgliteClient {
  query<T>(query: string, params?: unknown[], options?: ThreadQueryOptions): Promise<Results<T>>;
  exec(query: string, options?: QueryOptions): Promise<Results[]>;
}

export interface PgliteThreadTransaction extends PgliteClient {
  rollback(): Promise<void>;
  readonly closed: boolean;
}

export interface PgliteThreadOptions {
  /** Where `pgdata` lives; none: in memory. */
  readonly dataDir?: string | undefined;
  /** Runs around each query, script and whole transaction on the database (the intake gate). */
  readonly around?: <T>(run: () => Promise<T>) => Promise<T>;
  /** Test only: sees the thread (to stop it as a crash would). */
  readonly onStarted?: (worker: Worker) => void;
}

// From src/ (tsx, vitest) the worker is TypeScript; see read-off-thread.ts for the bootstrap.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./pglite-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);

function spawn(dataDir: string | undefined): Worker {
  const options = { workerData: { dataDir } };
  if (!FROM_SOURCE) return new Worker(ENTRY, options);
  const tsxApi = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  return new Worker(`import(${JSON.stringify(tsxApi)}).then((m) => m.register()).then(() => import(${JSON.stringify(ENTRY.href)}))`, { ...options, eval: true });
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class PgliteThread implements PgliteClient {
  /** Starts the thread and opens PGlite there (initdb on a new folder). */
  static async open(options: PgliteThreadOptions = {}): Promise<PgliteThread> {
    const worker = spawn(options.dataDir);
    options.onStarted?.(worker);
    // Only its own listeners are removed after: the Worker keeps internal ones of its own.
    let onMessage: (m: Reply) => void = () => undefined;
    let onError: (err: Error) => void = () => undefined;
    let onExit: (code: number) => void = () => undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        onMessage = (m) => (m.kind === 'opened' ? resolve() : reject(m.kind === 'open-failed' ? fromWire(m.error) : new Error(`PGlite thread: ${m.kind} before it opened`)));
        onError = reject;
        onExit = (code) => reject(new Error(`the PGlite thread exited (code ${code}) before it opened`));
        worker.once('message', onMessage).once('error', onError).once('exit', onExit);
      });
    } catch (err) {
      await worker.terminate();
      throw err;
    } finally {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    }
    return new PgliteThread(worker, options.around ?? ((run) => run()));
  }

  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Set once it has stopped: every call fails with it. */
  private stopped: Error | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly around: <T>(run: () => Promise<T>) => Promise<T>,
  ) {
    worker.on('message', (m: Reply) => this.answer(m));
    worker.on('error', (err) => this.fail(new Error(`the PGlite thread failed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => this.fail(new Error(`the PGlite thread exited (code ${code})`)));
    // Like PGlite in-process, an idle database does not keep the process alive (see send).
    worker.unref();
  }

  /** Why the thread stopped unasked, if it did. */
  get failure(): Error | undefined {
    return this.closing ? undefined : this.stopped;
  }

  query<T>(query: string, params: unknown[] = [], options?: ThreadQueryOptions): Promise<Results<T>> {
    return this.around(() => this.runQuery<T>(undefined, query, params, options));
  }

  exec(query: string, options?: QueryOptions): Promise<Results[]> {
    return this.around(() => this.runExec(undefined, query, options));
  }

  /** Commits what `f` did when it returns, rolls it back when it throws (as PGlite's own). */
  transaction<T>(f: (tx: PgliteThreadTransaction) => Promise<T>): Promise<T> {
    return this.around(async () => {
      const id = (await this.send({ op: 'begin' })) as number;
      const tx = new ThreadTransaction(this, id);
      let result: T;
      try {
        result = await f(tx);
      } catch (err) {
        tx.closed = true;
        await this.send({ op: 'end', tx: id, commit: false });
        throw err;
      }
      tx.closed = true;
      await this.send({ op: 'end', tx: id, commit: true });
      return result;
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (!this.stopped) await this.send({ op: 'close' });
      } finally {
        this.stopped ??= new Error('PGlite is closed');
        await this.worker.terminate();
      }
    })();
    return this.closing;
  }

  /** @internal A statement, in transaction `tx` or on its own. */
  async runQuery<T>(tx: number | undefined, query: string, params: unknown[], options: ThreadQueryOptions | undefined): Promise<Results<T>> {
    const parsers = options?.parsers;
    const textTypes = parsers ? Object.keys(parsers).map(Number) : undefined;
    if (options?.serializers) throw new TypeError('PGlite thread: serializers (functions) cannot reach the thread');
    const req: QueryRequest = { op: 'query', sql: query, params: params.map(cloneable), rowMode: options?.rowMode, textTypes, paramTypes: options?.paramTypes, blob: options?.blob, tx, name: options?.name };
    const result = (await this.send(req)) as Results<T>;
    if (parsers) parse(result, parsers);
    return result;
  }

  /** @internal A script (several statements), in transaction `tx` or on its own. */
  async runExec(tx: number | undefined, query: string, options: QueryOptions | undefined): Promise<Results[]> {
    const parsers = options?.parsers;
    const results = (await this.send({ op: 'exec', sql: query, textTypes: parsers ? Object.keys(parsers).map(Number) : undefined, blob: options?.blob, tx })) as Results[];
    if (parsers) for (const r of results) parse(r, parsers);
    return results;
  }

  /** @internal */
  send(req: Request): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      try {
        this.worker.postMessage({ id, req });
      } catch (err) {
        // A value structured clone refuses (a function, a symbol): nothing was sent.
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      // A call in flight keeps the process alive until it is answered.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
    });
  }

  private answer(m: Reply): void {
    if (m.kind !== 'answer' && m.kind !== 'error') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker.unref();
    if (m.kind === 'answer') p.resolve(m.value);
    else p.reject(fromWire(m.error));
  }

  private fail(err: Error): void {
    this.stopped ??= err;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(this.stopped);
  }
}

/** The thread's client or one of its transactions: what runs a statement under a prepared name. */
export function isThreadClient(client: unknown): client is PgliteClient {
  return client instanceof PgliteThread || client instanceof ThreadTransaction;
}

class ThreadTransaction implements PgliteThreadTransaction {
  closed = false;

  constructor(
    private readonly thread: PgliteThread,
    private readonly id: number,
  ) {}

  query<T>(query: string, params: unknown[] = [], options?: ThreadQueryOptions): Promise<Results<T>> {
    return this.open().then(() => this.thread.runQuery<T>(this.id, query, params, options));
  }

  exec(query: string, options?: QueryOptions): Promise<Results[]> {
    return this.open().then(() => this.thread.runExec(this.id, query, options));
  }

  async rollback(): Promise<void> {
    await this.open();
    await this.thread.send({ op: 'rollback', tx: this.id });
    this.closed = true;
  }

  private open(): Promise<void> {
    return this.closed ? Promise.reject(new Error('Transaction is closed')) : Promise.resolve();
  }
}

/**
 * Structured clone keeps plain values, arrays, plain objects, Dates and byte arrays as they are; an
 * instance of any other class would arrive as a bare object, so it goes as what PGlite would make
 * of it (its JSON form, else its text).
 */
function cloneable(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(cloneable);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return value;
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === 'function') return toJSON.call(value);
  const toText = (value as { toString: () => string }).toString;
  return toText.call(value);
}

/** Applies the caller's parsers to the columns the thread returned as text, as PGlite would. */
function parse(result: Results<unknown>, parsers: ParserOptions): void {
  const rows = result.rows as unknown as Array<Record<string | number, unknown>>;
  if (rows.length === 0) return;
  const byArray = Array.isArray(rows[0]);
  // In object rows a repeated column name holds the last column's value.
  const columns = new Map<string | number, number>();
  result.fields.forEach((f, i) => columns.set(byArray ? i : f.name, f.dataTypeID));
  for (const [key, type] of columns) {
    const parser = parsers[type] as ((value: string, type: number) => unknown) | undefined;
    if (!parser) continue;
    for (const row of rows) {
      const v = row[key];
      if (v !== null && v !== undefined) row[key] = parser(v as string, type);
    }
  }
}
