import { describe, expect, it } from 'vitest';
import { pollingLoop } from '../../src/workflow/polling.js';
import { waitFor } from '../support/wait.js';

describe('a polling loop', () => {
  it('runs a round when nudged, and one more after a round in flight, never two at once', async () => {
    let rounds = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    let release: (() => void) | undefined;
    const loop = pollingLoop(
      async () => {
        rounds++;
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        if (rounds === 1) await new Promise<void>((r) => (release = r));
        concurrent--;
      },
      { intervalMs: 3_600_000, onError: () => undefined },
    );
    loop.nudge(); // not started: nothing
    expect(rounds).toBe(0);
    loop.start();
    loop.nudge();
    await waitFor(() => release !== undefined, 'first round');
    loop.nudge();
    loop.nudge();
    expect(rounds).toBe(1);
    release?.();
    await waitFor(() => rounds === 2 && concurrent === 0, 'the follow-up round');
    await loop.stop();
    loop.nudge();
    expect(rounds).toBe(2);
    expect(maxConcurrent).toBe(1);
  });

  it('aborts its signal on stop, so a round waiting on a call ends; that is not reported as an error', async () => {
    const errors: unknown[] = [];
    let entered!: () => void;
    const waiting = new Promise<void>((r) => (entered = r));
    const loop = pollingLoop(
      () =>
        new Promise((_, reject) => {
          entered();
          // A call that never answers, but honours the loop's signal.
          loop.signal.addEventListener('abort', () => reject(loop.signal.reason as Error));
        }),
      { intervalMs: 3_600_000, onError: (err) => errors.push(err) },
    );
    loop.start();
    loop.nudge();
    await waiting;
    expect(loop.signal.aborted).toBe(false);
    await loop.stop();
    expect(loop.signal.aborted).toBe(true);
    expect(errors).toEqual([]);
  });

  it('still reports a round that failed for another reason while stopping', async () => {
    const errors: unknown[] = [];
    let entered!: () => void;
    const waiting = new Promise<void>((r) => (entered = r));
    const boom = new Error('the database went away');
    const loop = pollingLoop(
      () =>
        new Promise((_, reject) => {
          entered();
          loop.signal.addEventListener('abort', () => reject(boom));
        }),
      { intervalMs: 3_600_000, onError: (err) => errors.push(err) },
    );
    loop.start();
    loop.nudge();
    await waiting;
    await loop.stop();
    expect(errors).toEqual([boom]);
  });
});
