// Amazon's rejection of a claim, in a fixed taxonomy, and what Clario does about each reason. Pure.
//
// Amazon answers a case in free text (Seller Central case replies), so the reason is read from
// that text with a pattern table. The table is ordered: the first matching rule wins, so the more
// specific readings come first ("already reimbursed" before "not eligible", "units were found"
// before "investigation"). Patterns are case-insensitive and allow the usual variants of Amazon's
// wording ("reimbursed"/"reimbursement was issued"/"credited"). The raw text is always kept beside
// the code, so a misreading can be seen and the table improved.

export const REJECTION_CODES = [
  'missing_proof_of_ownership',
  'outside_window',
  'already_reimbursed',
  'units_found',
  'insufficient_information',
  'other',
] as const;

export type RejectionCode = (typeof REJECTION_CODES)[number];

/**
 * What Clario does: `reprompt` asks the seller for exactly the missing document (then the claim is
 * filed again once answered); `closed` ends the claim (it stays `rejected`); `review` keeps it
 * rejected for a person to read, since Clario does not know what Amazon wants.
 */
export type RejectionAction = 'reprompt' | 'closed' | 'review';

/** The document a re-prompt asks for (the smart-prompt `need`s). */
export type MissingDocument = 'upload_invoice' | 'upload_proof_of_delivery';

interface Rule {
  readonly code: Exclude<RejectionCode, 'other'>;
  readonly patterns: readonly RegExp[];
}

/** The classification table, first match wins. Documented in src/learning/README.md. */
export const REJECTION_RULES: readonly Rule[] = [
  {
    code: 'already_reimbursed',
    patterns: [
      /already (been )?(reimbursed|credited|compensated)/i,
      /(reimbursement|credit) (was|has been|had been) (already )?(issued|processed|granted|provided)/i,
      /previously (been )?(reimbursed|credited)/i,
      /duplicate (claim|request|case|reimbursement)/i,
    ],
  },
  {
    code: 'units_found',
    patterns: [
      /units? (were|was|have been|has been) (found|located|recovered|received)/i,
      /(found|located) (the )?(missing )?(units?|items?|inventory)/i,
      /(reconciled|returned) (to|into) (your )?(sellable |fulfillable )?inventory/i,
      /inventory (was|has been) (found|reconciled|adjusted)/i,
    ],
  },
  {
    code: 'outside_window',
    patterns: [
      /(outside|past|beyond|exceeds?|after) (of )?the (eligible |allowed |claim |reimbursement )?(time ?frame|window|period|deadline)/i,
      /(time|claim) (limit|window) (has )?(expired|passed|elapsed)/i,
      /(no longer|not) eligible .{0,40}\b(days|time|window|period)\b/i,
      /(must|should) be (filed|submitted|opened) within \d+ days/i,
      /more than \d+ days/i,
    ],
  },
  {
    code: 'missing_proof_of_ownership',
    patterns: [
      /proof of (ownership|purchase)/i,
      /(supplier|manufacturer|purchase|valid) (invoice|receipt)s?/i,
      /\binvoices?\b.{0,60}\b(required|needed|provide|missing|not (been )?(provided|included|attached))/i,
      /(provide|attach|upload|submit|send).{0,40}\binvoices?\b/i,
    ],
  },
  {
    code: 'insufficient_information',
    patterns: [
      /(insufficient|incomplete|not enough|more|additional) (information|details|documentation|evidence|data)/i,
      /(information|details|documentation|evidence) (provided |submitted )?(is|was|are|were) (insufficient|incomplete|not sufficient)/i,
      /unable to (verify|validate|confirm|locate|identify)/i,
      /could not (verify|validate|confirm|locate|identify)/i,
      /proof of (delivery|shipment)|\bPOD\b|bill of lading|\bBOL\b|tracking (number|id|information)|carrier/i,
      /please (provide|include|attach|resubmit)/i,
    ],
  },
];

export interface RejectionReading {
  readonly code: RejectionCode;
  readonly rawText: string | null;
  readonly action: RejectionAction;
  /** The documents to ask the seller for (only for `reprompt`). */
  readonly needs: readonly MissingDocument[];
}

export function classifyRejection(text: string | null | undefined): RejectionCode {
  const t = (text ?? '').trim();
  if (!t) return 'other';
  for (const rule of REJECTION_RULES) if (rule.patterns.some((p) => p.test(t))) return rule.code;
  return 'other';
}

export function actionFor(code: RejectionCode): RejectionAction {
  switch (code) {
    case 'missing_proof_of_ownership':
    case 'insufficient_information':
      return 'reprompt';
    case 'outside_window':
    case 'already_reimbursed':
    case 'units_found':
      return 'closed';
    case 'other':
      return 'review';
  }
}

// Claim types whose proof is a shipment's delivery, not what the seller paid for the goods.
const DELIVERY_PROOF_TYPES = new Set(['inbound_shortage', 'removal_shortfall']);
const ASKS_FOR_DELIVERY = /proof of (delivery|shipment)|\bPOD\b|bill of lading|\bBOL\b|tracking|carrier|delivery (receipt|confirmation)/i;
const ASKS_FOR_INVOICE = /invoice|receipt|proof of (ownership|purchase)/i;

/**
 * Exactly which documents to ask for: what Amazon's text names; else, for missing proof of
 * ownership, the supplier invoice; else what the claim type is normally proven with.
 */
export function missingDocuments(code: RejectionCode, text: string | null | undefined, claimType: string): MissingDocument[] {
  if (actionFor(code) !== 'reprompt') return [];
  const t = text ?? '';
  const named: MissingDocument[] = [];
  if (code === 'missing_proof_of_ownership' || ASKS_FOR_INVOICE.test(t)) named.push('upload_invoice');
  if (ASKS_FOR_DELIVERY.test(t)) named.push('upload_proof_of_delivery');
  if (named.length > 0) return named;
  return [DELIVERY_PROOF_TYPES.has(claimType) ? 'upload_proof_of_delivery' : 'upload_invoice'];
}

export function readRejection(text: string | null | undefined, claimType: string): RejectionReading {
  const code = classifyRejection(text);
  const rawText = text?.trim() ? text : null;
  return { code, rawText, action: actionFor(code), needs: missingDocuments(code, text, claimType) };
}

const DOCUMENT_WORDS: Record<MissingDocument, string> = {
  upload_invoice: 'the supplier invoice for these units (proof of ownership)',
  upload_proof_of_delivery: 'the proof of delivery for this shipment (carrier POD, bill of lading or tracking)',
};

export function askMessage(doc: MissingDocument, caseId: string): string {
  return `Amazon rejected case ${caseId} and needs ${DOCUMENT_WORDS[doc]}. Upload it and Clario files the claim again.`;
}

/** A sentence for the seller about what happened and what comes next. */
export function rejectionSummary(code: RejectionCode, caseId: string): string {
  switch (code) {
    case 'missing_proof_of_ownership':
      return `Amazon rejected case ${caseId}: it needs proof that you own the units. Upload the invoice and Clario files again.`;
    case 'insufficient_information':
      return `Amazon rejected case ${caseId} for lack of information. Upload the document asked for and Clario files again.`;
    case 'outside_window':
      return `Amazon rejected case ${caseId}: the claim window had closed. The claim is closed.`;
    case 'already_reimbursed':
      return `Amazon rejected case ${caseId}: these units were already reimbursed. The claim is closed.`;
    case 'units_found':
      return `Amazon rejected case ${caseId}: the units were found and returned to your inventory. The claim is closed.`;
    case 'other':
      return `Amazon rejected case ${caseId}. Clario could not tell why from Amazon's answer; it is kept for review.`;
  }
}
