// Where rate-limit counters live when several API processes run: Redis, so a caller's budget is
// one budget across all of them (without it each process counts alone and N processes allow N×).
//
// Asking Redis on every request costs each request a round trip and a script call, for a limit
// that a busy caller (the service token, at thousands of requests a second) is nowhere near. So a
// process counts a caller locally while it is far from the limit and its view of Redis is fresh,
// and adds what it counted to Redis in one call per caller and flush interval. Within one process
// the count is exact: what it has not sent yet is part of the count it checks. Near the limit (half
// of it) or with a stale view, every request goes to Redis. What several processes can let through
// past the limit together is what the others counted locally since Redis last answered them: at
// most two flush intervals of their traffic, and never more than half the limit each.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { Redis } from 'ioredis';

export interface RateLimitStore {
  readonly redis: Redis;
  /** Keys are `<prefix><caller>`; the queue prefix keeps deployments on one Redis apart. */
  readonly prefix: string;
  /** The store class @fastify/rate-limit constructs (its `store` option). */
  readonly Store: FastifyRateLimitStoreCtor;
  /** Sends what was counted locally now (the timer does it within `flushMs`). */
  flush(): Promise<void>;
  /** Sends what is left (after any send in flight) and stops the timer; the connection is the caller's to close. */
  close(): Promise<void>;
}

export interface RateLimitStoreOptions {
  /** How often local counts go to Redis; a view of Redis older than twice this is not counted on. Default 50 ms. */
  readonly flushMs?: number;
  /** Milliseconds since the epoch (tests drive it). */
  readonly now?: () => number;
  /** See MAX_CALLERS. */
  readonly maxCallers?: number;
}

/** Limits this low are always counted in Redis: there is little traffic to save, and exactness matters more. */
const LOCAL_MIN_LIMIT = 1_000;
/**
 * Callers counted locally at once, at most (the default of `maxCallers`). A route with a high limit
 * for callers without a token (the Stripe webhook, by address) must not let a flood of addresses
 * grow the map: past the cap a new caller is counted in Redis on every request, as a low limit is.
 */
const MAX_CALLERS = 10_000;

// INCRBY with a window set on the first count (as @fastify/rate-limit's own Redis store: a fixed
// window from the caller's first request); a key left without expiry gets one.
const ADD_SCRIPT = `
local current = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {current, ttl}`;

type AddCommand = (key: string, n: number, windowMs: number) => Promise<[number, number]>;

interface Counter {
  /** The count Redis last answered: everything sent to it until then, ours and others'. */
  known: number;
  /** Counts sent to Redis and not answered yet (answers come in the order sent: one connection). */
  sending: number;
  /** Counted here and not sent yet. */
  unsent: number;
  /** When the window ends (from Redis' TTL). */
  endsAt: number;
  /** When Redis last answered for this key. */
  heardAt: number;
  windowMs: number;
}

/**
 * A dedicated connection (not the queue's: BullMQ's blocks and retries forever, which a request
 * must never wait behind). A Redis outage fails a count within a second instead of holding the
 * request; the limiter then lets the request through (skipOnError in app.ts) and this logs it.
 */
export function createRateLimitStore(redisUrl: string, prefix: string, onError: (err: unknown) => void, options: RateLimitStoreOptions = {}): RateLimitStore {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 1_000, enableAutoPipelining: true });
  redis.on('error', onError);
  return sharedRateLimitStore(redis, `${prefix}:rate-limit:`, onError, options);
}

/** The store over an existing connection (createRateLimitStore opens one). */
export function sharedRateLimitStore(redis: Redis, prefix: string, onError: (err: unknown) => void, options: RateLimitStoreOptions = {}): RateLimitStore {
  const flushMs = options.flushMs ?? 50;
  const now = options.now ?? Date.now;
  const maxCallers = options.maxCallers ?? MAX_CALLERS;
  redis.defineCommand('clarioRateLimitAdd', { numberOfKeys: 1, lua: ADD_SCRIPT });
  const add: AddCommand = (key, n, windowMs) => (redis as unknown as { clarioRateLimitAdd: AddCommand }).clarioRateLimitAdd(key, n, windowMs);
  // Only callers with a high limit (LOCAL_MIN_LIMIT) have an entry: the service token and sellers,
  // not every address that tries without a token. An entry goes once its window is over.
  const counters = new Map<string, Counter>();
  let timer: NodeJS.Timeout | undefined;
  // Sends run one after another: a flush asked for while one is in flight sends what was counted
  // meanwhile once that one is answered (never rejects: a failed send is logged and kept).
  let flushing: Promise<void> = Promise.resolve();

  /** Sends `n` counts of `key`; what Redis answers is the caller's `current`. */
  async function send(key: string, c: Counter, n: number): Promise<{ current: number; ttl: number }> {
    c.sending += n;
    try {
      const [current, ttl] = await add(key, n, c.windowMs);
      const at = now();
      c.known = current;
      c.endsAt = at + ttl;
      c.heardAt = at;
      return { current, ttl };
    } catch (err) {
      // Sent again with the next send (a kept caller's); until then this process counts locally only
      // while its view is fresh, so an outage turns into per-request calls (which pass, see skipOnError).
      c.unsent += n;
      throw err;
    } finally {
      c.sending -= n;
    }
  }

  async function sendAll(): Promise<void> {
    const at = now();
    const sends: Array<Promise<unknown>> = [];
    for (const [key, c] of counters) {
      if (c.unsent === 0) {
        if (c.sending === 0 && c.endsAt <= at) counters.delete(key);
        continue;
      }
      const n = c.unsent;
      c.unsent = 0;
      sends.push(send(key, c, n).catch(onError));
    }
    await Promise.all(sends);
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    flushing = flushing.then(sendAll);
    return flushing;
  }

  function schedule(): void {
    timer ??= setTimeout(() => void flush(), flushMs);
    timer.unref();
  }

  function incr(key: string, cb: Parameters<FastifyRateLimitStore['incr']>[1], windowMs: number, max: number): void {
    const at = now();
    // A low limit's counter lives only for the call (see LOCAL_MIN_LIMIT), as does one past maxCallers.
    let c = max >= LOCAL_MIN_LIMIT ? counters.get(key) : undefined;
    if (!c) {
      c = { known: 0, sending: 0, unsent: 0, endsAt: 0, heardAt: -Infinity, windowMs };
      const kept = max >= LOCAL_MIN_LIMIT;
      if (kept && counters.size < maxCallers) counters.set(key, c);
      else if (kept) schedule(); // full: the next send also drops callers whose window is over
    }
    // This process's own counts are all in `count`: one process alone is never past its limit.
    const count = c.known + c.sending + c.unsent + 1;
    if (c.endsAt > at && at - c.heardAt <= 2 * flushMs && count <= max / 2) {
      c.unsent++;
      schedule();
      cb(null, { current: count, ttl: c.endsAt - at });
      return;
    }
    // Exact: this request and whatever this process has not sent yet, in one call.
    const n = c.unsent + 1;
    c.unsent = 0;
    // On an error the request passes (skipOnError); a kept caller's counts go with its next send.
    send(key, c, n).then(
      (answer) => cb(null, answer),
      (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
    );
  }

  // A route with limits of its own counts under its own keys (as @fastify/rate-limit's Redis store).
  const storeFor = (keyPrefix: string): FastifyRateLimitStore => ({
    incr: (key, cb, timeWindow, max) => incr(keyPrefix + key, cb, timeWindow, max),
    // Called with the route's merged limit settings, which carry `routeInfo` (not in the plugin's typings).
    child: (settings) => {
      const { method, url } = (settings as unknown as { routeInfo: { method: string; url: string } }).routeInfo;
      return storeFor(`${prefix}${method}${url}-`);
    },
  });
  // @fastify/rate-limit constructs its `store` option with its settings, which are not needed here.
  const SharedStore = function SharedStore() {
    return storeFor(prefix);
  };

  return {
    redis,
    prefix,
    Store: SharedStore as unknown as FastifyRateLimitStoreCtor,
    flush,
    close: flush,
  };
}
