// A phase completion as the runner writes it: no result, the given next phases, and the worker
// continuing with the lane's next event.
import type { Completion } from '../../src/workflow/inbox.js';
import type { TriggerInput } from '../../src/workflow/types.js';

export const completion = (event: { lane: string; phase: number }, next: TriggerInput[]): Completion => ({
  result: null,
  durationMs: 1,
  next,
  maxAttempts: 3,
  continueWith: { lane: event.lane, phase: event.phase, leaseMs: 30_000 },
});
