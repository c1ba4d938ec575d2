// Phase 3, intelligent evidence ecosystem: match evidence to every detected claim.
import type { Capabilities } from '../capabilities.js';
import type { PhaseHandler } from '../types.js';
import { capabilityContext, requireSyncRun } from './context.js';

export function matchEvidence(caps: Capabilities): PhaseHandler {
  return {
    phase: 3,
    async run(ctx) {
      const run = await requireSyncRun(ctx);
      const matched = await caps.evidence.match(capabilityContext(ctx), run);
      return {
        data: matched.data,
        apply: matched.apply,
        next: [{ phase: 4, syncId: run.syncId, payload: matched.matches ? { matches: matched.matches } : {} }],
      };
    },
  };
}
