// The manual channel as the File today and case pages show it: the cases to file grouped by
// seller, how many days are left, the kit's fields grouped by claim, and what a reply Amazon sent
// means for the seller, and where a reply on an existing case goes. Pure.
import type { CaseKit } from '../../../src/filing/case-kit.js';
import type { HeldClaim, TodayCase, Amount as WireAmount } from '../../../src/filing/file-today.js';
import type { KitField } from '../../../src/filing/kit-fields.js';
import type { replyJson } from '../../../src/filing/replies.js';
import type { ReplyOutcome } from '../../../src/domain/amazon-reply.js';
import type { ReminderKind } from '../../../src/domain/reminders.js';
import type { reminderJson } from '../../../src/reminders/routes.js';
import { count, formatMoney, label, type Amount } from './format.js';

// The server's own shapes (src/filing/): the pages read what the routes write.
export type { HeldClaim, KitField, ReminderKind, ReplyOutcome, TodayCase, WireAmount };
export type Kit = CaseKit;
/** Amazon's reply on a case, as Clario read it. */
export type Reply = ReturnType<typeof replyJson>;

/** The filing endpoints' money (`amount_minor`) in the page's own form (`minor`); null stays null. */
export function amountOf(a: WireAmount | null | undefined): Amount | null {
  return a ? { minor: a.amount_minor, currency: a.currency } : null;
}

export interface TodayAnswer {
  readonly day: string;
  readonly cases: readonly TodayCase[];
  readonly held: readonly HeldClaim[];
}

/** A reminder: a deadline near, a case to follow up, a rejected claim to reopen (src/reminders/routes.ts). */
export type Reminder = ReturnType<typeof reminderJson>;

/** GET /api/v1/filings/:id: the case as prepared, its kit, and Amazon's replies so far. */
export interface FilingAnswer {
  readonly id: string;
  readonly user_id: string;
  readonly channel: 'simulator' | 'manual';
  readonly status: 'prepared' | 'filed' | 'approved' | 'rejected';
  readonly case_id: string | null;
  /** A reply on this Amazon case (after a rejection or a request for documents), not a new case. */
  readonly reopens_case_id: string | null;
  readonly claim_ids: readonly string[];
  readonly subject: string;
  readonly body: string;
  readonly filed_at: string | null;
  readonly decided_at: string | null;
  readonly kit: Kit | null;
  readonly replies: readonly Reply[];
}

/** POST /api/v1/filings/:id/reply: per claim of the case, where it stands and the payout credited (event_id), if any. */
export interface ReplyAnswer {
  readonly filing_id: string;
  readonly reply: Reply;
  /** The same text was pasted on this case before: its first reading, and nothing new was done. */
  readonly duplicate?: boolean;
  readonly claims: ReadonlyArray<{ readonly claim_id: string; readonly status: string; readonly event_id: string | null; readonly note?: string }>;
}

export const PASTED_BEFORE = 'You pasted this reply on this case before: this is how Clario read it then, and nothing new was done.';

/** Cases by seller, each seller where their first (most pressing) case stands; order kept within. */
export function bySeller<C extends { readonly user_id: string }>(cases: readonly C[]): Array<{ userId: string; cases: C[] }> {
  const groups = new Map<string, C[]>();
  for (const c of cases) {
    const g = groups.get(c.user_id);
    if (g) g.push(c);
    else groups.set(c.user_id, [c]);
  }
  return [...groups].map(([userId, cs]) => ({ userId, cases: cs }));
}

/** "3 days left", "1 day left", "Due today", "2 days late", or "No deadline". */
export function daysLeftText(days: number | null): string {
  if (days === null) return 'No deadline';
  if (days === 0) return 'Due today';
  if (days < 0) return `${count(-days, 'day')} late`;
  return `${count(days, 'day')} left`;
}

/** How pressing a deadline is: a reminder goes out at 7 days and again at 2. */
export function urgency(days: number | null): 'late' | 'soon' | 'near' | 'later' {
  if (days === null) return 'later';
  if (days < 0) return 'late';
  if (days <= 2) return 'soon';
  if (days <= 7) return 'near';
  return 'later';
}

/** The kit's fields: the case's own first, then one group per claim in the case's order. */
export function fieldGroups(fields: readonly KitField[], claimIds: readonly string[]): Array<{ claimId: string | null; title: string; fields: KitField[] }> {
  const caseLevel = fields.filter((f) => f.claim_id === null);
  const seen = [...new Set(fields.flatMap((f) => (f.claim_id === null ? [] : [f.claim_id])))];
  // The case's order first; a claim the filing does not list (should not happen) after it.
  const order = [...claimIds.filter((id) => seen.includes(id)), ...seen.filter((id) => !claimIds.includes(id))];
  const many = order.length > 1;
  const out: Array<{ claimId: string | null; title: string; fields: KitField[] }> = [];
  if (caseLevel.length > 0) out.push({ claimId: null, title: 'The case', fields: caseLevel });
  order.forEach((id, i) => out.push({ claimId: id, title: many ? `Item ${i + 1} of ${order.length}` : 'The item', fields: fields.filter((f) => f.claim_id === id) }));
  return out;
}

const OUTCOME_WORDS: Record<ReplyOutcome, string> = {
  approved: 'Approved',
  rejected: 'Rejected',
  more_information: 'Amazon needs more information',
  unclear: 'Not clear yet',
};

/** What Amazon asked for, in the seller's words ("upload_invoice" → "an invoice"). */
const NEEDS: Record<string, string> = {
  upload_invoice: 'a supplier invoice',
  upload_proof_of_delivery: 'a proof of delivery',
  invoice: 'a supplier invoice',
  proof_of_delivery: 'a proof of delivery',
  measurements: "the item's measured dimensions and weight",
  photos: 'photos of the item',
};
export const needWords = (need: string) => NEEDS[need] ?? label(need).toLowerCase();

/**
 * How Clario read a reply: the outcome's words, the detail beside them (the amount and
 * reimbursement, the reason, what Amazon needs), the two as one line, and what happens next.
 */
export function readingOf(reply: Reply): { outcome: string; detail: string; headline: string; next: string } {
  const amount = amountOf(reply.amount);
  const ids = reply.reimbursement_ids.length > 0 ? `reimbursement ${reply.reimbursement_ids.join(', ')}` : '';
  const needs = reply.needs.map(needWords);
  const read = (detail: string, next: string) => ({ outcome: OUTCOME_WORDS[reply.outcome], detail, headline: detail ? `${OUTCOME_WORDS[reply.outcome]}: ${detail}` : OUTCOME_WORDS[reply.outcome], next });
  switch (reply.outcome) {
    case 'approved':
      return read(
        [amount ? formatMoney(amount) : '', ids && (amount ? `(${ids})` : ids)].filter(Boolean).join(' '),
        "Clario credits the reimbursement to the claim it pays, charges its fee on what Amazon paid (once), and makes the claim's proof packet.",
      );
    case 'rejected':
      return read(
        reply.reason_code ? label(reply.reason_code).toLowerCase() : '',
        needs.length > 0
          ? `Amazon would look again with ${needs.join(' and ')}. Clario asks you for it in Smart prompts; once you answer, the case comes back to File today to reopen.`
          : 'Clario records the reason and learns from it. The claim is closed unless the reason can be answered with a document.',
      );
    case 'more_information':
      return read(needs.join(', '), 'Clario asks you for it in Smart prompts; once you answer, the case comes back to File today with a reply to send.');
    default:
      return read('', "Clario could not tell an approval from a rejection in this text, so nothing changes. Paste Amazon's decision when it comes.");
  }
}

/** What happens once Amazon approved, when the reply credited no claim (the claim page says the same). */
export const CREDITED_FROM_REPORT =
  "Clario credits the claims when Amazon's Reimbursements report shows the reimbursement: nothing is credited and no fee is charged until then. Nothing to do meanwhile.";

/**
 * What happens next after a reply, from what the server did with it: on an approval, whether
 * the reply credited a payout to some claims (event_id) or none (then the report will); and a
 * warning when the amount Clario read is far from what the case asked (above it, or under half):
 * a misread figure is for the seller to catch before relying on it.
 */
export function afterReply(a: ReplyAnswer, caseTotal: Amount | null): { next: string; warning: string | null } {
  const reading = readingOf(a.reply);
  if (a.duplicate) return { next: PASTED_BEFORE, warning: null };
  if (a.reply.outcome !== 'approved') return { next: reading.next, warning: null };
  const credited = a.claims.filter((c) => c.event_id !== null).length;
  const total = a.claims.length;
  // The server decided nothing on this case (the reply pays another case): its reason is the news.
  const refused = a.claims.find((c) => c.note?.includes('decides nothing'))?.note;
  if (credited === 0 && refused) return { next: `${refused[0]?.toUpperCase() ?? ''}${refused.slice(1)}.`, warning: null };
  let next: string;
  if (credited === 0) next = CREDITED_FROM_REPORT;
  else if (credited === total) next = reading.next;
  else {
    next = `Clario credited what this reply names to ${count(credited, 'claim')} of ${total}, charges its fee on what Amazon paid (once) and makes each paid claim's proof packet; it credits the ${total - credited === 1 ? 'other' : 'others'} when Amazon's Reimbursements report shows ${total - credited === 1 ? 'it' : 'them'}.`;
  }
  return { next, warning: amountWarning(amountOf(a.reply.amount), caseTotal) };
}

/** A warning when the amount read is more than the case asked, under half of it, or in another currency. */
export function amountWarning(read: Amount | null, caseTotal: Amount | null): string | null {
  if (!read || !caseTotal || caseTotal.minor <= 0) return null;
  const check = `Check the amount in Amazon's message before relying on it`;
  if (read.currency !== caseTotal.currency) return `Clario read ${formatMoney(read)}, but this case asked for ${formatMoney(caseTotal)}. ${check}.`;
  if (read.minor > caseTotal.minor) return `Clario read ${formatMoney(read)}, more than the ${formatMoney(caseTotal)} this case asked for. ${check}: Clario may have read another figure.`;
  if (read.minor * 2 < caseTotal.minor) return `Clario read ${formatMoney(read)}, under half of the ${formatMoney(caseTotal)} this case asked for. ${check}: Clario may have read another figure, or Amazon paid only part.`;
  return null;
}

/** The case's total, from its claims' amounts: null when any is unknown or the currencies differ. */
export function caseTotalOf(amounts: ReadonlyArray<Amount | null>): Amount | null {
  const [first] = amounts;
  if (!first) return null;
  let minor = 0;
  for (const a of amounts) {
    if (!a || a.currency !== first.currency) return null;
    minor += a.minor;
  }
  return { minor, currency: first.currency };
}

/** Reminder kinds as the panel names them. */
export const REMINDER_KINDS: Record<ReminderKind, string> = {
  deadline_7d: 'Deadline in a week',
  deadline_2d: 'Deadline in two days',
  follow_up: 'No answer from Amazon',
  reopen: 'Can be reopened',
};

/** Where a reply on an existing case goes: its page in Seller Central's Case Log, on the kit's own site. */
export function reopeningPlace(caseId: string, kitUrl: string): Kit['where'] {
  let origin = 'https://sellercentral.amazon.com';
  try {
    origin = new URL(kitUrl).origin;
  } catch {
    // not a URL: the US site
  }
  return {
    place: `Case Log › case ${caseId} › Reply`,
    steps: [
      'Open Help › Case Log in Seller Central.',
      `Find case ${caseId} (search by its ID) and open it.`,
      'Reply on the case: paste the case text below and attach the files of the evidence download.',
      'Send the reply, then press the button below to record it.',
    ],
    url: `${origin}/cu/case-lobby`,
  };
}
