// A background loop's heartbeat (recovery, schedules, deliveries): one round at a time, every
// `intervalMs`, and a stop that waits for the round in flight. `stopped()` lets a round end
// early between messages; `nudge()` runs a round now rather than at the next tick; `signal` lets
// a stop cancel a provider call in flight, so it is not held up by a slow one.
import { within } from '../queue/job-queue.js';

export interface PollingLoop {
  start(): void;
  /** A round as soon as possible; one more after the round in flight, if one is running. */
  nudge(): void;
  /**
   * Stops, aborts `signal` and waits for the round in flight. With `graceMs` (a bounded shutdown
   * of a loop whose calls are worth finishing, like a webhook POST), the round first gets that
   * long to end by itself before its signal is aborted.
   */
  stop(graceMs?: number): Promise<void>;
  stopped(): boolean;
  /** Aborted by stop(): a round hands it to the calls that must not outlive the loop. */
  readonly signal: AbortSignal;
}

export class LoopStoppedError extends Error {
  override readonly name = 'LoopStoppedError';
}

export function pollingLoop(round: () => Promise<unknown>, options: { intervalMs: number; onError: (err: unknown) => void }): PollingLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  let again = false;
  const stopping = new AbortController();
  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = round()
      .catch((err: unknown) => {
        // A round cut short by stop() through its signal did what it was told: not a failure.
        if (stopping.signal.aborted && err === stopping.signal.reason) return;
        options.onError(err);
      })
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
      const inFlight = running;
      if (!(inFlight && graceMs !== undefined && (await within(inFlight, graceMs)))) {
        stopping.abort(new LoopStoppedError(graceMs === undefined ? 'the loop is stopping' : 'cut at the shutdown bound'));
      }
      await running;
    },
    stopped: () => stopped,
    signal: stopping.signal,
  };
}
