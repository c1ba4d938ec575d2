// Phase 4's decision for one claim, whole: the confidence band, then what overrules it. The
// counts the phase reports are the same function's answers, so a fee claim prompted for its
// measurement is never counted as ready.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLAIM_STATUSES } from '../../src/domain/claim-status.js';
import { countRoutes, planRoute, type RouteFacts } from '../../src/domain/route-claim.js';

const thresholds = { autoSubmit: 0.85, smartPrompt: 0.5 };
const fee = (o: Partial<RouteFacts> = {}): RouteFacts => ({ status: 'detected', confidence: 0.9, type: 'fee_overcharge', sku: 'SKU-F', awaitingAmazon: false, hold: null, measured: false, ...o });

describe('where phase 4 sends a claim', () => {
  it('prompts a confident fee claim for the measurement of its SKU, and files it once measured', () => {
    expect(planRoute(fee(), thresholds)).toMatchObject({ decision: 'smart_prompt', to: 'prompted', confident: true, hold: { code: 'needs_measurements' } });
    expect(planRoute(fee({ measured: true }), thresholds)).toEqual({ decision: 'auto_submit', to: 'ready', confident: true, hold: null });
    // Below the prompt band it is held for its evidence; the measurement is not what it waits for.
    expect(planRoute(fee({ confidence: 0.2 }), thresholds)).toEqual({ decision: 'hold', to: 'held', confident: false, hold: null });
    expect(planRoute(fee({ type: 'lost_warehouse' }), thresholds)).toEqual({ decision: 'auto_submit', to: 'ready', confident: true, hold: null });
  });

  it('leaves a claim inside Amazon’s grace period, and one held for its type’s approval rate, where they are', () => {
    expect(planRoute(fee({ awaitingAmazon: true }), thresholds)).toBeNull();
    expect(planRoute(fee({ status: 'held', hold: 'low_approval' }), thresholds)).toBeNull();
    expect(planRoute(fee({ awaitingAmazon: true, status: 'prompted' }), thresholds)).not.toBeNull();
  });

  it('counts what the moves do: ready only for claims that go to ready, whatever the claims', () => {
    const facts = fc.record({
      status: fc.constantFrom(...CLAIM_STATUSES),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      type: fc.constantFrom('fee_overcharge', 'lost_warehouse'),
      sku: fc.option(fc.constant('SKU'), { nil: null }),
      awaitingAmazon: fc.boolean(),
      hold: fc.constantFrom(null, 'low_approval', 'needs_measurements'),
      measured: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(facts, { maxLength: 20 }), (all) => {
        const plans = all.map((f) => planRoute(f, thresholds));
        const counts = countRoutes(plans);
        expect(counts.claims).toBe(all.length);
        expect(counts.ready + counts.prompted + counts.held + counts.unchanged).toBe(all.length);
        // Never ready without the measurement.
        const readyFees = all.filter((f, i) => plans[i]?.to === 'ready' && f.type === 'fee_overcharge');
        expect(readyFees.every((f) => f.measured)).toBe(true);
        expect(counts.awaiting_measurements).toBe(all.filter((f, i) => plans[i]?.to === 'prompted' && f.type === 'fee_overcharge' && !f.measured).length);
      }),
    );
  });
});
