// Picks up work that a crashed process held: events whose lease expired go back to pending (or
// are parked when out of attempts), and, for queues that do not read the inbox, due events whose
// message may have been lost are sent again. Runs at start-up and then periodically.
import type { Database } from '../store/db.js';
import type { JobQueue } from '../queue/job-queue.js';
import { reclaimExpired, staleDue } from './inbox.js';
import type { Log } from './log.js';
import { pollingLoop } from './polling.js';

export interface Sweeper {
  sweepOnce(): Promise<{ reclaimed: number; resent: number }>;
  start(): void;
  stop(): Promise<void>;
}

export function createSweeper(options: {
  database: Database;
  queue: JobQueue;
  intervalMs: number;
  log: Log;
  onCommitted: () => void;
}): Sweeper {
  async function sweepOnce() {
    const reclaimed = await reclaimExpired(options.database.db, 500);
    if (reclaimed.length > 0) {
      options.onCommitted();
      options.log.warn({ events: reclaimed.map((r) => r.event.id) }, 'recovered events from a lost worker');
      await options.queue.notify(reclaimed.filter((r) => r.to === 'pending').map((r) => ({ id: r.event.id, runAt: new Date() })));
    }
    let resent = 0;
    if (!options.queue.readsInbox) {
      const stale = await staleDue(options.database.db, options.intervalMs * 2, 1000);
      resent = stale.length;
      await options.queue.notify(stale.map((s) => ({ id: s.id, runAt: s.runAfter })));
    }
    return { reclaimed: reclaimed.length, resent };
  }

  const loop = pollingLoop(sweepOnce, { intervalMs: options.intervalMs, onError: (err) => options.log.error({ err }, 'recovery sweep failed') });
  return { sweepOnce, start: () => loop.start(), stop: () => loop.stop() };
}
