// The sellers' open WebSockets in this process. Each message goes only to its own user's
// subscribers; one broken subscriber cannot stop the delivery to the others.
import type { BusMessage } from './bus.js';

export interface Subscriber {
  push(message: BusMessage): void;
  close(code: number, reason: string): void;
}

export interface Hub {
  add(userId: string, subscriber: Subscriber): boolean;
  remove(userId: string, subscriber: Subscriber): void;
  deliver(messages: readonly BusMessage[]): void;
  count(): number;
  /** Who is connected now: users and how many sockets each has open. */
  clients(): Array<{ readonly userId: string; readonly connections: number }>;
  closeAll(): void;
}

export function createHub(options: { maxPerUser: number }): Hub {
  const byUser = new Map<string, Set<Subscriber>>();
  let total = 0;
  return {
    add(userId, subscriber) {
      let set = byUser.get(userId);
      if (!set) byUser.set(userId, (set = new Set()));
      if (set.size >= options.maxPerUser) return false;
      set.add(subscriber);
      total++;
      return true;
    },
    remove(userId, subscriber) {
      const set = byUser.get(userId);
      if (set?.delete(subscriber)) total--;
      if (set && set.size === 0) byUser.delete(userId);
    },
    deliver(messages) {
      for (const m of messages) {
        const set = byUser.get(m.userId);
        if (!set) continue;
        for (const s of set) {
          try {
            s.push(m);
          } catch {
            // A subscriber that throws is closed by its own error handling; the others still get it.
          }
        }
      }
    },
    count: () => total,
    clients: () => [...byUser].map(([userId, set]) => ({ userId, connections: set.size })),
    closeAll() {
      for (const set of byUser.values()) for (const s of set) s.close(1001, 'server shutting down');
      byUser.clear();
      total = 0;
    },
  };
}
