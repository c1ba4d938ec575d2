// The sellers' open WebSockets in this process. Each message goes only to its own user's
// subscribers; one broken subscriber cannot stop the delivery to the others. A seller's socket
// lives no longer than the session that opened it: sign-out (a SESSION_ENDED message on the bus,
// so every process hears it) and the session sweep close it.
import type { BusMessage } from './bus.js';

export interface Subscriber {
  push(message: BusMessage): void;
  close(code: number, reason: string): void;
}

/** The session a seller's socket was opened by (a service socket has none). */
export interface SocketSession {
  readonly id: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/** A bus message that is not for a socket: the session in its payload has ended (signed out). */
export const SESSION_ENDED = 'clario.session_ended';

/**
 * The close code of a socket whose session ended: an application code (4000-4999), the WebSocket
 * 401, so a client tells it from the server's other refusals (1008: this socket may not see that).
 */
export const SESSION_ENDED_CLOSE = 4401;

export function sessionEnded(sessionId: string): BusMessage {
  return { seq: 0, userId: '', type: SESSION_ENDED, payload: { session_id: sessionId } };
}

export interface Hub {
  add(userId: string, subscriber: Subscriber, session?: SocketSession): boolean;
  remove(userId: string, subscriber: Subscriber): void;
  deliver(messages: readonly BusMessage[]): void;
  /** Closes every socket opened by this session. */
  endSession(sessionId: string): void;
  /** The sessions that have sockets open here. */
  sessions(): SocketSession[];
  count(): number;
  /** Who is connected now: users and how many sockets each has open. */
  clients(): Array<{ readonly userId: string; readonly connections: number }>;
  closeAll(): void;
}

export function createHub(options: { maxPerUser: number }): Hub {
  const byUser = new Map<string, Set<Subscriber>>();
  const bySession = new Map<string, { session: SocketSession; members: Map<Subscriber, string> }>();
  const sessionOf = new Map<Subscriber, string>();
  let total = 0;
  const hub: Hub = {
    add(userId, subscriber, session) {
      let set = byUser.get(userId);
      if (!set) byUser.set(userId, (set = new Set()));
      if (set.size >= options.maxPerUser) return false;
      set.add(subscriber);
      total++;
      if (session) {
        let entry = bySession.get(session.id);
        if (!entry) bySession.set(session.id, (entry = { session, members: new Map() }));
        entry.members.set(subscriber, userId);
        sessionOf.set(subscriber, session.id);
      }
      return true;
    },
    remove(userId, subscriber) {
      const set = byUser.get(userId);
      if (set?.delete(subscriber)) total--;
      if (set && set.size === 0) byUser.delete(userId);
      const sessionId = sessionOf.get(subscriber);
      if (sessionId === undefined) return;
      sessionOf.delete(subscriber);
      const entry = bySession.get(sessionId);
      entry?.members.delete(subscriber);
      if (entry && entry.members.size === 0) bySession.delete(sessionId);
    },
    deliver(messages) {
      for (const m of messages) {
        if (m.type === SESSION_ENDED) {
          const id = m.payload.session_id;
          if (typeof id === 'string') hub.endSession(id);
          continue;
        }
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
    endSession(sessionId) {
      const entry = bySession.get(sessionId);
      if (!entry) return;
      for (const [subscriber, userId] of [...entry.members]) {
        hub.remove(userId, subscriber);
        try {
          subscriber.close(SESSION_ENDED_CLOSE, 'session ended; sign in again');
        } catch {
          // Already closing: it is out of the hub either way.
        }
      }
    },
    sessions: () => [...bySession.values()].map((e) => e.session),
    count: () => total,
    clients: () => [...byUser].map(([userId, set]) => ({ userId, connections: set.size })),
    closeAll() {
      for (const set of byUser.values()) for (const s of set) s.close(1001, 'server shutting down');
      byUser.clear();
      bySession.clear();
      sessionOf.clear();
      total = 0;
    },
  };
  return hub;
}
