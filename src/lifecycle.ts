// What a Clario process started, in order, so that one teardown stops it all: last started,
// first stopped, everything within one bound (SHUTDOWN_TIMEOUT_MS). Each stop is told how much
// of the bound is left; a stop that fails is logged and the rest still stop.
import type { Log } from './workflow/log.js';

export interface Lifecycle {
  /** Records something just started; `stop` is given the milliseconds left of the bound. */
  started(name: string, stop: (graceMs: number) => Promise<void> | void): void;
  /** Stops everything started, in reverse; rejects with the first failure once all were tried. */
  stopAll(boundMs: number): Promise<void>;
}

export function lifecycle(log: Log): Lifecycle {
  const handles: Array<{ name: string; stop: (graceMs: number) => Promise<void> | void }> = [];
  return {
    started(name, stop) {
      handles.push({ name, stop });
    },
    async stopAll(boundMs) {
      const deadline = Date.now() + boundMs;
      let failure: { err: unknown } | undefined;
      for (const h of handles.splice(0).reverse()) {
        try {
          await h.stop(Math.max(0, deadline - Date.now()));
        } catch (err) {
          log.error({ err, stopping: h.name }, 'stopping failed; stopping the rest');
          failure ??= { err };
        }
      }
      if (failure) throw failure.err;
    },
  };
}
