// Is a payout believable for the claim it is credited to? Pure. A payout in another currency than
// the claim, or more than the claim asked for beyond a tolerance, or more than any single payout
// should be, is not charged: phase 7 parks it (payout_mismatch) for an operator to look at. A
// reversal must take back a payout of its own claim (payout_conflict) and no more than is left of it.
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

/** The payout a reversal names, as phase 7 settled it (its fee_charges row). */
export interface SettledPayout {
  readonly userId: string;
  readonly claimId: string;
  readonly caseId: string;
  /** 'charge' for a reimbursement; a reversal's own row ('refund') is not a payout to reverse. */
  readonly kind: 'charge' | 'refund';
  readonly reimbursedMinor: number;
  readonly currency: string;
}

/**
 * Why a reversal cannot take back `original`, or undefined when it may: it must be a reimbursement
 * of the reversal's own seller, claim and case, in its currency. The fee a reversal gives back is
 * that payout's, charged on that claim: on another claim it would refund one claim's fee as
 * another's (payout_conflict).
 */
export function reversalConflict(
  amount: Money,
  on: { readonly userId: string; readonly claimId: string; readonly caseId: string },
  original: SettledPayout,
): string | undefined {
  if (original.kind !== 'charge') return 'it names a reversal, not a reimbursement';
  if (original.userId !== on.userId) return 'that payout is another seller\'s';
  if (original.claimId !== on.claimId) return `that payout was credited to claim ${original.claimId}, not ${on.claimId}`;
  if (original.caseId !== on.caseId) return `that payout was on case ${original.caseId}, not ${on.caseId}`;
  if (original.currency !== amount.currency) return `that payout is in ${original.currency}, not ${amount.currency}`;
  return undefined;
}

/**
 * Why a reversal takes back more than is left of `original`, or undefined when it does not.
 * `reversedBefore` is what the payout's other reversals already took back (a positive amount).
 * Phase 7 parks it (payout_mismatch), as it does a reimbursement above its claim.
 */
export function reversalOverreach(amount: Money, original: Pick<SettledPayout, 'reimbursedMinor'>, reversedBefore: bigint): string | undefined {
  const left = BigInt(original.reimbursedMinor) - reversedBefore;
  const taken = -BigInt(amount.minor);
  if (taken <= left) return undefined;
  return `it takes back ${taken} minor units of a payout of ${original.reimbursedMinor}, of which ${left} are left after its earlier reversals`;
}
