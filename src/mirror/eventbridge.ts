// The EventBridge sink of the event mirror (issue 8, deliverable 3): the outbox, in seq order, sent
// to an event bus with PutEvents. It keeps its own cursor in subscription_cursors (see
// `ensureCursor`) and reuses the webhook loop's lease, settle and backoff rules. At least once:
// the cursor moves only past entries EventBridge accepted; a failed entry is retried, together
// with everything after it, so the bus sees the outbox in order. Worker processes only.
// Credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID, …) and are never logged.
import { randomUUID } from 'node:crypto';
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Database } from '../store/db.js';
import type { Log } from '../workflow/log.js';
import { DEFAULT_RETRY, retryDelay, settled, type Mirror, type RetryPolicy } from './deliver.js';
import { advance, claimCursor, ensureCursor, outboxAfter, recordFailure, release, type CursorState, type DeliveryError, type OutboxRow } from './store.js';
import { pollingLoop } from '../workflow/polling.js';

export interface EventBridgeTarget {
  readonly bus: string;
  readonly source: string;
  readonly region: string;
  /** An endpoint override (LocalStack, a VPC endpoint, a test server); AWS's by default. */
  readonly endpoint?: string | undefined;
}

export interface EventBridgeOptions extends EventBridgeTarget {
  readonly database: Database;
  readonly log: Log;
  readonly intervalMs?: number;
  /** Per PutEvents request. */
  readonly timeoutMs?: number;
  /** Outbox messages read per round. */
  readonly batch?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly settleMs?: number;
  readonly now?: () => Date;
  readonly random?: () => number;
}

/** EventBridge's limits per PutEvents request. */
export const MAX_ENTRIES = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;

/** The cursor's reserved id: one per bus, never a subscription's (those have no colon). */
export const cursorId = (bus: string) => `eventbridge:${bus}`;

/** The entry's size as EventBridge counts it (Time is 14 bytes), plus the bus name to be safe. */
export function entrySize(e: PutEventsRequestEntry): number {
  const bytes = (s: string | undefined) => (s ? Buffer.byteLength(s, 'utf8') : 0);
  return 14 + bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail) + bytes(e.EventBusName) + (e.Resources ?? []).reduce((n, r) => n + bytes(r), 0);
}

/** Consecutive requests of at most 10 entries and 256 KB each, in order. */
export function chunk<T>(items: readonly T[], size: (t: T) => number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && (current.length >= MAX_ENTRIES || bytes + n > MAX_REQUEST_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export function createEventBridgeSink(options: EventBridgeOptions): Mirror {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const batch = options.batch ?? 100;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const settleMs = options.settleMs ?? 60_000;
  const db = options.database;
  const id = cursorId(options.bus);
  let client: Promise<{ client: EventBridgeClient; send: (entries: PutEventsRequestEntry[]) => Promise<{ ErrorCode?: string; ErrorMessage?: string }[]> }> | undefined;
  let ready: Promise<void> | undefined;

  // The SDK loads on first use, so processes without a bus never pay for it.
  function sdk() {
    client ??= import('@aws-sdk/client-eventbridge').then(({ EventBridgeClient, PutEventsCommand }) => {
      const c = new EventBridgeClient({
        region: options.region,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        // Our backoff is the retry: one attempt per request keeps the lease arithmetic true.
        maxAttempts: 1,
        requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs },
      });
      return {
        client: c,
        async send(entries: PutEventsRequestEntry[]) {
          // A shutdown that cannot wait any longer cuts the request; the entries go again later.
          const res = await c.send(new PutEventsCommand({ Entries: entries }), { abortSignal: loop.signal });
          const results = res.Entries ?? [];
          // A response that does not account for every entry proves nothing past what it lists.
          if (results.length !== entries.length) return entries.map((_, i) => results[i] ?? { ErrorCode: 'MissingEntry', ErrorMessage: 'no result for this entry' });
          return results;
        },
      };
    });
    return client;
  }

  function entry(m: OutboxRow): PutEventsRequestEntry {
    return {
      Source: options.source,
      DetailType: m.type,
      Detail: JSON.stringify({ ...m.payload, seq: m.seq }),
      EventBusName: options.bus,
      Time: m.createdAt,
    };
  }

  async function fail(state: CursorState, token: string, error: DeliveryError, seq: number | undefined): Promise<void> {
    const at = now();
    const attempts = state.attempts + 1;
    const firstFailedAt = state.firstFailedAt ?? at;
    const nextAttemptAt = new Date(at.getTime() + retryDelay(attempts, retry, random));
    // The bus is never switched off: the outbox keeps everything until EventBridge takes it.
    await recordFailure(db.db, id, token, { attempts, firstFailedAt, nextAttemptAt, error });
    options.log.warn({ bus: options.bus, seq, attempts, error, retryAt: nextAttemptAt.toISOString() }, `EventBridge delivery failed; retrying: ${error.message}`);
  }

  function describe(err: unknown): DeliveryError {
    const e = err instanceof Error ? err : new Error(String(err));
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError' || /timeout/i.test(e.name);
    // Only the error's name and message: never the request, whose headers carry the signature.
    return { code: timedOut ? 'timeout' : e.name || 'error', message: e.message.slice(0, 500) };
  }

  async function deliverOnce(): Promise<{ delivered: number; failed: number }> {
    ready ??= ensureCursor(db.db, id).catch((err: unknown) => {
      ready = undefined;
      throw err;
    });
    await ready;
    const token = randomUUID();
    const at = now();
    const leaseUntil = new Date(at.getTime() + timeoutMs * (Math.ceil(batch / MAX_ENTRIES) + 2));
    const state = await claimCursor(db.db, id, { now: at, leaseUntil, token });
    if (!state) return { delivered: 0, failed: 0 };
    try {
      // The deliverable prefix: in order, stopping at a seq hole that has not settled yet.
      const due: OutboxRow[] = [];
      let prev = state.lastSeq;
      for (const m of await outboxAfter(db.db, state.lastSeq, batch)) {
        if (!settled(prev, m, now(), settleMs)) break;
        due.push(m);
        prev = m.seq;
      }
      const sized = due.map((m) => ({ m, e: entry(m), size: 0 })).map((x) => ({ ...x, size: entrySize(x.e) }));
      const tooLarge = sized.filter((x) => x.size > MAX_REQUEST_BYTES);
      // An entry EventBridge can never take would block the bus forever: it is left out, loudly.
      for (const x of tooLarge) options.log.error({ bus: options.bus, seq: x.m.seq, type: x.m.type, bytes: x.size }, 'outbox message too large for EventBridge; not sent');
      const requests = chunk(
        sized.filter((x) => x.size <= MAX_REQUEST_BYTES),
        (x) => x.size,
      );
      let cursor = state.lastSeq;
      let delivered = 0;
      const { send } = requests.length > 0 ? await sdk() : { send: undefined };
      for (const request of requests) {
        if (loop.stopped() || !send) break;
        // Never start a request that could outlive the lease: another worker may take over then.
        if (now().getTime() + timeoutMs >= leaseUntil.getTime()) break;
        let results: { ErrorCode?: string; ErrorMessage?: string }[];
        try {
          results = await send(request.map((x) => x.e));
        } catch (err) {
          // Cut by a shutdown: not EventBridge's failure; the cursor so far is written below.
          if (loop.signal.aborted) break;
          if (cursor !== state.lastSeq && !(await advance(db.db, id, token, cursor, undefined))) return { delivered, failed: 0 };
          const current = cursor === state.lastSeq ? state : { lastSeq: cursor, attempts: 0, firstFailedAt: null };
          await fail(current, token, describe(err), request[0]?.m.seq);
          return { delivered, failed: 1 };
        }
        const failedAt = results.findIndex((r) => r.ErrorCode);
        const accepted = failedAt === -1 ? request : request.slice(0, failedAt);
        delivered += accepted.length;
        const last = accepted.at(-1);
        // Skipped (too large) messages before the first accepted one are passed as well.
        if (last) cursor = last.m.seq;
        if (last && !(await advance(db.db, id, token, cursor, now()))) return { delivered, failed: 0 };
        if (failedAt !== -1) {
          const r = results[failedAt];
          const current = accepted.length === 0 && cursor === state.lastSeq ? state : { lastSeq: cursor, attempts: 0, firstFailedAt: null };
          await fail(current, token, { code: r?.ErrorCode ?? 'error', message: (r?.ErrorMessage ?? 'EventBridge rejected the entry').slice(0, 500) }, request[failedAt]?.m.seq);
          return { delivered, failed: 1 };
        }
      }
      // Past the end only when every ready message was handled (sent, or too large to send).
      const done = requests.length === 0 || cursor === requests.at(-1)?.at(-1)?.m.seq;
      if (done && due.length > 0) {
        const end = due.at(-1)?.seq ?? cursor;
        if (end !== cursor) {
          cursor = end;
          if (!(await advance(db.db, id, token, cursor, undefined))) return { delivered, failed: 0 };
        }
      }
      await release(db.db, id, token, now());
      return { delivered, failed: 0 };
    } catch (err) {
      options.log.error({ err: describe(err), bus: options.bus }, 'EventBridge delivery failed; will retry');
      await release(db.db, id, token, now()).catch(() => undefined);
      return { delivered: 0, failed: 1 };
    }
  }

  const loop = pollingLoop(deliverOnce, {
    intervalMs: options.intervalMs ?? 1_000,
    onError: (err: unknown) => options.log.error({ err: describe(err) }, 'EventBridge delivery round failed; will retry'),
  });

  return {
    deliverOnce,
    start: () => loop.start(),
    async stop(graceMs) {
      await loop.stop(graceMs);
      if (client) (await client.catch(() => undefined))?.client.destroy();
    },
  };
}
