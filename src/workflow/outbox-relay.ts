// Moves committed outbox rows to the message bus. Pokes after each commit keep latency low; a
// slow interval catches rows committed by processes that crashed before relaying them.
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../store/db.js';
import type { BusMessage, MessageBus } from '../realtime/bus.js';
import type { Log } from './log.js';

export interface OutboxRelay {
  poke(): void;
  drain(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

export function createOutboxRelay(o: { database: Database; bus: MessageBus; log: Log; intervalMs: number; batch?: number }): OutboxRelay {
  const batch = o.batch ?? 500;
  let draining: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function drainOnce(): Promise<number> {
    return o.database.db.transaction(async (tx) => {
      const pending = await rows<{ seq: string | number; user_id: string; type: string; payload: Record<string, unknown> }>(
        tx,
        sql`SELECT seq, user_id, type, payload FROM outbox WHERE published_at IS NULL
            ORDER BY seq LIMIT ${batch} FOR UPDATE SKIP LOCKED`,
      );
      if (pending.length === 0) return 0;
      const messages: BusMessage[] = pending.map((r) => ({
        seq: Number(r.seq),
        userId: r.user_id,
        type: r.type,
        payload: { ...r.payload, seq: Number(r.seq) },
      }));
      await o.bus.publish(messages);
      const seqs = messages.map((m) => m.seq);
      await tx.execute(sql`UPDATE outbox SET published_at = now() WHERE seq IN (${sql.join(seqs.map((s) => sql`${s}`), sql`, `)})`);
      return pending.length;
    });
  }

  async function drain(): Promise<void> {
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      try {
        do {
          again = false;
          while (!stopped && (await drainOnce()) === batch);
        } while (again && !stopped);
      } catch (err) {
        o.log.error({ err }, 'outbox relay failed; will retry');
      } finally {
        draining = undefined;
      }
    })();
    return draining;
  }

  return {
    poke() {
      if (!stopped) void drain();
    },
    drain,
    start() {
      timer = setInterval(() => void drain(), o.intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await draining;
    },
  };
}
