// A background loop's heartbeat (recovery, schedules, deliveries): one round at a time, every
// `intervalMs`, and a stop that waits for the round in flight. `stopped()` lets a round end
// early between messages.
export interface PollingLoop {
  start(): void;
  stop(): Promise<void>;
  stopped(): boolean;
}

export function pollingLoop(round: () => Promise<unknown>, o: { intervalMs: number; onError: (err: unknown) => void }): PollingLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  return {
    start() {
      if (timer || stopped) return;
      timer = setInterval(() => {
        if (running || stopped) return;
        running = round()
          .catch(o.onError)
          .finally(() => {
            running = undefined;
          });
      }, o.intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
    stopped: () => stopped,
  };
}
