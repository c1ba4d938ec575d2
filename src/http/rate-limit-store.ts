// Where rate-limit counters live when several API processes run: Redis, so a caller's budget is
// one budget across all of them (without it each process counts alone and N processes allow N×).
import { Redis } from 'ioredis';

export interface RateLimitStore {
  readonly redis: Redis;
  /** Keys are `<prefix><caller>`; the queue prefix keeps deployments on one Redis apart. */
  readonly prefix: string;
}

/**
 * A dedicated connection (not the queue's: BullMQ's blocks and retries forever, which a request
 * must never wait behind). A Redis outage fails a count within a second instead of holding the
 * request; the limiter then lets the request through (skipOnError in app.ts) and this logs it.
 */
export function createRateLimitStore(redisUrl: string, prefix: string, onError: (err: unknown) => void): RateLimitStore {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 1_000, enableAutoPipelining: true });
  redis.on('error', onError);
  return { redis, prefix: `${prefix}:rate-limit:` };
}
