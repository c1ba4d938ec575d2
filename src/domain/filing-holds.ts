// Claims Clario must not file as they are, and why, in words shown to the person who files. Each
// rule is pure: the routing and the filer ask it, and write its answer as `details.hold`.
//   - needs_measurements: a fee dispute without the seller's own dimensions, weight and photos is
//     decided on Amazon's measurement, and a run of such claims that research proves wrong gets
//     further claims refused. The claim waits `prompted` until the seller measures the SKU.
//   - low_approval: Amazon rejected most of a claim type's recent claims; filing more of them
//     floods Amazon with claims it rejects. Ready claims of that type wait `held` until the rate
//     recovers or a person releases one to test the rate again.

export type HoldCode = 'needs_measurements' | 'low_approval';
export const HOLD_CODES: readonly HoldCode[] = ['needs_measurements', 'low_approval'];

/** What `details.hold` holds. */
export interface Hold {
  readonly code: HoldCode;
  readonly reason: string;
}

/** Claim types that Amazon decides against its own measurement unless the seller sends theirs. */
const MEASURED_TYPES: ReadonlySet<string> = new Set(['fee_overcharge']);

export const needsSellerMeasurements = (claimType: string): boolean => MEASURED_TYPES.has(claimType);

/** The hold of a claim that needs the seller's measurement of its SKU and has none yet. */
export function measurementHold(claim: { readonly type: string; readonly sku: string | null }, measured: boolean): Hold | null {
  if (!needsSellerMeasurements(claim.type) || measured) return null;
  const sku = claim.sku ?? 'this SKU';
  return {
    code: 'needs_measurements',
    reason:
      `Amazon decides a fee dispute on its own measurement unless you send yours: measure ${sku} ` +
      '(length, width, height and weight) and upload photos of it on the scale and beside a ruler. ' +
      'Clario files the fee claim once you have.',
  };
}

/** FILING_MIN_APPROVAL and its window. */
export interface ApprovalPolicy {
  /** 0..1; 0 turns the rule off. */
  readonly minApproval: number;
  readonly windowDays: number;
  /** Decisions in the window before the rate counts: one early rejection must not stop a type. */
  readonly minDecisions: number;
}

export interface RecentDecisions {
  readonly approved: number;
  readonly rejected: number;
}

const percent = (x: number) => `${Math.floor(x * 100)}%`;

/** The hold for a claim type whose recent approval rate is below the policy's minimum; null otherwise. */
export function lowApprovalHold(claimType: string, recent: RecentDecisions, policy: ApprovalPolicy): Hold | null {
  const n = recent.approved + recent.rejected;
  if (policy.minApproval <= 0 || n === 0 || n < policy.minDecisions) return null;
  // approved / n < min, in integers (basis points): no float rounding decides it at the boundary.
  if (recent.approved * 10_000 >= Math.round(policy.minApproval * 10_000) * n) return null;
  return {
    code: 'low_approval',
    reason:
      `Amazon approved ${recent.approved} of ${n} ${claimType} claims in the last ${policy.windowDays} days (${percent(recent.approved / n)}); ` +
      `Clario holds new ones below ${percent(policy.minApproval)} so as not to file claims Amazon keeps rejecting. ` +
      'Release this claim to file it anyway and test the rate again.',
  };
}

/** A hold as stored (`details.hold`), or undefined when the value is not one. */
export function holdOf(details: Record<string, unknown> | null | undefined): Hold | undefined {
  const h = details?.hold;
  if (!h || typeof h !== 'object') return undefined;
  const { code, reason } = h as Record<string, unknown>;
  return typeof code === 'string' && (HOLD_CODES as readonly string[]).includes(code) && typeof reason === 'string' ? { code: code as HoldCode, reason } : undefined;
}

/** Whether a person released the claim from holds of this code (`details.hold_released`): it is not held for it again. */
export function wasReleased(details: Record<string, unknown> | null | undefined, code: HoldCode): boolean {
  const released = details?.hold_released;
  return Array.isArray(released) && released.some((r) => r && typeof r === 'object' && (r as Record<string, unknown>).code === code);
}
