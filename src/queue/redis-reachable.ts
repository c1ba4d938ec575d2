// Redis is checked once at start, like the database: a REDIS_URL nobody answers at stops the
// process with one line, instead of a service that accepts triggers its queue never carries
// while its connections retry for ever (a process manager or compose restarts it).
import { Redis } from 'ioredis';
import { whereIs, whyUnreachable } from '../store/unreachable.js';

/** Redis could not be reached at start: said with REDIS_URL's host, never its password. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
}

/**
 * Connects once, PINGs and selects REDIS_URL's database, each within `timeoutMs`; throws
 * RedisUnreachableError otherwise.
 */
export async function assertRedisReachable(url: string, timeoutMs = 5_000): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's own error (ECONNREFUSED) arrives here; connect() then rejects with only
  // "Connection is closed.". Without a listener ioredis would print it itself.
  let socketError: unknown;
  redis.on('error', (err) => (socketError ??= err));
  try {
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      const why = socketError ?? err;
      throw new RedisUnreachableError(`cannot connect to the Redis REDIS_URL names (${whereIs(url)}): ${whyUnreachable(why)}`, { cause: why });
    }
    // ioredis SELECTs the URL's database as it connects, but a refusal (ERR DB index is out of
    // range) only reaches its 'error' event: connect() resolves and the connection stays on
    // database 0, where BullMQ would write into whatever else lives there. So it is asked again.
    const db = redis.options.db ?? 0;
    if (db !== 0) {
      await redis.select(db).catch((err: unknown) => {
        throw new RedisUnreachableError(`cannot select database ${db} of the Redis REDIS_URL names (${whereIs(url)}): ${whyUnreachable(err)}`, { cause: err });
      });
    }
  } finally {
    redis.disconnect();
  }
}
