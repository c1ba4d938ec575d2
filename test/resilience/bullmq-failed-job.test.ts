// A BullMQ job that failed (stalled twice by killed workers, or out of infrastructure retries)
// must not block the sweeper's re-send of the same due event.
import { UnrecoverableError } from 'bullmq';
import { afterAll, expect, it } from 'vitest';
import { createBullMqQueue } from '../../src/queue/bullmq-queue.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { describeWithRedis, randomName, redis } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

describeWithRedis('a re-send after the job failed in BullMQ', () => {
  let queue: JobQueue | undefined;
  afterAll(async () => {
    await queue?.close();
  });

  it('runs the event again', async () => {
    queue = createBullMqQueue({ redisUrl: redis.url, prefix: randomName('cq'), log: { error: () => undefined } });
    const calls: string[] = [];
    await queue.consume(
      (id) => {
        calls.push(id);
        // The first delivery fails for good, as a job over BullMQ's stalled limit does.
        return calls.length === 1 ? Promise.reject(new UnrecoverableError('stalled more than allowable limit')) : Promise.resolve();
      },
      { concurrency: 1 },
    );
    const due = { id: 'event-1', runAt: new Date(Date.now() - 1000) };
    await queue.notify([due]);
    await waitFor(() => calls.length === 1, 'the first delivery');
    await waitFor(async () => ((await queue?.stats())?.active ?? 1) === 0, 'the failure to be recorded');
    await queue.notify([due]); // the sweeper re-sends the same due event: same job id
    await waitFor(() => calls.length === 2, 'the re-sent delivery');
    expect(calls).toEqual(['event-1', 'event-1']);
  });
});
