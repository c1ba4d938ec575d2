import { describe, expect, it } from 'vitest';
import { openLoop, type Clock } from '../../bench/open-loop.js';

/**
 * Virtual time: sleeping moves it forward (once what is already settled has run), nothing else does;
 * `wakesLateBy` moves it that much further on each wake, as a busy machine would.
 */
function virtualClock(wakesLateBy = 0): Clock & { t: number } {
  const c = {
    t: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      await new Promise((r) => setImmediate(r));
      c.t += ms + wakesLateBy;
    },
  };
  return c;
}

describe('openLoop', () => {
  it('sends on schedule without waiting for answers, and times each from when it was due', async () => {
    const clock = virtualClock();
    const sentAt: number[] = [];
    const answers: Array<() => void> = [];
    const run = openLoop({
      rate: 100,
      count: 5,
      clock,
      send: (i) => {
        sentAt[i] = clock.now();
        return new Promise<boolean>((resolve) => answers.push(() => resolve(true)));
      },
    });
    // Answers come only after the last request is sent: a closed loop would have sent one.
    await expect.poll(() => answers.length).toBe(5);
    expect(sentAt).toEqual([0, 10, 20, 30, 40]);
    clock.t = 100;
    for (const answer of answers) answer();
    const r = await run;
    expect(r.latencies).toEqual([60, 70, 80, 90, 100]);
    expect(r).toMatchObject({ errors: 0, sendingMs: 40, answeringMs: 100, maxSendLagMs: 0 });
  });

  it('counts refusals and failed sends as errors, and sends late ones at once when it wakes late', async () => {
    const r = await openLoop({
      rate: 100,
      count: 4,
      clock: virtualClock(25),
      send: (i) => (i === 1 ? Promise.resolve(false) : i === 2 ? Promise.reject(new Error('reset')) : Promise.resolve(true)),
    });
    expect(r.errors).toBe(2);
    // Woken 25 ms late after the first: requests 1–3 (due at 10, 20, 30) all leave at 35.
    expect(r.maxSendLagMs).toBe(25);
    expect(r.latencies).toEqual([0, 5, 15, 25]);
  });
});
