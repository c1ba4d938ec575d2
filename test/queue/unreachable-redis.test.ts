// A REDIS_URL nobody answers at: one line naming the variable and the host, never the password
// (before: the service started, accepted triggers its queue never carried, and its connections
// logged ECONNREFUSED for ever).
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.js';
import { assertRedisReachable, RedisUnreachableError } from '../../src/queue/redis-reachable.js';
import { describeWithRedis, redis } from '../support/infra.js';

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('checking Redis at start', () => {
  it('says which address REDIS_URL names and why, without its password', async () => {
    const port = await closedPort();
    const failure = await failureOf(assertRedisReachable(`redis://:s3cret-pw@127.0.0.1:${port}/2`));
    expect(failure).toBeInstanceOf(RedisUnreachableError);
    expect((failure as Error).message).toBe(`cannot connect to the Redis REDIS_URL names (127.0.0.1:${port}/2): ECONNREFUSED`);
    expect((failure as Error).message).not.toContain('s3cret-pw');
  });

  it('refuses a server that accepts the connection but never answers, within its bound', async () => {
    // Something else listens there (a wrong port): the PING is never answered.
    const accepted: Socket[] = [];
    const silent = createServer((socket) => accepted.push(socket.on('error', () => undefined)));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as { port: number };
    try {
      const failure = await failureOf(assertRedisReachable(`redis://127.0.0.1:${port}`, 200));
      expect(failure).toBeInstanceOf(RedisUnreachableError);
      expect((failure as Error).message).toMatch(new RegExp(`^cannot connect to the Redis REDIS_URL names \\(127\\.0\\.0\\.1:${port}\\): `));
    } finally {
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  });

});

describeWithRedis('checking a Redis that answers', () => {
  it('passes', async () => {
    await expect(assertRedisReachable(redis.url)).resolves.toBeUndefined();
  });

  it("refuses a database the server does not have, instead of carrying on in database 0", async () => {
    // ioredis's own SELECT fails only in an 'error' event; the queue then wrote into database 0.
    const url = new URL(redis.url);
    url.pathname = '/99999';
    const failure = await failureOf(assertRedisReachable(url.toString()));
    expect(failure).toBeInstanceOf(RedisUnreachableError);
    expect((failure as Error).message).toBe(`cannot select database 99999 of the Redis REDIS_URL names (${url.host}/99999): ERR DB index is out of range`);
    url.pathname = '/1';
    await expect(assertRedisReachable(url.toString())).resolves.toBeUndefined();
  });
});
