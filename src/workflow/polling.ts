// A background loop's heartbeat (recovery, schedules, deliveries): one round at a time, every
// `intervalMs`, and a stop that waits for the round in flight. `stopped()` lets a round end
// early between messages; `nudge()` runs a round now rather than at the next tick.
export interface PollingLoop {
  start(): void;
  /** A round as soon as possible; one more after the round in flight, if one is running. */
  nudge(): void;
  stop(): Promise<void>;
  stopped(): boolean;
}

export function pollingLoop(round: () => Promise<unknown>, options: { intervalMs: number; onError: (err: unknown) => void }): PollingLoop {
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
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
    stopped: () => stopped,
  };
}
