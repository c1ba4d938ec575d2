// Amazon's reply on a case, pasted by the person who filed it: kept, read (src/domain/amazon-reply.ts),
// and turned into the normal triggers, never into statuses written behind the engine's back:
//   rejected          phase 6 for each claim still filed on the case (answerCase), with Amazon's text:
//                     the taxonomy re-prompts the seller for exactly the document, or closes the claim
//   more_information  phase 6 too, marked as a request: the seller is asked for exactly those
//                     documents, the model counts nothing, and the case stays open: once answered,
//                     the filer prepares the seller's reply on this same case (a reopening)
//   approved          phase 7 through the payouts' crediting, keyed by the reimbursement ids Amazon
//                     names, so the Reimbursements report's line for the same id is the same payout;
//                     with no id (or no amount) nothing is invented: the approval is recorded and the
//                     payouts loop credits the report's line when it comes (it matches by case id)
//   unclear           kept for a person; nothing moves
// Triggers come first and are idempotent (keyed by case, claim and round; payouts by reimbursement
// id), then the reply row: a crash in between only repeats them, and the same text again is the
// same reply and sets off nothing new.
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { readReply, type ReplyItem, type ReplyReading } from '../domain/amazon-reply.js';
import { isCurrency, money, type Currency, type Money } from '../domain/money.js';
import type { ClaimRow } from '../store/claim-rows.js';
import type { Db } from '../store/db.js';
import { claims } from '../store/schema/claims-tables.js';
import { filingReplies, filings } from '../store/schema/filing-tables.js';
import type { Engine } from '../workflow/engine.js';
import { creditLine } from '../payouts/credit-payouts.js';
import { REPLY_SOURCE, type ReimbursementLine } from '../payouts/reimbursement-line.js';
import { reimbursements } from '../store/schema/payouts-tables.js';
import { answerCase } from '../payouts/watch-cases.js';
import { markDecided, type FilingRow } from './filings.js';
import { caseItem } from './write-case.js';

export type ReplyRow = typeof filingReplies.$inferSelect;

/** What a reply did to one claim of the case. */
export interface ReplyEffect {
  readonly claim_id: string;
  /** The phase event the reply accepted (or found: the same reply again), null when none. */
  readonly event_id: string | null;
  /** Why no event, or what the event is waiting for, in a few words. */
  readonly note?: string;
}

export type ReplyResult =
  | { readonly ok: true; readonly reply: ReplyRow; readonly claims: ReadonlyArray<{ claim_id: string; status: string; event_id: string | null; note?: string }>; readonly duplicate: boolean }
  | { readonly ok: false; readonly code: 'conflict'; readonly message: string };

/** Whitespace aside, the same text is the same reply. */
export function replyHash(text: string): string {
  return createHash('sha256').update(text.trim().replace(/\s+/g, ' ')).digest('hex');
}

const replyId = (filingId: string, hash: string) => `rpl_${createHash('sha256').update(`${filingId}\n${hash}`).digest('hex').slice(0, 24)}`;

/** Every claim ever filed on the case: the filing's, and those its reopenings or phase 5 put on it. */
async function claimsOfTheCase(db: Db, filing: FilingRow, caseId: string): Promise<ClaimRow[]> {
  const ofFiling = filing.claimIds.length ? inArray(claims.id, filing.claimIds) : undefined;
  return db
    .select()
    .from(claims)
    .where(and(eq(claims.userId, filing.userId), or(ofFiling, eq(claims.caseId, caseId))))
    .orderBy(asc(claims.id));
}

export async function repliesOf(db: Db, of: { filingId: string } | { caseId: string; userId: string }): Promise<ReplyRow[]> {
  const where = 'filingId' in of ? eq(filingReplies.filingId, of.filingId) : and(eq(filingReplies.caseId, of.caseId), eq(filingReplies.userId, of.userId));
  return db.select().from(filingReplies).where(where).orderBy(asc(filingReplies.receivedAt), asc(filingReplies.id));
}

/** The currency of a case's claims, when they share one: what a bare "$" in its reply means. */
function caseCurrency(ofCase: readonly ClaimRow[]): Currency | null {
  const found = new Set(ofCase.map((c) => c.currency).filter((c): c is string => c !== null));
  const [only] = found;
  return found.size === 1 && only && isCurrency(only) ? only : null;
}

export async function receiveReply(deps: { db: Db; engine: Engine }, filing: FilingRow, text: string, now: Date): Promise<ReplyResult> {
  const { db } = deps;
  const hash = replyHash(text);
  const [seen] = await db.select().from(filingReplies).where(and(eq(filingReplies.filingId, filing.id), eq(filingReplies.textHash, hash)));
  if (seen) return { ok: true, reply: seen, claims: await statuses(db, seen.effects as unknown as ReplyEffect[]), duplicate: true };
  const caseId = filing.caseId;
  if (!caseId) return { ok: false, code: 'conflict', message: `no case id is recorded for filing ${filing.id} yet: record the case id Amazon gave first` };
  // A case filed through a case API has its decisions read from that API: a pasted text must not
  // overrule what Amazon itself answered there (a rejection turned into a payout, say).
  if (filing.channel !== 'manual') {
    return { ok: false, code: 'conflict', message: `case ${caseId} was filed through Amazon's case API, whose decisions Clario reads itself; a pasted reply is for a case a person filed` };
  }
  const ofCase = await claimsOfTheCase(db, filing, caseId);
  if (ofCase.length > 0 && ofCase.every((c) => c.status === 'paid')) {
    return { ok: false, code: 'conflict', message: `case ${caseId} is decided and paid: nothing left for a reply to move` };
  }
  const reading = readReply(text, ofCase[0]?.type ?? '', caseCurrency(ofCase));
  const id = replyId(filing.id, hash);
  const effects = await trigger(deps, filing, caseId, ofCase, reading, text, id, now);
  const [inserted] = await db
    .insert(filingReplies)
    .values({ id, filingId: filing.id, userId: filing.userId, caseId, text, textHash: hash, outcome: reading.outcome, reading: readingJson(reading), effects: effects.map((e) => ({ ...e })), receivedAt: now })
    .onConflictDoNothing()
    .returning();
  // Pasted twice at once: the other request stored it; the triggers were the same.
  const reply = inserted ?? (await db.select().from(filingReplies).where(eq(filingReplies.id, id)))[0];
  if (!reply) throw new Error(`reply ${id} vanished`);
  return { ok: true, reply, claims: await statuses(db, effects), duplicate: !inserted };
}

async function trigger(deps: { db: Db; engine: Engine }, filing: FilingRow, caseId: string, ofCase: readonly ClaimRow[], reading: ReplyReading, text: string, replyId: string, now: Date): Promise<ReplyEffect[]> {
  switch (reading.outcome) {
    case 'rejected':
    case 'more_information':
      return answer(deps, filing, caseId, ofCase, text, reading.outcome === 'more_information');
    case 'approved':
      return approve(deps, filing, caseId, ofCase, reading, replyId, now);
    case 'unclear':
      return ofCase.map((c) => ({ claim_id: c.id, event_id: null, note: 'kept for a person to read' }));
  }
}

/** Phase 6 for each claim filed on the case, per round: a claim's reopening is answered as its own round. */
async function answer(deps: { db: Db; engine: Engine }, filing: FilingRow, caseId: string, ofCase: readonly ClaimRow[], text: string, moreInformation: boolean): Promise<ReplyEffect[]> {
  const effects: ReplyEffect[] = [];
  const open = stillOpen(ofCase, filing);
  for (const c of ofCase.filter((x) => !open.includes(x))) effects.push({ claim_id: c.id, event_id: null, note: `the claim is ${c.status}` });
  const byFiling = new Map<string, ClaimRow[]>();
  for (const c of open) byFiling.set(c.filingId ?? filing.id, [...(byFiling.get(c.filingId ?? filing.id) ?? []), c]);
  for (const [filingId, group] of byFiling) {
    const [round] = filingId === filing.id ? [filing] : await deps.db.select().from(filings).where(eq(filings.id, filingId));
    const answered = await answerCase(deps, { id: filingId, userId: filing.userId, claimIds: group.map((c) => c.id), reopensCaseId: round?.reopensCaseId ?? null }, caseId, text, { moreInformation });
    effects.push(...answered.map((a) => ({ claim_id: a.claimId, event_id: a.eventId })));
  }
  return effects;
}

/**
 * The approval's payout lines, only where the reply leaves no doubt: an item per reimbursement id
 * with its own amount (matched to a claim by what it names); or one id and one amount, on a case of
 * one claim (or parked, like any line that pays no single claim). Otherwise none: the report says.
 */
export function approvalLines(reading: ReplyReading, caseId: string, ofCase: readonly ClaimRow[], replyId: string, now: Date): ReimbursementLine[] {
  const line = (reimbursementId: string, amount: { minor: number; currency: string }, names: Omit<ReplyItem, 'amount' | 'reimbursementId'>): ReimbursementLine => ({
    reimbursementId,
    caseId,
    orderId: names.orderId,
    shipmentId: names.shipmentId,
    transactionItemId: null,
    reason: null,
    sku: names.sku,
    fnsku: names.fnsku,
    quantity: names.quantity,
    amountMinor: amount.minor,
    currency: amount.currency,
    approvalDate: now,
    originalReimbursementId: null,
    lineSeq: null,
    raw: { source: REPLY_SOURCE, reply_id: replyId },
  });
  const perId = reading.items.filter((i) => i.reimbursementId !== null);
  if (perId.length > 0 && perId.length === reading.items.length && new Set(perId.map((i) => i.reimbursementId)).size === perId.length) {
    return perId.map((i) => line(i.reimbursementId as string, i.amount, i));
  }
  const [only, ...more] = reading.reimbursementIds;
  if (!only || more.length > 0 || !reading.amount) return [];
  const [claim, ...others] = ofCase;
  if (claim && others.length === 0) {
    // The claim's own names, as the report will carry them; the whole claim is paid.
    const item = caseItem({ id: claim.id, type: claim.type, quantity: claim.quantity, amountMinor: claim.amountMinor, currency: claim.currency, deadline: claim.deadline, details: claim.details });
    return [line(only, reading.amount, { fnsku: item.fnsku ?? null, sku: item.sku ?? null, orderId: item.order_id ?? null, shipmentId: item.shipment_id ?? null, quantity: item.quantity })];
  }
  return [line(only, reading.amount, { fnsku: null, sku: null, orderId: null, shipmentId: null, quantity: null })];
}

/** The claims a reply on this filing still decides: filed on the case, or ready on this very filing. */
const stillOpen = (ofCase: readonly ClaimRow[], filing: FilingRow) => ofCase.filter((c) => c.status === 'filed' || (c.filingId === filing.id && c.status === 'ready'));

async function approve(deps: { db: Db; engine: Engine }, filing: FilingRow, caseId: string, ofCase: readonly ClaimRow[], reading: ReplyReading, replyId: string, now: Date): Promise<ReplyEffect[]> {
  // Like a rejection, an approval decides only the claims still open: one Amazon already rejected
  // (and nobody reopened) is not turned into a payout by a pasted text.
  const open = stillOpen(ofCase, filing);
  if (open.length === 0) return ofCase.map((c) => ({ claim_id: c.id, event_id: null, note: `the claim is ${c.status}` }));
  const lines = approvalLines(reading, caseId, open, replyId, now);
  // The reimbursement ids named that Clario has seen already, and the case each pays (one read).
  const named = [...new Set([...reading.reimbursementIds, ...lines.map((l) => l.reimbursementId)])];
  const seen = named.length
    ? await deps.db.select({ id: reimbursements.reimbursementId, caseId: reimbursements.caseId }).from(reimbursements).where(and(eq(reimbursements.userId, filing.userId), inArray(reimbursements.reimbursementId, named)))
    : [];
  const known = new Map<string, string | null>();
  // A case id where any line of the id has one (a parked line has none).
  for (const row of seen) if (!known.has(row.id) || known.get(row.id) === null) known.set(row.id, row.caseId);
  // Every reimbursement id it names already pays another case: the reply was pasted on the wrong
  // case (or is that case's again). It decides nothing here.
  const elsewhere = reading.reimbursementIds.filter((id) => known.has(id) && known.get(id) !== null && known.get(id) !== caseId);
  if (reading.reimbursementIds.length > 0 && elsewhere.length === reading.reimbursementIds.length) {
    const where = [...new Set(elsewhere.map((id) => known.get(id)))].join(', ');
    return ofCase.map((c) => ({ claim_id: c.id, event_id: null, note: `reimbursement ${elsewhere.join(', ')} already pays case ${where}: this reply looks like that case's, so it decides nothing on case ${caseId}` }));
  }
  const paid = new Map<string, string | null>();
  for (const l of lines) {
    // Already seen (the report, or this reply's text with other spacing): the same payout, not a second.
    if (known.has(l.reimbursementId)) continue;
    const credit = await creditLine(deps, filing.userId, l);
    if (credit.claimId && !credit.unmatched) paid.set(credit.claimId, credit.eventId ?? null);
  }
  // Amazon decided: the case is approved whether or not this reply named what it pays.
  await markDecided(deps.db, { userId: filing.userId, caseId }, 'approved');
  return ofCase.map((c) =>
    !open.includes(c)
      ? { claim_id: c.id, event_id: null, note: `the claim is ${c.status}` }
      : paid.has(c.id)
      ? { claim_id: c.id, event_id: paid.get(c.id) ?? null }
      : { claim_id: c.id, event_id: null, note: lines.length ? 'not named by the reply: credited when the Reimbursements report shows it' : 'credited when the Reimbursements report shows the reimbursement' },
  );
}

async function statuses(db: Db, effects: readonly ReplyEffect[]): Promise<Array<{ claim_id: string; status: string; event_id: string | null; note?: string }>> {
  const ids = effects.map((e) => e.claim_id);
  const found = ids.length ? await db.select({ id: claims.id, status: claims.status }).from(claims).where(inArray(claims.id, ids)) : [];
  const status = new Map(found.map((c) => [c.id, c.status]));
  return effects.map((e) => ({ claim_id: e.claim_id, status: status.get(e.claim_id) ?? 'unknown', event_id: e.event_id, ...(e.note ? { note: e.note } : {}) }));
}

function readingJson(r: ReplyReading): Record<string, unknown> {
  const amount = (m: { minor: number; currency: string } | null) => (m ? { amount_minor: m.minor, currency: m.currency } : null);
  return {
    amount: amount(r.amount),
    reimbursement_ids: [...r.reimbursementIds],
    items: r.items.map((i) => ({ amount: amount(i.amount), reimbursement_id: i.reimbursementId, fnsku: i.fnsku, sku: i.sku, order_id: i.orderId, shipment_id: i.shipmentId, quantity: i.quantity })),
    reason_code: r.reasonCode,
    action: r.action,
    needs: [...r.needs],
  };
}

/** A reply as the API shows it (GET /api/v1/filings/:id, the claim page, POST …/reply). */
export function replyJson(r: ReplyRow) {
  const reading = r.reading as { amount?: { amount_minor: number; currency: string } | null; reimbursement_ids?: string[]; reason_code?: string | null; needs?: string[] };
  return {
    id: r.id,
    received_at: r.receivedAt.toISOString(),
    text: r.text,
    outcome: r.outcome,
    amount: reading.amount ?? null,
    reimbursement_ids: reading.reimbursement_ids ?? [],
    reason_code: reading.reason_code ?? null,
    needs: reading.needs ?? [],
  };
}

/**
 * Amazon approved the claim's case in a reply and nothing is credited to the claim yet: what the
 * claim page says it waits for (the report's line). Null otherwise.
 */
export function approvalAwaitingPayout(replies: ReadonlyArray<ReturnType<typeof replyJson>>, caseId: string | null, credited: number): { caseId: string; amount: Money | null } | null {
  const last = [...replies].reverse().find((r) => r.outcome !== 'unclear');
  if (!caseId || credited > 0 || last?.outcome !== 'approved') return null;
  const a = last.amount;
  return { caseId, amount: a && isCurrency(a.currency) && Number.isSafeInteger(a.amount_minor) ? money(a.amount_minor, a.currency) : null };
}
