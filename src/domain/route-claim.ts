// Phase 4's decision for one scored claim, whole: the confidence band, then what overrules it. A
// claim inside Amazon's grace period stays `detected`; one held for its type's approval rate is
// the filer's (or a person's) to release; a fee claim is never ready without the seller's
// measurement of its SKU, so a confident one is prompted for it instead. Pure: the phase's result
// counts and the routing's moves ask this one function, so the counts say what the moves do.
import type { ClaimStatus } from './claim-status.js';
import { measurementHold, type Hold } from './filing-holds.js';
import { route, type RoutingDecision, type RoutingThresholds } from './routing.js';

export const TARGET = { auto_submit: 'ready', smart_prompt: 'prompted', hold: 'held' } as const satisfies Record<RoutingDecision, ClaimStatus>;

export interface RouteFacts {
  readonly status: ClaimStatus;
  readonly confidence: number;
  readonly type: string;
  readonly sku: string | null;
  /** Detection says Amazon may still reimburse it by itself (its grace period). */
  readonly awaitingAmazon?: boolean | undefined;
  /** `details.hold.code`, if any. */
  readonly hold?: string | null | undefined;
  /** The seller has measured the claim's SKU. */
  readonly measured: boolean;
}

export interface RoutePlan {
  readonly decision: RoutingDecision;
  readonly to: (typeof TARGET)[RoutingDecision];
  /** Why a fee claim is prompted for the seller's measurement; null for any other route. */
  readonly hold: Hold | null;
  /** The confidence alone would have filed it (the prompt then asks only for the measurement). */
  readonly confident: boolean;
}

/** Where phase 4 sends a claim; null when it leaves the claim where it is. */
export function planRoute(f: RouteFacts, thresholds: RoutingThresholds): RoutePlan | null {
  // Amazon reimburses many losses by itself within its grace period; filing before it ends is a
  // case Amazon penalises and a fee Clario must not earn. The next sync's detection says when.
  if (f.awaitingAmazon && f.status === 'detected') return null;
  if (f.status === 'held' && f.hold === 'low_approval') return null;
  const { decision, hold, confident } = decide(f.confidence, f, thresholds);
  const to = TARGET[decision];
  return { decision, to, hold: to === 'prompted' ? hold : null, confident };
}

/**
 * The confidence band, overruled for a fee claim whose SKU the seller has not measured: a
 * confident one is prompted for the measurement. `clario learning replay` asks this too, so a
 * replay never says a fee claim would be filed when routing would prompt for it.
 */
export function decide(
  confidence: number,
  claim: { readonly type: string; readonly sku: string | null; readonly measured: boolean },
  thresholds: RoutingThresholds,
): { decision: RoutingDecision; hold: Hold | null; confident: boolean } {
  const band = route(confidence, thresholds);
  const hold = measurementHold(claim, claim.measured);
  const confident = band === 'auto_submit';
  return { decision: hold && confident ? 'smart_prompt' : band, hold, confident };
}

/** What phase 4 reports: how many claims it routed where, and how many it left alone. */
export interface RouteCounts {
  readonly claims: number;
  readonly ready: number;
  readonly prompted: number;
  /** Of the prompted: fee claims asked for the seller's measurement. */
  readonly awaiting_measurements: number;
  readonly held: number;
  /** Inside Amazon's grace period, or held for their type's approval rate. */
  readonly unchanged: number;
}

export function countRoutes(plans: ReadonlyArray<RoutePlan | null>): RouteCounts {
  const n = (p: (x: RoutePlan) => boolean) => plans.filter((x) => x !== null && p(x)).length;
  return {
    claims: plans.length,
    ready: n((x) => x.to === 'ready'),
    prompted: n((x) => x.to === 'prompted'),
    awaiting_measurements: n((x) => x.hold?.code === 'needs_measurements'),
    held: n((x) => x.to === 'held'),
    unchanged: plans.filter((x) => x === null).length,
  };
}
