// The `bullmq` driver: BullMQ on Redis carries event ids. Redis may lose a message (a restart
// without persistence); the recovery sweeper re-sends due events, and job ids include the due
// time so a re-send of a job that is still queued is a no-op.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { DEFAULT_SHUTDOWN_GRACE_MS, QueueUnavailableError, STATS_TIMEOUT_MS, within, type JobHandler, type JobQueue, type QueueJob, type QueueLog, type QueueStats } from './job-queue.js';

export interface BullMqQueueOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly name?: string;
  readonly log: QueueLog;
  /**
   * How long a job a consumer took stays its own without the consumer renewing it (BullMQ's lock,
   * and how often its stalled jobs are looked for): a job held by a worker that died runs
   * elsewhere after about twice this. The workflow lease, so that such a job comes back when its
   * event would (a re-send of it is a no-op while the dead worker's job holds its id). Default 30 s.
   */
  readonly lockMs?: number;
  /** See STATS_TIMEOUT_MS. */
  readonly statsTimeoutMs?: number;
}

interface JobData {
  readonly id: string;
}

export function createBullMqQueue(options: BullMqQueueOptions): JobQueue {
  const name = options.name ?? 'phase-events';
  const redis = (extra: object = {}) =>
    new Redis(options.redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true, ...extra });
  const queueConnection = redis();
  queueConnection.on('error', (err) => options.log.error({ err }, 'bullmq: redis connection error'));
  const queue = new Queue<JobData>(name, { connection: queueConnection, prefix: options.prefix });
  // Without a listener BullMQ prints the error to stderr itself, past the logger (and its redaction).
  queue.on('error', (err) => options.log.error({ err }, 'bullmq: queue error'));
  let worker: Worker<JobData> | undefined;
  let workerConnection: Redis | undefined;

  return {
    driver: 'bullmq',
    readsInbox: false,
    async notify(jobs: readonly QueueJob[]) {
      if (jobs.length === 0) return;
      const now = Date.now();
      await queue.addBulk(
        jobs.map((job) => ({
          name: 'phase',
          data: { id: job.id },
          opts: {
            jobId: `${job.id}-${job.runAt.getTime()}`,
            delay: Math.max(0, job.runAt.getTime() - now),
            removeOnComplete: true,
            // A failed job must not stay: its id would turn the sweeper's re-send of the same due
            // event into a no-op for ever (a job stalled twice by killed workers fails like this).
            removeOnFail: true,
            // These retries cover infrastructure errors only; phase failures are the runner's.
            attempts: 5,
            backoff: { type: 'exponential', delay: 1000 },
          },
        })),
      );
    },
    async consume(handler: JobHandler, { concurrency }) {
      if (worker) throw new Error('this queue is already consuming');
      workerConnection = redis();
      workerConnection.on('error', (err) => options.log.error({ err }, 'bullmq: redis connection error'));
      worker = new Worker<JobData>(name, (job) => handler(job.data.id), {
        connection: workerConnection,
        prefix: options.prefix,
        concurrency,
        ...(options.lockMs ? { lockDuration: options.lockMs, stalledInterval: options.lockMs } : {}),
      });
      worker.on('error', (err) => options.log.error({ err }, 'bullmq: worker error'));
      await worker.waitUntilReady();
    },
    async stats(): Promise<QueueStats> {
      // The connection waits for Redis for ever (maxRetriesPerRequest: null, the offline queue on),
      // which suits the jobs but not a count someone is waiting for: refused at once while it is
      // reconnecting, and bounded otherwise (a server that takes the connection and never answers).
      if (!['wait', 'connecting', 'connect', 'ready'].includes(queueConnection.status)) {
        throw new QueueUnavailableError(`redis is not connected (${queueConnection.status})`);
      }
      const counting = queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed');
      // Left to settle when Redis is back (the offline queue sends it then).
      counting.catch(() => undefined);
      const timeoutMs = options.statsTimeoutMs ?? STATS_TIMEOUT_MS;
      if (!(await within(counting, timeoutMs))) throw new QueueUnavailableError(`redis did not answer within ${timeoutMs} ms`);
      const c = await counting.catch((err: unknown) => {
        throw new QueueUnavailableError('redis refused the count', { cause: err });
      });
      return {
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        delayed: c.delayed ?? 0,
        active: c.active ?? 0,
        failed: c.failed ?? 0,
      };
    },
    async pause() {
      // Without waiting for the active jobs: close() does, within its bound.
      await worker?.pause(true);
    },
    async close(graceMs = DEFAULT_SHUTDOWN_GRACE_MS, onGraceExpired?: () => Promise<void>) {
      if (worker && !(await within(worker.close(), graceMs))) {
        // Before the forced close: the hand-back notifies through this queue, still open here.
        if (onGraceExpired) await onGraceExpired();
        else options.log.error({}, 'bullmq: jobs still running at shutdown are left to their leases');
        await worker.close(true);
      }
      await queue.close();
      workerConnection?.disconnect();
      queueConnection.disconnect();
    },
  };
}
