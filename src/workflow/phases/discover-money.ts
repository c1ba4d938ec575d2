// Phase 2, autonomous money discovery: run detection over the synced reports, and hand the sync's
// reimbursement lines to the payouts loop, which credits those on Clario's cases.
import type { Capabilities } from '../capabilities.js';
import type { PhaseHandler } from '../types.js';
import { capabilityContext, requireSyncRun } from './context.js';

export function discoverMoney(caps: Capabilities): PhaseHandler {
  return {
    phase: 2,
    async run(ctx) {
      const run = await requireSyncRun(ctx);
      const found = await caps.detection.detect(capabilityContext(ctx), run);
      return { data: found.data, apply: found.apply, next: [{ phase: 3, syncId: run.syncId }], handOff: 'payouts' };
    },
  };
}
