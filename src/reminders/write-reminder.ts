// What a reminder says: a sentence for the seller (`message`), and for a follow-up or a reopening
// the text to paste on the case in Seller Central (`text`). Pure. The pasted text is for a person
// at Amazon, so it speaks Amazon's terms (case id, the day it was opened, FNSKU, shipment and
// order ids, Transaction Item ID, amounts) and never Clario's own (claim ids, file names).
import { waitingFor } from '../domain/claim-waiting.js';
import type { ClaimStatus } from '../domain/claim-status.js';
import { holdOf } from '../domain/filing-holds.js';
import type { MissingDocument } from '../domain/rejection.js';
import { plural } from '../domain/plural.js';
import type { DueReminder } from '../domain/reminders.js';
import { amountText, claimFacts, totalText } from '../filing/claim-facts.js';
import { claimSentence, productIds } from '../filing/describe-claim.js';
import { claimTypeWords } from '../filing/write-case.js';

export interface ReminderClaim {
  readonly id: string;
  readonly type: string;
  readonly status: ClaimStatus;
  readonly quantity: number | null;
  readonly amountMinor: number | null;
  readonly currency: string | null;
  readonly deadline: string | null;
  readonly details: Record<string, unknown> | null;
  /** What the score says would help (`score.missing`). */
  readonly missing?: readonly unknown[];
}

export interface ReminderFacts {
  /** The claim a deadline or reopen reminder is about. */
  readonly claim?: ReminderClaim;
  /** The case a follow-up is about: Amazon's id, when it was opened, its claims. */
  readonly filedCase?: { readonly caseId: string; readonly filedAt: Date; readonly claims: readonly ReminderClaim[] };
  /** The rejection a reopen reminder is about. */
  readonly rejection?: { readonly caseId: string; readonly reasonCode: string; readonly needs: readonly MissingDocument[] };
  readonly followUpDays: number;
}

export interface WrittenReminder {
  readonly message: string;
  readonly text: string | null;
  /** The e-mail's subject line. */
  readonly subject: string;
  /** The dashboard page to open (a path under the public URL). */
  readonly page: string;
}

// What Amazon asked for, said back to Amazon (the taxonomy's own sentences speak to the seller).
const ASKED_FOR: Readonly<Record<string, string>> = {
  missing_proof_of_ownership: 'proof of ownership',
  insufficient_information: 'more information',
};

const DOCUMENTS: Record<MissingDocument, string> = {
  upload_invoice: 'the supplier invoice for these units',
  upload_proof_of_delivery: 'the proof of delivery for this shipment',
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** A claim as the case text states it (the filing kit's own sentence), and the amount asked. */
export function itemLine(c: ReminderClaim): string {
  const f = claimFacts(c);
  const amount = amountText(f);
  return `${claimSentence(f)}${amount ? ` Amount requested: ${amount}.` : ''}`;
}

const longDay = (d: Date) => d.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

function daysLeftText(daysLeft: number | null, deadline: string): string {
  if (daysLeft === 0) return `today (${deadline}) is the last day Amazon accepts it`;
  if (daysLeft === 1) return `Amazon accepts it until tomorrow, ${deadline}`;
  return `Amazon accepts it until ${deadline}, ${daysLeft ?? '?'} days from now`;
}

/** What the seller can do about an unfiled claim, by where it stands. */
function toDo(c: ReminderClaim, preparedFilingId: string | null): string {
  if (c.status === 'ready' && preparedFilingId) return 'Its case is prepared: file it in Seller Central (File today) and record the case id Amazon gives you.';
  if (c.status === 'prompted') return 'Answer its smart prompt so it can be filed in time.';
  if (c.status === 'held') {
    const hold = holdOf(c.details)?.reason.trim().replace(/[.\s]+$/, '');
    return `${hold ? `Clario holds it: ${hold}.` : 'Clario holds it back.'} Give it what it needs, or file it yourself in Seller Central before the deadline.`;
  }
  return waitingFor({ status: c.status, detectionStatus: str(c.details?.detection_status) ?? null, missing: c.missing ?? [] })?.why ?? '';
}

// The dashboard's pages: a case (its kit, replies and reopening) when there is one, else the claim.
const claimPage = (claimId: string) => `/claims/${encodeURIComponent(claimId)}`;
const casePage = (filingId: string) => `/file-today/${encodeURIComponent(filingId)}`;

export function writeReminder(due: DueReminder, facts: ReminderFacts): WrittenReminder {
  switch (due.kind) {
    case 'deadline_7d':
    case 'deadline_2d': {
      const c = facts.claim;
      if (!c || !due.due) throw new RangeError(`a ${due.kind} reminder needs its claim and deadline`);
      const f = claimFacts(c);
      const amount = amountText(f);
      const what = `${claimTypeWords(c.type)}, ${productIds(f)}, ${plural(f.quantity, 'unit')}${amount ? `, ${amount}` : ''}`;
      const message = `Claim for ${what}: ${daysLeftText(due.daysLeft, due.due)}. ${toDo(c, due.filingId)}`.trim();
      const when = due.daysLeft === 0 ? 'today' : due.daysLeft === 1 ? 'tomorrow' : `in ${due.daysLeft ?? '?'} days`;
      return { message, text: null, subject: `Claim deadline ${when}: ${claimTypeWords(c.type)}${amount ? `, ${amount}` : ''}`, page: due.filingId ? casePage(due.filingId) : claimPage(c.id) };
    }
    case 'follow_up': {
      const k = facts.filedCase;
      if (!k) throw new RangeError('a follow_up reminder needs its case');
      const total = totalText(k.claims.map(claimFacts));
      const text = [
        'Hello,',
        '',
        `On ${longDay(k.filedAt)} I opened case ${k.caseId} asking for reimbursement of:`,
        ...k.claims.map((c) => `- ${itemLine(c)}`),
        ...(total ? ['', `Total requested: ${total}.`] : []),
        '',
        'I have not received an answer yet. Could you please review the case and let me know where it stands, or tell me what else you need from me?',
        '',
        'Thank you.',
      ].join('\n');
      const message = `Amazon has not answered case ${k.caseId} (opened ${longDay(k.filedAt)}) in ${plural(facts.followUpDays, 'day')}: post the follow-up below on the case in Seller Central (Case Log).`;
      return { message, text, subject: `Follow up on Amazon case ${k.caseId}`, page: due.filingId ? casePage(due.filingId) : '/file-today' };
    }
    case 'reopen': {
      const c = facts.claim;
      const r = facts.rejection;
      if (!c || !r) throw new RangeError('a reopen reminder needs its claim and rejection');
      const docs = r.needs.length ? r.needs.map((n) => DOCUMENTS[n]) : ['the document Amazon asked for'];
      const documentIn = c.status === 'ready';
      const asked = ASKED_FOR[r.reasonCode] ?? 'more information';
      // One text whether Amazon closed the case (rejected) or asked and left it open: a reply on the case either way.
      const text = [
        'Hello,',
        '',
        `About case ${r.caseId}: you asked for ${asked}. I have attached ${docs.join(' and ')}, for:`,
        `- ${itemLine(c)}`,
        '',
        'Please reopen the case if it is closed, review it with this document and reimburse the units.',
        '',
        'Thank you.',
      ].join('\n');
      const where = 'reply on the case in Seller Central (reopen it if Amazon closed it) with the text below';
      const message = documentIn
        ? `You sent ${docs.join(' and ')} for Amazon case ${r.caseId}: ${where}, and attach it.`
        : `Amazon needs ${docs.join(' and ')} on case ${r.caseId}: upload it in Clario (Smart prompts), then ${where}.`;
      return { message, text, subject: `Reopen Amazon case ${r.caseId}`, page: due.filingId ? casePage(due.filingId) : claimPage(c.id) };
    }
  }
}
