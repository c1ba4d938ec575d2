// An attempt that hangs on a promise that never settles (a provider call without a timeout) must not
// hold its event for ever: past WORKFLOW_ATTEMPT_TIMEOUT_MS the worker stops renewing the lease,
// recovery takes the event back, and the next attempt completes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { waitFor } from '../support/wait.js';

describe('an attempt that never settles', () => {
  let t: TestClario;
  let phase1Attempts = 0;
  beforeAll(async () => {
    const caps = testCapabilities();
    t = await startTestClario({
      env: { WORKFLOW_ATTEMPT_TIMEOUT_MS: '1500', WORKFLOW_LEASE_MS: '1000' },
      capabilities: {
        ...caps,
        sync: {
          start(ctx, run) {
            phase1Attempts++;
            // The first attempt hangs for good; the ones after it work.
            return phase1Attempts === 1 ? new Promise(() => undefined) : caps.sync.start(ctx, run);
          },
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is timed out, recovered and retried to completion', async () => {
    const accepted = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'hang-1', sync_id: 'hang-run-1', seller_id: 'A1' } });
    expect(accepted.status).toBe(202);
    await waitFor(async () => (await t.request(`/api/v1/workflow/events/${accepted.body.event_id}`)).body.status === 'completed', 'phase 1 completed by a later attempt', 60_000);
    expect(phase1Attempts).toBeGreaterThanOrEqual(2);
    const audit = (await t.request('/api/v1/workflow/audit?sync_id=hang-run-1&limit=100')).body.entries as Array<{ phase: number; to: string }>;
    expect(audit.filter((e) => e.phase === 1 && e.to === 'completed')).toHaveLength(1);
    // The rest of the workflow follows as usual.
    await waitFor(async () => (await t.request('/api/v1/workflow/status/hang-1')).body.runs[0]?.phases[3]?.status === 'completed', 'phases 2–4', 60_000);
  }, 120_000);
});
