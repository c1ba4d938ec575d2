// Matches reimbursements to Clario's cases and credits them. Every line is stored; only a line
// whose case id is a case Clario filed (or a reversal of such a line) is attributed, and it
// triggers phase 7 for the one claim of the case it pays. A line on Clario's case that pays no
// single claim is stored attributed with its unmatched_reason: parked for an operator (GET
// /api/v1/ops/payouts/unmatched), no phase 7, nothing charged. Amazon's own reimbursements are
// stored with attributed=false and never billed.
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { matchPayout, type PayableClaim } from '../domain/match-payout.js';
import { rows, type Db } from '../store/db.js';
import { reimbursements } from '../store/schema/payouts-tables.js';
import type { Engine } from '../workflow/engine.js';
import { claimsOf, findFilingByCase, markDecided } from '../filing/filings.js';
import { caseItem } from '../filing/write-case.js';
import { isReversal, lineKey, payoutId, REPLY_LINE_KEY, REPLY_SOURCE, type ReimbursementLine } from './reimbursement-line.js';

export interface Credit {
  readonly payoutId: string;
  readonly attributed: boolean;
  readonly claimId: string | null;
  readonly caseId: string | null;
  readonly kind: 'reimbursement' | 'reversal';
  /** The phase 7 event, when one was accepted (or found: duplicate). */
  readonly eventId?: string;
  /** Why a line on Clario's case was parked for an operator instead of credited. */
  readonly unmatched?: string;
}

interface Attribution {
  readonly caseId: string | null;
  readonly claimId: string | null;
  readonly attributed: boolean;
  readonly reverses?: string;
  /** On one of Clario's cases, but parked for an operator: why no claim could be credited. */
  readonly unmatched?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Units each claim was already paid by other lines (net of reversals); unknown quantities count one. */
async function paidUnits(db: Db, userId: string, claimIds: readonly string[], except: { reimbursementId: string; lineKey: string }): Promise<Map<string, number>> {
  if (claimIds.length === 0) return new Map();
  const found = await rows<{ claim_id: string; units: string }>(
    db,
    sql`SELECT claim_id, SUM(CASE WHEN kind = 'reversal' THEN -abs(coalesce(quantity, 1)) ELSE coalesce(quantity, 1) END)::text AS units
        FROM reimbursements
        WHERE user_id = ${userId} AND attributed AND unmatched_reason IS NULL
          AND claim_id IN (${sql.join(claimIds.map((id) => sql`${id}`), sql`, `)})
          AND NOT (reimbursement_id = ${except.reimbursementId} AND line_key = ${except.lineKey})
        GROUP BY claim_id`,
  );
  return new Map(found.map((r) => [r.claim_id, Math.max(0, Number(r.units))]));
}

/**
 * The claim of the case this line pays, matched on what the line names (src/domain/match-payout.ts).
 * A line already credited keeps its claim: the phase 7 event it started names it.
 */
async function claimFor(db: Db, userId: string, caseId: string, l: ReimbursementLine, key: string): Promise<{ filed: boolean; claimId: string | null; unmatched?: string }> {
  const filing = await findFilingByCase(db, userId, caseId);
  if (!filing) return { filed: false, claimId: null };
  const [stored] = await db
    .select({ claimId: reimbursements.claimId, caseId: reimbursements.caseId })
    .from(reimbursements)
    .where(and(eq(reimbursements.userId, userId), eq(reimbursements.reimbursementId, l.reimbursementId), eq(reimbursements.lineKey, key)));
  if (stored?.claimId && stored.caseId === caseId) return { filed: true, claimId: stored.claimId };
  const caseClaims = await claimsOf(db, filing);
  const paid = await paidUnits(db, userId, caseClaims.map((c) => c.id), { reimbursementId: l.reimbursementId, lineKey: key });
  const payable: PayableClaim[] = caseClaims.map((c) => {
    const item = caseItem(c);
    const claimKey = (c.details?.key ?? {}) as Record<string, unknown>;
    return {
      claimId: c.id,
      orderId: item.order_id,
      shipmentId: item.shipment_id,
      transactionItemId: text(c.details?.transaction_item_id) ?? text(claimKey.transaction_item_id),
      fnsku: item.fnsku,
      sku: item.sku,
      units: item.quantity,
      paidUnits: paid.get(c.id) ?? 0,
    };
  });
  const names = { orderId: l.orderId, shipmentId: l.shipmentId ?? null, transactionItemId: l.transactionItemId ?? null, fnsku: l.fnsku, sku: l.sku, quantity: l.quantity };
  const m = matchPayout(names, payable);
  return 'claimId' in m ? { filed: true, claimId: m.claimId } : { filed: true, claimId: null, unmatched: m.unmatched };
}

/**
 * The line's key. A reimbursement id that Amazon named in a reply on the case, and that Clario
 * credited from it, is that payout: the report's line for it takes the reply's key, so phase 7 sees
 * the same payout id (credited once, one fee). A reply's line that was parked (it paid no single
 * claim) is only a placeholder: the report's own lines say which claims it pays, and replace it.
 */
async function keyFor(db: Db, userId: string, l: ReimbursementLine): Promise<string> {
  if (l.raw.source === REPLY_SOURCE) return REPLY_LINE_KEY;
  const own = lineKey(l);
  const fromReply = await db
    .select({ lineKey: reimbursements.lineKey, claimId: reimbursements.claimId, sku: reimbursements.sku, fnsku: reimbursements.fnsku })
    .from(reimbursements)
    .where(and(eq(reimbursements.userId, userId), eq(reimbursements.reimbursementId, l.reimbursementId), sql`${reimbursements.raw}->>'source' = ${REPLY_SOURCE}`));
  if (fromReply.length === 0) return own;
  const credited = fromReply.filter((r) => r.claimId !== null);
  if (credited.length < fromReply.length) {
    await db
      .delete(reimbursements)
      .where(and(eq(reimbursements.userId, userId), eq(reimbursements.reimbursementId, l.reimbursementId), sql`${reimbursements.raw}->>'source' = ${REPLY_SOURCE}`, isNull(reimbursements.claimId), isNotNull(reimbursements.unmatchedReason)));
  }
  const named = credited.length === 1 ? credited : credited.filter((r) => (l.fnsku !== null && r.fnsku === l.fnsku) || (l.sku !== null && r.sku === l.sku));
  return named.length === 1 ? (named[0] as { lineKey: string }).lineKey : own;
}

async function attribute(db: Db, userId: string, l: ReimbursementLine, key: string): Promise<Attribution> {
  if (isReversal(l) && l.originalReimbursementId) {
    // A reversal may not repeat the case id; it follows the line it takes back.
    const originals = await db
      .select()
      .from(reimbursements)
      .where(and(eq(reimbursements.userId, userId), eq(reimbursements.reimbursementId, l.originalReimbursementId)));
    const key = lineKey(l);
    const original = originals.find((o) => o.lineKey === key) ?? originals.find((o) => (l.fnsku && o.fnsku === l.fnsku) || (l.sku && o.sku === l.sku)) ?? (originals.length === 1 ? originals[0] : undefined);
    if (original) {
      return {
        caseId: original.caseId,
        claimId: original.claimId,
        attributed: original.attributed,
        reverses: payoutId(original.reimbursementId, original.lineKey),
        ...(original.unmatchedReason ? { unmatched: `it reverses ${original.reimbursementId}, which is parked: ${original.unmatchedReason}` } : {}),
      };
    }
  }
  if (!l.caseId) return { caseId: null, claimId: null, attributed: false };
  const { filed, claimId, unmatched } = await claimFor(db, userId, l.caseId, l, key);
  return { caseId: l.caseId, claimId, attributed: filed, ...(unmatched ? { unmatched } : {}) };
}

/**
 * Credits one line: phase 7 first (idempotent per payout id), then the stored row, so a crash in
 * between only repeats the trigger. Returns what was decided.
 */
export async function creditLine(deps: { db: Db; engine: Engine }, userId: string, l: ReimbursementLine): Promise<Credit> {
  const key = await keyFor(deps.db, userId, l);
  const a = await attribute(deps.db, userId, l, key);
  const id = payoutId(l.reimbursementId, key);
  const kind = isReversal(l) ? 'reversal' : 'reimbursement';
  let eventId: string | undefined;
  if (a.attributed && a.claimId && a.caseId && !a.unmatched) {
    const payload = {
      user_id: userId,
      claim_id: a.claimId,
      case_id: a.caseId,
      payout_id: id,
      amount_minor: l.amountMinor,
      currency: l.currency,
      kind,
      ...(a.reverses ? { reverses: a.reverses } : {}),
    };
    const accepted = await deps.engine.accept({
      phase: 7,
      userId,
      claimId: a.claimId,
      caseId: a.caseId,
      payload,
      idempotencyKey: `payout:${id}`,
      // The payout id alone: the case API and the report describe one payout, and whichever came
      // first is the one phase 7 settles; a second sighting must be a duplicate, never a conflict.
      requestHash: `payout:${id}`,
      source: 'internal',
    });
    eventId = accepted.eventId;
  }
  const raw = { ...l.raw, ...(l.lineSeq !== null ? { line_seq: l.lineSeq } : {}) };
  await deps.db
    .insert(reimbursements)
    .values({
      userId,
      reimbursementId: l.reimbursementId,
      lineKey: key,
      caseId: a.caseId,
      claimId: a.claimId,
      kind,
      reason: l.reason,
      sku: l.sku,
      fnsku: l.fnsku,
      quantity: l.quantity,
      amountMinor: l.amountMinor,
      currency: l.currency,
      approvalDate: l.approvalDate,
      originalReimbursementId: l.originalReimbursementId,
      attributed: a.attributed,
      unmatchedReason: a.unmatched ?? null,
      raw,
    })
    .onConflictDoUpdate({
      target: [reimbursements.userId, reimbursements.reimbursementId, reimbursements.lineKey],
      // A line first seen through the case API or a reply gets the report's columns (and its seq)
      // later; a reply's mark stays, so the report's further lines of that id find it too. What the
      // report adds (Amazon's reason, the approval date, units) fills in only what was unknown: the
      // amount, and the claim the payout was credited to, stay what phase 7 settled.
      set: {
        caseId: a.caseId,
        claimId: a.claimId,
        attributed: a.attributed,
        unmatchedReason: a.unmatched ?? null,
        reason: sql`coalesce(${reimbursements.reason}, excluded.reason)`,
        approvalDate: sql`coalesce(${reimbursements.approvalDate}, excluded.approval_date)`,
        sku: sql`coalesce(${reimbursements.sku}, excluded.sku)`,
        fnsku: sql`coalesce(${reimbursements.fnsku}, excluded.fnsku)`,
        quantity: sql`coalesce(${reimbursements.quantity}, excluded.quantity)`,
        originalReimbursementId: sql`coalesce(${reimbursements.originalReimbursementId}, excluded.original_reimbursement_id)`,
        raw: l.lineSeq !== null ? sql`${reimbursements.raw} || ${JSON.stringify(raw)}::jsonb` : sql`${reimbursements.raw}`,
      },
    });
  if (a.attributed && a.caseId && kind === 'reimbursement') {
    await markDecided(deps.db, { userId, caseId: a.caseId }, 'approved');
  }
  return { payoutId: id, attributed: a.attributed, claimId: a.claimId, caseId: a.caseId, kind, ...(eventId ? { eventId } : {}), ...(a.unmatched ? { unmatched: a.unmatched } : {}) };
}
