// The confidence of a claim: evidence first, then what Amazon's past answers taught us. Pure; the
// evidence capability computes the evidence part, the learning capability the approval estimate.

/** What evidence a claim has; the learning model keeps approval rates per claim type and profile. */
export type EvidenceProfile = 'invoice_and_pod' | 'invoice' | 'pod' | 'none';

export const EVIDENCE_PROFILES: readonly EvidenceProfile[] = ['invoice_and_pod', 'invoice', 'pod', 'none'];

/** A Beta posterior over the approval probability of a claim type with an evidence profile. */
export interface ApprovalEstimate {
  readonly approved: number;
  readonly rejected: number;
  /** Posterior mean. */
  readonly mean: number;
  /** Posterior standard deviation: the uncertainty shown to operators. */
  readonly sd: number;
}

export interface LearnedRates {
  estimate(claimType: string, profile: EvidenceProfile): Promise<ApprovalEstimate | undefined>;
}

/** Beta(1, 1) prior: no opinion before the first answer. */
export const PRIOR = Object.freeze({ alpha: 1, beta: 1 });

export function betaEstimate(approved: number, rejected: number, prior = PRIOR): ApprovalEstimate {
  if (!Number.isInteger(approved) || !Number.isInteger(rejected) || approved < 0 || rejected < 0) {
    throw new RangeError(`counts must be non-negative integers, got ${approved}/${rejected}`);
  }
  const a = prior.alpha + approved;
  const b = prior.beta + rejected;
  const mean = a / (a + b);
  const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
  return { approved, rejected, mean, sd };
}

/**
 * Observations at which the learned rate weighs as much as the evidence. The learned part never
 * weighs more than MAX_LEARNED_WEIGHT: a claim type's history must not override this claim's proof.
 */
export const HALF_WEIGHT_AT = 10;
export const MAX_LEARNED_WEIGHT = 0.5;

export function learnedWeight(estimate: ApprovalEstimate | undefined): number {
  if (!estimate) return 0;
  const n = estimate.approved + estimate.rejected;
  return Math.min(MAX_LEARNED_WEIGHT, n / (n + HALF_WEIGHT_AT));
}

/** The final confidence: the evidence score blended with the learned approval rate. */
export function blendConfidence(evidenceScore: number, estimate: ApprovalEstimate | undefined): number {
  if (!Number.isFinite(evidenceScore) || evidenceScore < 0 || evidenceScore > 1) {
    throw new RangeError(`an evidence score lies between 0 and 1, got ${evidenceScore}`);
  }
  const w = learnedWeight(estimate);
  const blended = estimate ? (1 - w) * evidenceScore + w * estimate.mean : evidenceScore;
  // Rounded so stored scores and replays compare exactly.
  return Math.round(blended * 10_000) / 10_000;
}

/** What `claims.score` holds: the inputs and reasons beside the number. */
export interface ClaimScore {
  readonly version: 1;
  /** Evidence-only score, before learning. */
  readonly evidence: number;
  readonly profile: EvidenceProfile;
  readonly learned: ApprovalEstimate | null;
  readonly confidence: number;
  /** Plain sentences, e.g. "invoice INV-88 covers 40 units of SKU-1 at 12.40 USD, dated before the loss". */
  readonly reasons: readonly string[];
  /** What would raise the score (drives smart prompts): e.g. 'upload_invoice', 'upload_proof_of_delivery', 'confirm'. */
  readonly missing: readonly string[];
  readonly scoredAt: string;
}
