// What the claim page says about a claim beyond its raw fields. Pure.
import { count, formatDate, formatMoney, type Amount } from './format.js';

// Claims that can still be improved before filing: for anything else (filed, paid, rejected,
// expired, dismissed) "would help: confirm" is advice that no longer means anything.
const IMPROVABLE = new Set(['detected', 'prompted', 'held', 'ready']);

/** What the score says would still help, shown only while it can. */
export function wouldHelp(status: string, missing: readonly unknown[] | null | undefined): string[] {
  if (!IMPROVABLE.has(status)) return [];
  return (missing ?? []).map(String);
}

/** The kinds of document the upload endpoint takes (POST /api/v1/evidence `kind`). */
export type DocumentKind = 'invoice' | 'proof_of_delivery';

const DOCUMENTS: Record<string, { kind: DocumentKind; label: string; noun: string }> = {
  upload_invoice: { kind: 'invoice', label: 'Upload the supplier invoice', noun: 'invoice' },
  upload_proof_of_delivery: { kind: 'proof_of_delivery', label: 'Upload the proof of delivery', noun: 'proof of delivery' },
};

/**
 * The documents a held claim waits for the seller to upload (its score's `missing`), one per kind
 * in the order asked: the claim page offers an upload for each. A claim in any other status has
 * none here: a prompted claim is answered on its smart prompt card, and past filing it is too late.
 */
export function documentsWanted(status: string, missing: readonly unknown[] | null | undefined): Array<{ kind: DocumentKind; label: string; noun: string }> {
  if (status !== 'held') return [];
  const out: Array<{ kind: DocumentKind; label: string; noun: string }> = [];
  for (const m of missing ?? []) {
    const d = DOCUMENTS[String(m)];
    if (d && !out.some((x) => x.kind === d.kind)) out.push(d);
  }
  return out;
}

/** A file as POST /api/v1/evidence answers it (the fields the claim page reads). */
export interface UploadedFile {
  readonly filename: string;
  readonly status: string;
  readonly matched_claims: readonly string[];
}

/** What the claim page says after an upload: which files now count for this claim, and why the others do not. */
export function uploadOutcome(claimId: string, files: readonly UploadedFile[]): string {
  const names = (fs: readonly UploadedFile[]) => fs.map((f) => f.filename).join(', ');
  const used = files.filter((f) => f.matched_claims.includes(claimId));
  const unreadable = files.filter((f) => !used.includes(f) && f.status === 'unreadable');
  const unmatched = files.filter((f) => !used.includes(f) && f.status !== 'unreadable');
  const said: string[] = [];
  if (used.length) said.push(`Added ${names(used)} to this claim's evidence; Clario has scored the claim again.`);
  if (unreadable.length) said.push(`${names(unreadable)}: Clario could not read any line items, so ${unreadable.length === 1 ? 'it does' : 'they do'} not count for this claim (it is kept with your evidence).`);
  if (unmatched.length) said.push(`${names(unmatched)}: stored, but nothing in ${unmatched.length === 1 ? 'it' : 'them'} matches this claim (its SKU, or a proof of delivery's shipment), so ${unmatched.length === 1 ? 'it does' : 'they do'} not count for this claim.`);
  return said.join(' ');
}

/** Amazon's reimbursement id within Clario's payout id (`<reimbursement id>:<line key>`): the line key is Clario's own. */
export { reimbursementIdOf as amazonReimbursementId } from '../../../src/payouts/reimbursement-line.js';

/** A payout as GET /api/v1/claims/:id lists it (the fields the claim page reads). */
export interface PaidLine {
  readonly reimbursement_id: string;
  readonly kind: string;
  readonly amount: Amount;
  readonly quantity?: number | null;
  readonly approval_date: string | null;
}

/**
 * One payout in a sentence: "Reimbursement 9000000020: $23.16 for 2 units, approved Jan 5, 2026".
 * What Amazon's report left out (the units, the approval date) is left out, never shown as "—".
 */
export function paidLine(r: PaidLine): string {
  const what = r.kind === 'reversal' ? 'Reversal' : 'Reimbursement';
  const units = r.quantity !== null && r.quantity !== undefined ? ` for ${count(Math.abs(r.quantity), 'unit')}` : '';
  // A day, not a moment: the report gives the approval date.
  const approved = r.approval_date ? `, approved ${formatDate(r.approval_date.slice(0, 10))}` : '';
  return `${what} ${r.reimbursement_id}: ${formatMoney(r.amount)}${units}${approved}`;
}

/**
 * A paid claim Amazon paid less than it asked: what was paid of what was claimed, and how much
 * less (payouts net of reversals, in the claim's currency). Null when it was paid in full, or the
 * amounts cannot be compared (no value, another currency).
 */
export function paidShort(status: string, claimed: Amount | null, paid: readonly PaidLine[]): string | null {
  if (status !== 'paid' || !claimed || claimed.minor <= 0 || paid.length === 0) return null;
  if (paid.some((p) => p.amount.currency !== claimed.currency)) return null;
  const total = paid.reduce((sum, p) => sum + p.amount.minor, 0);
  if (total >= claimed.minor) return null;
  const money = (minor: number) => formatMoney({ minor, currency: claimed.currency });
  return `Amazon paid ${money(total)} of the ${money(claimed.minor)} claimed: ${money(claimed.minor - total)} less.`;
}
