// Test capabilities: each phase does a small real thing (creates claims, records effects) so that
// engine tests see business state move, without the real capabilities.
import { randomUUID } from 'node:crypto';
import { claims } from '../../src/store/schema/claims-tables.js';
import { unavailableCapabilities, type Capabilities } from '../../src/workflow/capabilities.js';

export interface TestCapabilityOptions {
  /** Claims phase 2 creates per sync run. */
  readonly claimsPerRun?: number;
  readonly onPhase?: (phase: number, eventId: string) => Promise<void> | void;
}

export function testCapabilities(options: TestCapabilityOptions = {}): Capabilities {
  const n = options.claimsPerRun ?? 2;
  const hook = async (phase: number, eventId: string) => {
    await options.onPhase?.(phase, eventId);
  };
  return {
    ...unavailableCapabilities(),
    sync: {
      async start(ctx, run) {
        await hook(1, ctx.event.id);
        await ctx.reportProgress({ reports_requested: 1, reports_downloaded: 1 });
        return { completed: true, data: { seller_id: run.sellerId } };
      },
    },
    detection: {
      async detect(ctx, run) {
        await hook(2, ctx.event.id);
        const rows = Array.from({ length: n }, (_, i) => ({
          id: `${run.syncId}-claim-${i}`,
          userId: run.userId,
          syncId: run.syncId,
          type: 'lost_warehouse',
          status: 'detected' as const,
          amountMinor: 1000 * (i + 1),
          currency: 'USD',
          quantity: i + 1,
          deadline: '2099-12-30',
        }));
        return {
          data: { claims_found: rows.length },
          apply: async (tx) => {
            if (rows.length > 0) await tx.insert(claims).values(rows).onConflictDoNothing();
          },
        };
      },
    },
    evidence: {
      async match(ctx) {
        await hook(3, ctx.event.id);
        return { data: { matched: n }, matches: [{ claim: 'x', confidence: 0.9 }] };
      },
    },
    routing: {
      async route(ctx, run) {
        await hook(4, ctx.event.id);
        return { data: { routed: run.matches?.length ?? 0 } };
      },
    },
    payouts: {
      async monitor(ctx, input) {
        await hook(5, ctx.event.id);
        return { data: { watching: input.caseId } };
      },
    },
    learning: {
      async learn(ctx, input) {
        await hook(6, ctx.event.id);
        return { data: { learned: input.reason } };
      },
      // Phase 7's learning and proof steps keep nothing here: tests that want them bring the real ones.
      recordApproval: () => Promise.resolve({}),
    },
    proof: { build: () => Promise.resolve({}) },
    settlement: {
      async settle(ctx, input) {
        await hook(7, ctx.event.id);
        const fee = await ctx.effects.once(`fee:${input.payoutId}`, 'charge_fee', {
          perform: () => Promise.resolve({ charge: randomUUID(), minor: Math.round(input.amount.minor / 5) }),
        });
        return { data: { fee } };
      },
    },
  };
}
