// Redis is checked once at start, like the database: a REDIS_URL nobody answers at stops the
// process with one line, instead of a service that accepts triggers its queue never carries
// while its connections retry for ever (a process manager or compose restarts it).
import { Redis } from 'ioredis';
import { whereIs, whyUnreachable } from '../store/unreachable.js';

/** Redis could not be reached at start: said with REDIS_URL's host, never its password. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
}

/** Connects once and PINGs, each within `timeoutMs`; throws RedisUnreachableError otherwise. */
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
    await redis.connect();
    await redis.ping();
  } catch (err) {
    const why = socketError ?? err;
    throw new RedisUnreachableError(`cannot connect to the Redis REDIS_URL names (${whereIs(url)}): ${whyUnreachable(why)}`, { cause: why });
  } finally {
    redis.disconnect();
  }
}
