// Is a payout believable for the claim it is credited to? Pure. A payout in another currency than
// the claim, or more than the claim asked for beyond a tolerance, or more than any single payout
// should be, is not charged: phase 7 parks it (payout_mismatch) for an operator to look at.
// Sums are BigInt: what a claim was paid so far is read from the database as text and may be
// anything a bad line put there, so it never passes through a float.
import type { Money } from './money.js';

export interface PayoutLimits {
  /** How far the claim's payouts may exceed what it asked for, in percent. */
  readonly tolerancePercent: number;
  /** No single payout above this many minor units is believed. */
  readonly maxMinor: number;
}

/** PAYOUT_TOLERANCE_PERCENT and PAYOUT_MAX_MINOR unless configured (src/config/config.ts says why). */
export const DEFAULT_PAYOUT_LIMITS: PayoutLimits = Object.freeze({ tolerancePercent: 25, maxMinor: 100_000_000 });

export interface ClaimAsked {
  readonly amountMinor: number | null;
  readonly currency: string | null;
}

/** The most a claim may be paid in all: what it asked for plus the tolerance, rounded up. */
export function allowedTotal(askedMinor: number, tolerancePercent: number): bigint {
  const scaled = BigInt(askedMinor) * BigInt(100 + tolerancePercent);
  return (scaled + 99n) / 100n;
}

/**
 * Why this payout cannot be charged as it is, or undefined when it can. `paidBefore` is what the
 * claim's other payouts (net of reversals) already came to, in the payout's currency.
 */
export function payoutProblem(amount: Money, claim: ClaimAsked, paidBefore: bigint, limits: PayoutLimits): string | undefined {
  if (claim.currency !== null && claim.currency !== amount.currency) {
    return `the payout is in ${amount.currency} but the claim is in ${claim.currency}`;
  }
  if (amount.minor > limits.maxMinor) {
    return `the payout of ${amount.minor} minor units is above the largest believed (${limits.maxMinor})`;
  }
  if (claim.amountMinor !== null && amount.minor > 0) {
    const total = paidBefore + BigInt(amount.minor);
    const allowed = allowedTotal(claim.amountMinor, limits.tolerancePercent);
    if (total > allowed) {
      return `the claim asked for ${claim.amountMinor} minor units and would be paid ${total} in all (at most ${allowed} with the ${limits.tolerancePercent}% tolerance)`;
    }
  }
  return undefined;
}
