import { describe, expect, it } from 'vitest';
import { hardStopAfterMs } from '../../src/cli/serve.js';
import { MAX_TIMER_MS } from '../../src/config/config.js';

describe('the hard stop after a SIGTERM', () => {
  it('comes 10 s after SHUTDOWN_TIMEOUT_MS, but never past what a Node timer keeps (a longer one fired at once: exit 1)', () => {
    expect(hardStopAfterMs(25_000)).toBe(35_000);
    expect(hardStopAfterMs(MAX_TIMER_MS)).toBe(MAX_TIMER_MS);
    expect(hardStopAfterMs(MAX_TIMER_MS - 5_000)).toBe(MAX_TIMER_MS);
  });
});
