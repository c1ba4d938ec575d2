// Fixed-rate (open-loop) load: requests leave on a schedule whatever the answers do, and each
// one's latency counts from when it was due, not from when it left. A closed loop (N in flight)
// sends less as answers slow down, so a server that falls behind never shows its queue
// ("coordinated omission"); here the queue, the client's included, is in every latency.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export interface OpenLoopOptions {
  /** Requests per second. */
  readonly rate: number;
  readonly count: number;
  /** Sends request `i`; resolves true when it was accepted. A rejection counts as an error. */
  send(i: number): Promise<boolean>;
  readonly clock?: Clock;
}

export interface OpenLoopRun {
  /** Milliseconds from each request's due time to its answer, sorted. */
  readonly latencies: number[];
  readonly errors: number;
  /** From the first due time to the last send, and to the last answer. */
  readonly sendingMs: number;
  readonly answeringMs: number;
  /** How late the loop itself sent a request, at worst: when large, the generator was the limit. */
  readonly maxSendLagMs: number;
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopRun> {
  const clock = options.clock ?? realClock;
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  const answers: Array<Promise<void>> = [];
  let errors = 0;
  let maxSendLagMs = 0;
  let lastSend = 0;
  let lastAnswer = 0;
  const start = clock.now();
  for (let i = 0; i < options.count; ) {
    const now = clock.now();
    // Everything due by now leaves now: a late wake-up sends a burst instead of shifting the schedule.
    for (; i < options.count && start + i * interval <= now; i++) {
      const n = i;
      const due = start + n * interval;
      maxSendLagMs = Math.max(maxSendLagMs, now - due);
      lastSend = now;
      let sent: Promise<boolean>;
      try {
        sent = options.send(n).catch(() => false);
      } catch {
        sent = Promise.resolve(false);
      }
      answers.push(
        sent.then((ok) => {
          lastAnswer = clock.now();
          latencies.push(lastAnswer - due);
          if (!ok) errors++;
        }),
      );
    }
    if (i < options.count) await clock.sleep(Math.max(0, start + i * interval - clock.now()));
  }
  await Promise.all(answers);
  latencies.sort((a, b) => a - b);
  return { latencies, errors, sendingMs: lastSend - start, answeringMs: lastAnswer - start, maxSendLagMs };
}
