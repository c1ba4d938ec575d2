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

/**
 * Amazon keeps the case open and asks for a document: the seller uploads it, then replies on the
 * same case with it (Clario prepares that reply), rather than a new case being opened.
 */
export function moreInformationAsk(doc: MissingDocument, caseId: string): string {
  return `Amazon asks for ${DOCUMENT_WORDS[doc]} on case ${caseId}; the case stays open. Upload it and Clario prepares your reply on case ${caseId}.`;
}

export function moreInformationSummary(caseId: string): string {
  return `Amazon asks for more information on case ${caseId}; the case stays open. Upload what it asks for and reply on the same case.`;
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

/** Amazon's reason, in the seller's words. */
export const REJECTION_REASONS: Record<RejectionCode, string> = {
  missing_proof_of_ownership: 'Amazon wants proof that you own the units',
  outside_window: 'The claim window had closed',
  already_reimbursed: 'Amazon says these units were already reimbursed',
  units_found: 'Amazon found the units and returned them to your inventory',
  insufficient_information: 'Amazon wants more information',
  other: "Clario could not tell the reason from Amazon's answer",
};

const DOCUMENT_NAMES: Record<MissingDocument, string> = {
  upload_invoice: 'the supplier invoice',
  upload_proof_of_delivery: 'the proof of delivery',
};

const known = (code: string): code is RejectionCode => (REJECTION_CODES as readonly string[]).includes(code);

/**
 * What Clario does next about a rejected claim, said to the seller. The rejection's action is fixed
 * when it is recorded; the claim's status says how far that got (a re-prompt answered and filed
 * again, or paid after all), so the sentence follows the claim rather than the moment of rejection.
 */
export function rejectionNextStep(r: { code: string; rawText: string | null; claimType: string; claimStatus: string; reopensCaseId?: string | null }): string {
  const code: RejectionCode = known(r.code) ? r.code : 'other';
  if (r.claimStatus === 'paid') return 'Amazon paid this claim after all: nothing more to do.';
  if (r.claimStatus === 'filed') return 'Clario filed the claim again with what you sent; it waits for Amazon.';
  // The manual channel: the seller replies on the same Amazon case with what Clario prepared.
  if (r.claimStatus === 'ready' && r.reopensCaseId) {
    return `Clario prepared your reply on case ${r.reopensCaseId} with what you sent (see File today): send it on that case in Seller Central, then record it.`;
  }
  if (r.claimStatus === 'ready') return 'Clario has what it needs and files the claim again in its next filing slot.';
  if (r.claimStatus === 'dismissed') return 'You dismissed the claim: nothing more to do.';
  switch (actionFor(code)) {
    case 'reprompt': {
      const docs = missingDocuments(code, r.rawText, r.claimType).map((d) => DOCUMENT_NAMES[d]);
      return `Clario asks you for ${docs.join(' and ')} (see Smart prompts); once you upload it, Clario files the claim again.`;
    }
    case 'closed':
      return 'Clario closed the claim: filing it again would not change Amazon\'s answer. Nothing for you to do.';
    case 'review':
      return "Clario keeps the claim for a person to read Amazon's answer and decide whether to file again.";
  }
}
