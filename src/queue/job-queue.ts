/**
 * The queue only carries event ids; the inbox (phase_events) holds the truth. Delivery is at least
 * once: the runner's compare-and-set on the event's status turns duplicates into no-ops.
 */
export interface QueueJob {
  readonly id: string;
  readonly runAt: Date;
}

export type JobHandler = (id: string) => Promise<void>;

/** An event already started for this consumer: its id, and the run of it. */
export interface TakenJob {
  readonly id: string;
  run(): Promise<void>;
}

/**
 * Takes up to `limit` due events from the inbox and starts them for this consumer in one statement
 * (the runner's acquireDue), instead of one statement to reserve their ids and one per event to
 * start it. Undefined when it could not this time (two due events of one lane met); the queue then
 * reserves ids as before.
 */
export type TakeDue = (limit: number) => Promise<readonly TakenJob[] | undefined>;

export interface QueueStats {
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
  readonly failed: number;
}

export interface JobQueue {
  readonly driver: 'postgres' | 'bullmq';
  /**
   * True when the queue reads the inbox itself, so that a notification lost in a crash cannot
   * lose work. Otherwise the recovery sweeper re-sends due events that look forgotten.
   */
  readonly readsInbox: boolean;
  /** Called after the events are committed. */
  notify(jobs: readonly QueueJob[]): Promise<void>;
  /**
   * Starts delivering jobs to `handler`, at most `concurrency` at once in this process. A queue that
   * reads the inbox takes due events with `take` when given one.
   */
  consume(handler: JobHandler, options: { concurrency: number; take?: TakeDue }): Promise<void>;
  /**
   * The queue's counts, within a short bound (STATS_TIMEOUT_MS): rejects with
   * QueueUnavailableError when its store cannot be read (Redis down), rather than wait for it.
   */
  stats(): Promise<QueueStats>;
  /**
   * Stops taking new jobs in this process at once (a shutdown has begun); the handlers in flight
   * go on, and close() still waits for them. A job already being fetched may still be delivered.
   */
  pause(): Promise<void>;
  /**
   * Stops delivering and waits for the handlers in flight, at most `graceMs`: a phase still
   * running then is handed to `onGraceExpired` (the runner gives it back to the inbox, the queue
   * still open to carry the notice); without it, left to its lease, which expires in time.
   */
  close(graceMs?: number, onGraceExpired?: () => Promise<void>): Promise<void>;
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** How long stats() waits for the queue's store: a scrape or a status request must not hang on it. */
export const STATS_TIMEOUT_MS = 2_000;

/** The queue's store does not answer now (Redis down or unreachable); asking again later may work. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

/** Resolves when `work` settles or `ms` have passed, whichever is first. */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface QueueLog {
  error(obj: object, msg: string): void;
}
