// The messages between the PGlite thread (pglite-worker.ts) and its client (pglite-thread.ts).
// Everything here crosses a MessagePort by structured clone, so it holds no functions: a query's
// parsers travel as the type ids they are for (the worker returns those columns as PostgreSQL's
// text, the client applies the functions).

export interface QueryRequest {
  readonly op: 'query';
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly rowMode?: 'array' | 'object' | undefined;
  /** Types returned as text, for the client's own parsers. */
  readonly textTypes?: readonly number[] | undefined;
  readonly paramTypes?: readonly number[] | undefined;
  /** Read by `COPY … FROM '/dev/blob'`. */
  readonly blob?: Blob | undefined;
  /** The transaction it runs in (from `begin`); none: a statement of its own. */
  readonly tx?: number | undefined;
  /**
   * A hot statement's name (store/db.ts, runPrepared): the thread parses and plans it once under
   * this name and then only binds and runs it, as PostgreSQL does for a named prepared statement.
   */
  readonly name?: string | undefined;
}

export interface ExecRequest {
  readonly op: 'exec';
  readonly sql: string;
  readonly textTypes?: readonly number[] | undefined;
  readonly blob?: Blob | undefined;
  readonly tx?: number | undefined;
}

/** Opens a transaction; answered with its id once BEGIN has run and nothing else can run. */
export interface BeginRequest {
  readonly op: 'begin';
}

/** Ends a transaction: COMMIT (unless it was rolled back already) or ROLLBACK. */
export interface EndRequest {
  readonly op: 'end';
  readonly tx: number;
  readonly commit: boolean;
}

/** `tx.rollback()` called by the transaction's own code: it is closed, the end then commits nothing. */
export interface RollbackRequest {
  readonly op: 'rollback';
  readonly tx: number;
}

export interface CloseRequest {
  readonly op: 'close';
}

export type Request = QueryRequest | ExecRequest | BeginRequest | EndRequest | RollbackRequest | CloseRequest;

/** An error as it crossed: its name, message and PostgreSQL's fields (code, detail, constraint, …). */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly fields: Record<string, unknown>;
}

export type Reply =
  | { readonly kind: 'opened' }
  | { readonly kind: 'open-failed'; readonly error: WireError }
  | { readonly kind: 'answer'; readonly id: number; readonly value: unknown }
  | { readonly kind: 'error'; readonly id: number; readonly error: WireError };

export function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  const fields: Record<string, unknown> = {};
  // Plain values and the query's parameters (they crossed once already); PGlite also hangs the
  // query's options on its errors, with functions, which cannot cross.
  for (const [k, v] of Object.entries(err)) {
    if (v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || (k === 'params' && Array.isArray(v))) fields[k] = v;
  }
  return { name: err.name, message: err.message, stack: err.stack, fields };
}

export function fromWire(wire: WireError): Error {
  const err = new Error(wire.message) as Error & Record<string, unknown>;
  Object.assign(err, wire.fields);
  err.name = wire.name;
  if (wire.stack) err.stack = wire.stack;
  return err;
}
