/**
 * Windows, grace periods and tolerances of each claim type. The defaults are DETECTION.md's
 * version 2 (Amazon's US policy as changed in 2024–2025); Amazon changes them, so they are configuration.
 * All periods are whole days; tolerances are basis points (100 = 1%) so comparisons stay integer.
 */
export interface DetectionConfig {
  readonly lostWarehouse: {
    /** Only losses in the last `lookbackDays` days are looked at. */
    readonly lookbackDays: number;
    /** Each loss must be claimed within this many days of its own date. */
    readonly deadlineDays: number;
    /** Amazon pays most losses by itself: a loss is pending this many days, until its payment would show. */
    readonly graceDays: number;
  };
  readonly damagedWarehouse: { readonly lookbackDays: number; readonly deadlineDays: number };
  readonly inboundShortage: { readonly deadlineDays: number; readonly graceDays: number };
  readonly refundNotReturned: { readonly deadlineDays: number; readonly graceDays: number };
  /** Amazon's customer-return window, counted from the refund: fileable from `graceDays`, until `deadlineDays`. */
  readonly returnDamaged: { readonly deadlineDays: number; readonly graceDays: number };
  /** The same customer-return window, counted from the replacement's shipment. */
  readonly replacementNotReturned: { readonly deadlineDays: number; readonly graceDays: number };
  readonly removalShortfall: { readonly deadlineDays: number };
  /** Counted from the removal shipment's date: fileable from `graceDays`, until `deadlineDays`. */
  readonly removalLostInTransit: { readonly deadlineDays: number; readonly graceDays: number };
  readonly feeOvercharge: {
    readonly lookbackDays: number;
    readonly deadlineDays: number;
    readonly toleranceBasisPoints: number;
  };
  readonly underpaidReimbursement: { readonly deadlineDays: number; readonly toleranceBasisPoints: number };
  readonly reimbursementReversal: { readonly deadlineDays: number };
}

export const DEFAULT_DETECTION_CONFIG: DetectionConfig = deepFreeze({
  lostWarehouse: { lookbackDays: 60, deadlineDays: 60, graceDays: 14 },
  damagedWarehouse: { lookbackDays: 60, deadlineDays: 60 },
  inboundShortage: { deadlineDays: 60, graceDays: 15 },
  refundNotReturned: { deadlineDays: 120, graceDays: 60 },
  returnDamaged: { deadlineDays: 120, graceDays: 60 },
  replacementNotReturned: { deadlineDays: 120, graceDays: 60 },
  removalShortfall: { deadlineDays: 60 },
  removalLostInTransit: { deadlineDays: 75, graceDays: 15 },
  feeOvercharge: { lookbackDays: 90, deadlineDays: 90, toleranceBasisPoints: 100 },
  underpaidReimbursement: { deadlineDays: 60, toleranceBasisPoints: 100 },
  reimbursementReversal: { deadlineDays: 60 },
});

export type DetectionConfigOverrides = {
  readonly [K in keyof DetectionConfig]?: Partial<DetectionConfig[K]>;
};

/** The defaults with some values replaced; refuses values that are not whole, non-negative numbers. */
export function resolveDetectionConfig(overrides: DetectionConfigOverrides = {}): DetectionConfig {
  const merged: Record<string, Record<string, number>> = {};
  for (const [section, defaults] of Object.entries(DEFAULT_DETECTION_CONFIG) as [string, Record<string, number>][]) {
    const given = (overrides as Record<string, Record<string, unknown> | undefined>)[section] ?? {};
    const out: Record<string, number> = { ...defaults };
    for (const [name, value] of Object.entries(given)) {
      if (!(name in defaults)) throw new RangeError(`unknown detection setting ${section}.${name}`);
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new RangeError(`detection setting ${section}.${name} must be a whole number >= 0, got ${JSON.stringify(value)}`);
      }
      out[name] = value;
    }
    merged[section] = out;
  }
  for (const section of Object.keys(overrides)) {
    if (!(section in DEFAULT_DETECTION_CONFIG)) throw new RangeError(`unknown detection section ${section}`);
  }
  return deepFreeze(merged as unknown as DetectionConfig);
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (typeof inner === 'object' && inner !== null) Object.freeze(inner);
  return Object.freeze(value);
}
