// A background loop's heartbeat (recovery, schedules, deliveries): one round at a time, every
// `intervalMs`, and a stop that waits for the round in flight. `stopped()` lets a round end
// early between messages; `nudge()` runs a round now rather than at the next tick.
import { within } from '../queue/job-queue.js';

export interface PollingLoop {
  start(): void;
  /** A round as soon as possible; one more after the round in flight, if one is running. */
  nudge(): void;
  /**
   * Stops and waits for the round in flight. With `graceMs` (a bounded shutdown), a round still
   * running then has its `signal` aborted, so its in-flight request is cut rather than waited for.
   */
  stop(graceMs?: number): Promise<void>;
  stopped(): boolean;
  /** Aborted when a bounded stop runs out of time. */
  readonly signal: AbortSignal;
}

export function pollingLoop(round: () => Promise<unknown>, options: { intervalMs: number; onError: (err: unknown) => void }): PollingLoop {
  const cut = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  let again = false;
  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = round()
      .catch(options.onError)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          tick();
        }
      });
  };
  return {
    start() {
      if (timer || stopped) return;
      timer = setInterval(() => {
        if (!running) tick();
      }, options.intervalMs);
      timer.unref();
    },
    nudge() {
      if (timer) tick();
    },
    async stop(graceMs) {
      stopped = true;
      if (timer) clearInterval(timer);
      if (running && graceMs !== undefined && !(await within(running, graceMs))) cut.abort(new Error('cut at the shutdown bound'));
      await running;
    },
    stopped: () => stopped,
    signal: cut.signal,
  };
}
