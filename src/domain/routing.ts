/** Phase 4's decision for one claim, from its confidence score. */
export type RoutingDecision = 'auto_submit' | 'smart_prompt' | 'hold';

export interface RoutingThresholds {
  /** At or above: filed automatically (seed: 0.85). */
  readonly autoSubmit: number;
  /** At or above (and below autoSubmit): the seller is asked (seed: 0.50). */
  readonly smartPrompt: number;
}

export const DEFAULT_THRESHOLDS: RoutingThresholds = Object.freeze({ autoSubmit: 0.85, smartPrompt: 0.5 });

export function validateThresholds(t: RoutingThresholds): string | undefined {
  const inUnit = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;
  if (!inUnit(t.autoSubmit) || !inUnit(t.smartPrompt)) return 'thresholds must lie between 0 and 1';
  if (t.smartPrompt > t.autoSubmit) return 'the smart-prompt threshold must not exceed the auto-submit threshold';
  return undefined;
}

export function route(confidence: number, t: RoutingThresholds = DEFAULT_THRESHOLDS): RoutingDecision {
  if (!Number.isFinite(confidence) || confidence < 0 || confidence > 1) {
    throw new RangeError(`confidence must lie between 0 and 1, got ${confidence}`);
  }
  if (confidence >= t.autoSubmit) return 'auto_submit';
  if (confidence >= t.smartPrompt) return 'smart_prompt';
  return 'hold';
}
