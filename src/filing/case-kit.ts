// The case kit: everything a person needs to file one case by hand in Seller Central. Where (the
// place, the steps, the link), what the form asks for (copyable fields), the case text, and the
// one download with the evidence. Pure: built from the case's claims and evidence.
import { claimFacts } from './claim-facts.js';
import { evidenceEntryNames } from './evidence-names.js';
import { filingPlace } from './filing-places.js';
import { kitFields, type KitField } from './kit-fields.js';
import { writeCase, type CaseClaim, type CaseEvidence } from './write-case.js';

export interface CaseKit {
  readonly claim_type: string;
  readonly where: { place: string; steps: string[]; url: string };
  readonly fields: KitField[];
  readonly text: string;
  readonly evidence_url: string;
  readonly evidence_files: Array<{ name: string; kind: string }>;
}

export const evidenceZipUrl = (filingId: string) => `/api/v1/filings/${encodeURIComponent(filingId)}/evidence.zip`;

/**
 * The kit of a case. The text is written afresh from the claims and their evidence as they are now
 * (the same words the filer wrote, with any document added since), so a case prepared by an older
 * version reads in Amazon's terms too.
 */
export function caseKit(filingId: string, claims: readonly CaseClaim[], evidence: readonly CaseEvidence[], downloadUrl: (fileId: string) => string): CaseKit {
  const first = claims[0];
  if (!first) throw new RangeError('a case needs at least one claim');
  const written = writeCase(claims, evidence, downloadUrl);
  const where = filingPlace(first.type, first.currency);
  // The names the files have in the zip, in the order the case text lists them.
  const names = evidenceEntryNames(written.attachments.map((a) => ({ fileId: String(a.file_id), filename: String(a.filename) })));
  return {
    claim_type: first.type,
    where: { place: where.place, steps: [...where.steps], url: where.url },
    fields: kitFields(first.type, claims.map((c) => ({ id: c.id, facts: claimFacts(c) }))),
    text: written.body,
    evidence_url: evidenceZipUrl(filingId),
    evidence_files: written.attachments.map((a) => ({ name: names.get(String(a.file_id)) ?? String(a.filename), kind: String(a.kind) })),
  };
}
