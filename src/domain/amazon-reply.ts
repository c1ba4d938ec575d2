// Amazon's reply on a case, pasted by the person who filed it, read into what Clario does next.
// Pure. Four outcomes:
//   approved          Amazon pays: the amount, the reimbursement ids it names, per-item amounts
//   rejected          Amazon refuses: the reason in the rejection taxonomy (src/domain/rejection.ts)
//   more_information  the case stays open and Amazon asks for documents: which ones
//   unclear           none of these can be told apart: a person reads it
// The order of the tests matters: a refusal is looked for first, because Amazon's refusals say
// "reimbursed" too ("these units were already reimbursed"); an approval needs approval words, so a
// reply never pays anything unless it says it does; a request for documents comes last.
import { amountsIn, type AmountInText } from './amounts-in-text.js';
import { money, type Currency, type Money } from './money.js';
import { actionFor, classifyRejection, missingDocuments, type MissingDocument, type RejectionAction, type RejectionCode } from './rejection.js';

export const REPLY_OUTCOMES = ['approved', 'rejected', 'more_information', 'unclear'] as const;
export type ReplyOutcome = (typeof REPLY_OUTCOMES)[number];

/** One item of an approval that names what it pays and how much (a line of Amazon's reply). */
export interface ReplyItem {
  readonly amount: Money;
  readonly reimbursementId: string | null;
  readonly fnsku: string | null;
  readonly sku: string | null;
  readonly orderId: string | null;
  readonly shipmentId: string | null;
  readonly quantity: number | null;
}

export interface ReplyReading {
  readonly outcome: ReplyOutcome;
  /** What Amazon approved in all; null when the reply names no amount, or amounts that do not add up to one. */
  readonly amount: Money | null;
  /** The reimbursement ids the reply names, in order, once each. */
  readonly reimbursementIds: readonly string[];
  /** Per-item amounts, when the reply gives them (each line naming an item and one amount). */
  readonly items: readonly ReplyItem[];
  /** Rejected or more information: the taxonomy's reason. */
  readonly reasonCode: RejectionCode | null;
  readonly action: RejectionAction | null;
  /** The documents Amazon wants (more information, or a rejection Clario can answer). */
  readonly needs: readonly MissingDocument[];
}

/** Words of an approval. Nothing is ever read as approved without one of them. */
export const APPROVAL_WORDS =
  /\b(approved|reimbursed|credited|(reimbursement|credit|refund)s? (has|have|was|were|will be) (been )?(issued|processed|granted|applied|made|initiated|approved)|issued (a |the |your )?(reimbursement|credit)|(reimbursement|credit)s? (of|for|totaling|totalling) )/i;

// A refusal, said outright. Checked before approval words, so "not reimbursed" is no approval.
const REFUSAL = [
  /\b(unable|not able|cannot|can ?not|can't|could not|couldn't|will not|won't|are not|is not|not) (to )?(be )?(approve|reimburse|issue|grant|honou?r|accept|offer)/i,
  /\bnot (been )?(approved|reimbursed|credited|eligible)\b/i,
  /\b(denied|declined|rejected|ineligible|not eligible)\b/i,
  /\bno (further )?(reimbursement|credit|compensation) (is|was|will be|can be)\b/i,
];
// The taxonomy's readings that close a claim are refusals whatever else the reply says.
const CLOSING_CODES: ReadonlySet<RejectionCode> = new Set(['already_reimbursed', 'units_found', 'outside_window']);
// Amazon asks for something and keeps the case open.
const ASKS =
  /\b(please (provide|send|attach|upload|submit|include|share|reply)|(we|I) (need|require|would need)|(is|are) (required|needed)|in order to (proceed|continue|investigate|process)|reply (to this case |on this case )?with|could you (please )?(provide|send|attach))\b/i;
// Closed without a word of payment: a refusal Clario cannot read the reason of.
const CLOSED = /\b(closed|closing|resolved) (this|the|your) (case|request|claim)\b|\bcase (is|has been|was) closed\b/i;

/**
 * Reads Amazon's reply. `claimType` decides which document is asked for when Amazon does not name
 * one; `currency`, the case's, is what a bare "$" means when it is a dollar (Amazon.ca writes "$").
 */
export function readReply(text: string, claimType: string, currency?: Currency | null): ReplyReading {
  // Pasted from a web page: runs of spaces and tabs are one space; lines stay lines (items).
  const t = text.replace(/[ \t]+/g, ' ').trim();
  const reimbursementIds = reimbursementIdsIn(t);
  const none = { amount: null, reimbursementIds, items: [], reasonCode: null, action: null, needs: [] } as const;
  if (!t) return { outcome: 'unclear', ...none };
  const code = classifyRejection(t);
  const approves = APPROVAL_WORDS.test(t);
  if (REFUSAL.some((p) => p.test(t)) || closes(code, t, approves)) return refusal('rejected', code, t, claimType, reimbursementIds);
  if (approves) {
    const amounts = paidAmountsIn(t, currency);
    const items = itemsIn(t, currency);
    return { outcome: 'approved', amount: totalOf(t, amounts, items), reimbursementIds, items, reasonCode: null, action: null, needs: [] };
  }
  if (ASKS.test(t) || actionFor(code) === 'reprompt') {
    return refusal('more_information', actionFor(code) === 'reprompt' ? code : 'insufficient_information', t, claimType, reimbursementIds);
  }
  if (CLOSED.test(t)) return refusal('rejected', code, t, claimType, reimbursementIds);
  return { outcome: 'unclear', ...none };
}

/**
 * The taxonomy's closing reasons refuse the claim, unless the reply also pays it ("although it is
 * outside the window, we have reimbursed you"); "already reimbursed" refuses whatever follows.
 * The taxonomy's "reimbursement was issued" is an approval's own words, hence the "already".
 */
function closes(code: RejectionCode, t: string, approves: boolean): boolean {
  if (code === 'already_reimbursed') return /\b(already|previously|duplicate)\b/i.test(t);
  return CLOSING_CODES.has(code) && !approves;
}

function refusal(outcome: 'rejected' | 'more_information', code: RejectionCode, t: string, claimType: string, reimbursementIds: readonly string[]): ReplyReading {
  return { outcome, amount: null, reimbursementIds, items: [], reasonCode: code, action: actionFor(code), needs: missingDocuments(code, t, claimType) };
}

const ID_LABEL = /reimbursement\s*(?:ids?|numbers?|no\.?|#)(?:\s*\(s\))?\s*(?:is|are|was|were)?\s*[:#]?\s*/gi;
const ID_LIST = /^#?\d{5,20}(?:\s*(?:,|;|&|\/|\band\b)\s*#?\d{5,20})*/i;

/** "Reimbursement ID: 1234567890", "reimbursement IDs 111111, 222222 and 333333". */
export function reimbursementIdsIn(text: string): string[] {
  const ids: string[] = [];
  for (const label of text.matchAll(ID_LABEL)) {
    const list = ID_LIST.exec(text.slice(label.index + label[0].length));
    for (const id of list?.[0].match(/\d{5,20}/g) ?? []) if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

const FNSKU = /\b(?:FNSKU\s*[:#]?\s*([A-Z0-9]{10})|(X00[A-Z0-9]{7}))\b/i;
const SKU = /\b(?:M?SKU)\s*[:#]?\s*([A-Za-z0-9][A-Za-z0-9._-]{0,39})/;
const ORDER = /\b(\d{3}-\d{7}-\d{7})\b/;
const SHIPMENT = /\b(FBA[A-Z0-9]{6,12})\b/;
const UNITS = /\b(\d{1,6}) units?\b/i;

/**
 * The amounts an approval pays: above zero. A negative amount is a reversal's, and zero pays no
 * cash; read as a payout either would settle the reimbursement id before the report's true line.
 */
const paidAmountsIn = (text: string, about: Currency | null | undefined): AmountInText[] => amountsIn(text, { about }).filter((a) => a.money.minor > 0);

/** The reply's lines (or sentences split by ";") that name one item and one amount. */
function itemsIn(text: string, about: Currency | null | undefined): ReplyItem[] {
  const items: ReplyItem[] = [];
  for (const segment of text.split(/\n|;/)) {
    const amounts = paidAmountsIn(segment, about);
    if (amounts.length !== 1) continue;
    const fnskuMatch = FNSKU.exec(segment);
    const fnsku = fnskuMatch ? (fnskuMatch[1] ?? fnskuMatch[2] ?? null) : null;
    const sku = SKU.exec(segment)?.[1] ?? null;
    const orderId = ORDER.exec(segment)?.[1] ?? null;
    const shipmentId = SHIPMENT.exec(segment)?.[1] ?? null;
    if (!fnsku && !sku && !orderId && !shipmentId) continue;
    const ids = reimbursementIdsIn(segment);
    const units = UNITS.exec(segment)?.[1];
    items.push({
      amount: (amounts[0] as AmountInText).money,
      reimbursementId: ids.length === 1 ? (ids[0] as string) : null,
      fnsku: fnsku?.toUpperCase() ?? null,
      sku,
      orderId,
      shipmentId,
      quantity: units ? Number(units) : null,
    });
  }
  return items;
}

/**
 * The approval's amount: the one labelled a total; else the only amount named (however often);
 * else the items' sum when every amount is an item's; else unknown.
 */
function totalOf(text: string, amounts: readonly AmountInText[], items: readonly ReplyItem[]): Money | null {
  if (amounts.length === 0) return null;
  const totals = amounts.filter((a) => /\btotal\w*\W{0,3}(\w+\W{1,3}){0,3}$/i.test(text.slice(Math.max(0, a.index - 40), a.index)));
  if (totals.length === 1) return (totals[0] as AmountInText).money;
  const distinct = new Set(amounts.map((a) => `${a.money.minor} ${a.money.currency}`));
  if (distinct.size === 1) return (amounts[0] as AmountInText).money;
  if (items.length === amounts.length && new Set(items.map((i) => i.amount.currency)).size === 1) {
    const sum = items.reduce((s, i) => s + i.amount.minor, 0);
    return Number.isSafeInteger(sum) ? money(sum, (items[0] as ReplyItem).amount.currency) : null;
  }
  return null;
}
