/**
 * Time as the Amazon adapters see it. Waiting goes through the clock too, so tests replace both
 * and walk through rate limits and report polling without real delays.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Resolves after `ms`; rejects with the signal's reason as soon as it aborts. The timer goes with
   * the abort: a stopped sync must not leave a 40-second rate-limit wait keeping the process alive.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A clock that moves only when told to, or when someone sleeps on it (sleeping advances time at
 * once). Sharing one between a client and the simulator makes a back-off refill the server's bucket.
 */
export class ManualClock implements Clock {
  private t: number;
  /** Every sleep requested, in order: what a test checks instead of timing. */
  readonly sleeps: number[] = [];
  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.t = typeof start === 'number' ? start : start.getTime();
  }
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += Math.max(0, ms);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    this.sleeps.push(ms);
    this.advance(ms);
    return Promise.resolve();
  }
}
