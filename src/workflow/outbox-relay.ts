// Moves committed outbox rows to the message bus. Pokes after each commit keep latency low; a
// slow interval catches rows committed by processes that crashed before relaying them. The runner's
// hot statements and intake's batch statement write their rows already marked published and hand
// them here (`send`): they go out with the rows a drain finds, by seq.
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../store/db.js';
import type { BusMessage, MessageBus } from '../realtime/bus.js';
import { currentTraceParent, inSpan } from '../observability/tracing.js';
import type { Log } from './log.js';

export interface OutboxRelay {
  poke(): void;
  /** Sends messages whose rows their commit marked published (publishedTransitionCtes). */
  send(messages: readonly BusMessage[]): void;
  drain(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

export function createOutboxRelay(options: { database: Database; bus: MessageBus; log: Log; intervalMs: number; batch?: number }): OutboxRelay {
  const batch = options.batch ?? 500;
  let draining: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let pokeTimer: NodeJS.Timeout | undefined;
  // Handed over by send(), waiting for the next publish, with the traces of the attempts that sent them.
  let handed: BusMessage[] = [];
  let handedTraces: string[] = [];
  let sendTimer: NodeJS.Immediate | undefined;

  // One publish serves many phase events: the span continues the first one's trace and links
  // the others' (tracing on; a no-op otherwise). Messages handed over meanwhile go with it.
  async function publish(found: BusMessage[], foundTraces: readonly string[]): Promise<void> {
    const messages = [...found, ...handed].sort((a, b) => a.seq - b.seq);
    const traces = [...new Set([...foundTraces, ...handedTraces])];
    handed = [];
    handedTraces = [];
    if (messages.length === 0) return;
    await inSpan('clario.outbox.publish', { parent: traces[0], links: traces.slice(1), attributes: { 'clario.outbox_messages': messages.length } }, () => options.bus.publish(messages));
  }

  function sendHanded(): void {
    sendTimer = undefined;
    // A drain under way or about to start sends them, in order with what it finds.
    if (draining || pokeTimer || handed.length === 0) return;
    publish([], []).catch((err: unknown) => options.log.error({ err }, 'outbox publish failed; sellers catch up with ?since='));
  }

  // One statement per batch: rows are marked published and then sent. A crash in between loses
  // those live messages (a seller reconnecting with ?since= still gets them from the outbox),
  // which is why the outbox, not the bus, is what integrations read.
  async function drainOnce(): Promise<number> {
    const pending = await rows<{ seq: string | number; user_id: string; type: string; payload: Record<string, unknown>; trace_parent: string | null }>(
      options.database.db,
      sql`UPDATE outbox SET published_at = now()
          WHERE seq IN (SELECT seq FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ${batch} FOR UPDATE SKIP LOCKED)
          RETURNING seq, user_id, type, payload, (SELECT e.trace_parent FROM phase_events e WHERE e.id = outbox.event_id) AS trace_parent`,
    );
    const messages: BusMessage[] = pending.map((r) => ({ seq: Number(r.seq), userId: r.user_id, type: r.type, payload: { ...r.payload, seq: Number(r.seq) } }));
    await publish(messages, pending.map((r) => r.trace_parent).filter((t): t is string => t !== null));
    return pending.length;
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
        options.log.error({ err }, 'outbox relay failed; will retry');
      } finally {
        draining = undefined;
        // Handed over after the drain's last publish.
        if (handed.length > 0) sendTimer ??= setImmediate(sendHanded);
      }
    })();
    return draining;
  }

  return {
    poke() {
      // A short pause lets the commits of concurrent workers share one drain.
      if (stopped || pokeTimer) return;
      pokeTimer = setTimeout(() => {
        pokeTimer = undefined;
        void drain();
      }, 2);
    },
    send(messages) {
      if (messages.length === 0) return;
      handed.push(...messages);
      const trace = currentTraceParent();
      if (trace) handedTraces.push(trace);
      // The rest of this turn's commits go in the same publish.
      sendTimer ??= setImmediate(sendHanded);
    },
    drain,
    start() {
      timer = setInterval(() => void drain(), options.intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (pokeTimer) clearTimeout(pokeTimer);
      await draining;
      if (sendTimer) clearImmediate(sendTimer);
      await publish([], []).catch((err: unknown) => options.log.error({ err }, 'outbox publish failed; sellers catch up with ?since='));
    },
  };
}
