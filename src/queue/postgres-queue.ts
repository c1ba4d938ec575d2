// The `postgres` driver: the inbox table is the queue. Consumers hand themselves due events with
// FOR UPDATE SKIP LOCKED, so several processes on one PostgreSQL share the work: started by the same
// statement when the consumer gives a `take` (the runner does), else reserved by a short dispatch
// lease for the handler to start. NOTIFY wakes idle consumers; polling catches what it missed.
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../store/db.js';
import { dueUnheld } from '../store/lane-order.js';
import { DEFAULT_SHUTDOWN_GRACE_MS, within, type JobHandler, type JobQueue, type QueueJob, type QueueLog, type QueueStats, type TakeDue, type TakenJob } from './job-queue.js';

export interface PostgresQueueOptions {
  readonly pollMs: number;
  /** How long a dispatched event stays reserved for the consumer that took it. */
  readonly dispatchLeaseMs?: number;
  readonly channel?: string;
  readonly log: QueueLog;
}

export function createPostgresQueue(database: Database, options: PostgresQueueOptions): JobQueue {
  const channel = options.channel ?? 'clario_inbox';
  const leaseMs = options.dispatchLeaseMs ?? 30_000;
  // Set by pause() or close(): the loop takes no more events.
  let stopped = false;
  let wake: (() => void) | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let loop: Promise<void> | undefined;
  let unlisten: (() => Promise<void>) | undefined;

  // A poke that arrives while the loop is busy is remembered, so the next sleep returns at once.
  let poked = false;
  const poke = () => {
    const w = wake;
    wake = undefined;
    if (w) w();
    else poked = true;
  };

  async function dispatch(limit: number): Promise<string[]> {
    const r = await rows<{ id: string }>(
      database.db,
      sql`UPDATE phase_events SET dispatched_until = now() + ${`${leaseMs} milliseconds`}::interval
          WHERE id IN (${dueUnheld(sql`${limit}`)})
          RETURNING id`,
    );
    return r.map((x) => x.id);
  }

  function sleep(ms: number): Promise<void> {
    if (poked) {
      poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        wake = undefined;
        resolve();
      }, ms);
      timers.add(t);
      wake = () => {
        clearTimeout(t);
        timers.delete(t);
        resolve();
      };
    });
  }

  async function run(handler: JobHandler, concurrency: number, take: TakeDue | undefined): Promise<void> {
    while (!stopped) {
      const free = concurrency - inFlight.size;
      if (free <= 0) {
        await Promise.race(inFlight);
        continue;
      }
      let jobs: readonly TakenJob[] = [];
      try {
        jobs = (take ? await take(free) : undefined) ?? (await dispatch(free)).map((id) => ({ id, run: () => handler(id) }));
      } catch (err) {
        if (stopped) break;
        options.log.error({ err }, 'queue: dispatch failed; retrying');
        await sleep(options.pollMs);
        continue;
      }
      for (const job of jobs) {
        const p: Promise<void> = job
          .run()
          .catch((err: unknown) => options.log.error({ err, eventId: job.id }, 'queue: handler failed; the event is delivered again later'))
          .finally(() => {
            inFlight.delete(p);
            poke();
          });
        inFlight.add(p);
      }
      if (jobs.length === 0) await sleep(options.pollMs);
    }
  }

  return {
    driver: 'postgres',
    readsInbox: true,
    async notify(jobs: readonly QueueJob[]) {
      if (jobs.length === 0) return;
      const now = Date.now();
      let due = false;
      for (const job of jobs) {
        const delay = job.runAt.getTime() - now;
        if (delay <= 0) due = true;
        else {
          const t = setTimeout(() => {
            timers.delete(t);
            poke();
          }, delay);
          t.unref();
          timers.add(t);
        }
      }
      if (due) await database.notify(channel);
    },
    async consume(handler, { concurrency, take }) {
      if (loop) throw new Error('this queue is already consuming');
      unlisten = await database.listen(channel, poke);
      loop = run(handler, concurrency, take);
    },
    async stats(): Promise<QueueStats> {
      const [r] = await rows<{ waiting: string; delayed: string; active: string; failed: string }>(
        database.db,
        // Each count through its status's partial index (read-status.ts says why).
        sql`SELECT
              (SELECT count(*) FROM phase_events WHERE status = 'pending' AND run_after <= now()) AS waiting,
              (SELECT count(*) FROM phase_events WHERE status = 'pending' AND run_after > now()) AS delayed,
              (SELECT count(*) FROM phase_events WHERE status = 'running') AS active,
              (SELECT count(*) FROM phase_events WHERE status = 'failed') AS failed`,
      );
      return {
        waiting: Number(r?.waiting ?? 0),
        delayed: Number(r?.delayed ?? 0),
        active: Number(r?.active ?? 0),
        failed: Number(r?.failed ?? 0),
      };
    },
    pause() {
      stopped = true;
      poke();
      return Promise.resolve();
    },
    async close(graceMs = DEFAULT_SHUTDOWN_GRACE_MS, onGraceExpired?: () => Promise<void>) {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      poke();
      await loop;
      if (!(await within(Promise.allSettled([...inFlight]), graceMs))) {
        if (onGraceExpired) await onGraceExpired();
        else options.log.error({ inFlight: inFlight.size }, 'queue: phases still running at shutdown are left to their leases');
      }
      await unlisten?.();
    },
  };
}
