// Phase 1, zero-friction onboarding: the seller connected; record the sync run and start the sync.
import { insertSyncRun } from '../../store/sync-runs.js';
import type { Capabilities } from '../capabilities.js';
import type { PhaseHandler } from '../types.js';
import { capabilityContext } from './context.js';

export function onboardSeller(caps: Capabilities): PhaseHandler {
  return {
    phase: 1,
    async run(ctx) {
      const { userId, sellerId, syncId } = ctx.event;
      if (!syncId) throw new Error('phase 1 events always carry a sync id (assigned on intake)');
      const run = { userId, sellerId, syncId };
      const started = await caps.sync.start(capabilityContext(ctx), run);
      return {
        data: { ...started.data, sync_completed: started.completed },
        apply: async (tx) => {
          await insertSyncRun(tx, { id: syncId, userId, sellerId });
          await started.apply?.(tx);
        },
        // A sync that runs in the background triggers phase 2 itself when it is done.
        next: started.completed ? [{ phase: 2, syncId }] : [],
      };
    },
  };
}
