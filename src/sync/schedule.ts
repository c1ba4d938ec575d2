// Syncs repeat on a schedule. Every worker process runs this loop; the trigger for one seller and
// one time slot has a fixed idempotency key, so however many processes fire, the sync runs once.
import { sql } from 'drizzle-orm';
import { connectedUsers } from '../connect/connections.js';
import { type Database, rows } from '../store/db.js';
import type { Engine } from '../workflow/engine.js';
import type { Log } from '../workflow/log.js';
import { pollingLoop } from '../workflow/polling.js';

export interface SyncScheduler {
  tick(now?: Date): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export function createSyncScheduler(options: { database: Database; engine: Engine; intervalHours: number; log: Log; checkEveryMs?: number }): SyncScheduler {
  const intervalMs = options.intervalHours * 3_600_000;

  async function tick(now = new Date()): Promise<number> {
    if (intervalMs <= 0) return 0;
    const slot = Math.floor(now.getTime() / intervalMs);
    let started = 0;
    for (const userId of await connectedUsers(options.database.db)) {
      // A seller who synced within the interval (just connected, say) waits for the next slot.
      const [last] = await rows<{ at: Date | string | null }>(options.database.db,
        sql`SELECT max(created_at) AS at FROM phase_events WHERE user_id = ${userId} AND phase = 1`,
      );
      if (last?.at && now.getTime() - new Date(last.at).getTime() < intervalMs) continue;
      const key = `schedule:${userId}:${slot}`;
      const a = await options.engine.accept({
        phase: 1,
        userId,
        syncId: `sync_${userId}_${slot}`,
        payload: { user_id: userId, source: 'schedule' },
        idempotencyKey: key,
        requestHash: key,
        source: 'internal',
      });
      if (!a.duplicate) started++;
    }
    return started;
  }

  const loop = pollingLoop(() => tick(), {
    intervalMs: options.checkEveryMs ?? 5 * 60_000,
    onError: (err) => options.log.error({ err }, 'scheduled sync failed to start'),
  });
  return {
    tick,
    start() {
      if (intervalMs > 0) loop.start();
    },
    stop: () => loop.stop(),
  };
}
