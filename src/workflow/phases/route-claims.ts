// Phase 4, predictive refund orchestration: route each claim by confidence (auto-submit, smart
// prompt, hold), then hand off to filing: the filing loop files the claims routed to auto-submit
// through the claims channel, which triggers phase 5 per claim.
import type { Capabilities } from '../capabilities.js';
import type { PhaseHandler } from '../types.js';
import { capabilityContext, requireSyncRun } from './context.js';

export function routeClaims(caps: Capabilities): PhaseHandler {
  return {
    phase: 4,
    async run(ctx) {
      const run = await requireSyncRun(ctx);
      const raw = ctx.event.payload.matches;
      const matches = Array.isArray(raw) ? (raw as unknown[]) : undefined;
      const routed = await caps.routing.route(capabilityContext(ctx), { ...run, matches });
      return { data: routed.data, apply: routed.apply, handOff: 'filing' };
    },
  };
}
