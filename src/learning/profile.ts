// Which evidence profile a claim was scored with: the learning model keeps its rates per profile.
import { EVIDENCE_PROFILES, type EvidenceProfile } from '../domain/scoring.js';

/** The profile from the claim's stored score; 'none' when it was never scored (or holds junk). */
export function profileOf(score: Record<string, unknown> | null | undefined): EvidenceProfile {
  const p = score?.profile;
  return typeof p === 'string' && (EVIDENCE_PROFILES as readonly string[]).includes(p) ? (p as EvidenceProfile) : 'none';
}

/** The evidence-only part of a stored score, when it is one. */
export function evidenceOf(score: Record<string, unknown> | null | undefined): number | undefined {
  const e = score?.evidence;
  return typeof e === 'number' && Number.isFinite(e) && e >= 0 && e <= 1 ? e : undefined;
}
