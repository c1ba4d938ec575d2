// A job that a BullMQ consumer took and never finished (its process died) runs on another
// consumer once its lock runs out: after the queue's lockMs (Clario passes the workflow lease),
// not BullMQ's default 30 s. Until then the sweeper's re-send of the same due event is a no-op,
// because the lost job still holds its id.
import { spawn } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { createBullMqQueue } from '../../src/queue/bullmq-queue.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { compiledEntry } from '../support/compiled.js';
import { describeWithRedis, randomName, redis } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

const CONSUMER = await compiledEntry('test/fixtures/bullmq-consumer.ts');

describeWithRedis('a BullMQ job whose consumer died', () => {
  let queue: JobQueue | undefined;
  afterAll(async () => {
    await queue?.close();
  });

  it('runs on another consumer once its lock, the lease, runs out', async () => {
    const prefix = randomName('cq');
    const lockMs = 500;
    queue = createBullMqQueue({ redisUrl: redis.url, prefix, log: { error: () => undefined }, lockMs });
    const child = spawn(process.execPath, [CONSUMER], { env: { ...process.env, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, LOCK_MS: String(lockMs) }, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((r) => child.once('exit', (_code, signal) => r(signal)));
    let out = '';
    const due = { id: 'event-1', runAt: new Date(Date.now() - 1000) };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    try {
      await waitFor(() => out.includes('READY'), 'the consumer process to start');
      await queue.notify([due]);
      await waitFor(() => out.includes('TAKEN event-1'), 'the consumer process to take the job');
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');

    const ran: string[] = [];
    await queue.consume((id) => {
      ran.push(id);
      return Promise.resolve();
    }, { concurrency: 1 });
    await queue.notify([due]); // the sweeper's re-send: the same job id
    // A hang guard well past the 500 ms lock and short of BullMQ's own 30 s: with BullMQ's default
    // lock the job would come back only after it.
    await waitFor(() => ran.length === 1, 'the job to run on the other consumer', 25_000);
    expect(ran).toEqual(['event-1']);
  });
});
