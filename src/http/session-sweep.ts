// The backstop that keeps a seller's WebSocket no longer than its session: sign-out closes its
// sockets at once through the bus, but a bus message can be lost (Redis pub/sub keeps nothing),
// and a session that simply expires sends none. Every interval, the sessions this process has
// sockets for are looked up in one query, and the sockets of those that ended are closed.
import type { Hub } from '../realtime/hub.js';
import type { SessionStore } from './sessions.js';

/** How often: a socket outlives a lost sign-out message or its session's expiry by at most this. */
export const SESSION_SWEEP_MS = 30_000;

export interface SessionSweep {
  /** Looks now; resolves to how many sessions' sockets it closed. */
  check(): Promise<number>;
  stop(): void;
}

export interface SessionSweepOptions {
  readonly hub: Hub;
  readonly sessions: SessionStore;
  readonly intervalMs: number;
  /** Epoch ms; tests drive it. */
  readonly now?: () => number;
  readonly onError: (err: unknown) => void;
}

export function startSessionSweep(options: SessionSweepOptions): SessionSweep {
  const now = options.now ?? Date.now;
  const check = async (): Promise<number> => {
    const at = now();
    const open = options.hub.sessions();
    if (open.length === 0) return 0;
    // An expiry needs no query; the rest are asked about together.
    const expired = open.filter((s) => s.expiresAt <= at).map((s) => s.id);
    const others = open.filter((s) => s.expiresAt > at).map((s) => s.id);
    const ended = [...expired, ...(await options.sessions.ended(others, at))];
    for (const id of ended) options.hub.endSession(id);
    return ended.length;
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    check()
      .catch(options.onError)
      .finally(() => (running = false));
  }, options.intervalMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
