// A run's time on the status page is when it began, and stays so as it completes (it had jumped
// from phase 1's start to its end, when the sync_runs row is written).
import { describe, expect, it } from 'vitest';
import { runBegan } from '../../src/http/routes/status.js';

describe("a run's time", () => {
  const started = new Date('2026-12-07T19:45:31.714Z');
  const progressed = new Date('2026-12-07T19:45:50.000Z');
  const completed = new Date('2026-12-07T19:46:02.798Z');

  it("is phase 1's start once the run's row exists", () => {
    expect(runBegan([started, completed, completed, progressed])).toEqual(started);
  });

  it('is its earliest progress before phase 1 has started, and nothing when nothing is known', () => {
    expect(runBegan([null, undefined, progressed, completed])).toEqual(progressed);
    expect(runBegan([undefined, undefined])).toBeUndefined();
  });
});
