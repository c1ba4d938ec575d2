// Matches reimbursements to Clario's cases and credits them. Every line is stored; only a line
// whose case id is a case Clario filed (or a reversal of such a line) is attributed and triggers
// phase 7. Amazon's own reimbursements are stored with attributed=false and never billed.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { filings, reimbursements } from '../store/schema.js';
import type { Engine } from '../workflow/engine.js';
import { claimsOf, findFilingByCase } from '../filing/filings.js';
import { caseItem } from '../filing/write-case.js';
import { isReversal, lineKey, payoutId, type ReimbursementLine } from './reimbursement-line.js';

export interface Credit {
  readonly payoutId: string;
  readonly attributed: boolean;
  readonly claimId: string | null;
  readonly caseId: string | null;
  readonly kind: 'reimbursement' | 'reversal';
  /** The phase 7 event, when one was accepted (or found: duplicate). */
  readonly eventId?: string;
}

interface Attribution {
  readonly caseId: string | null;
  readonly claimId: string | null;
  readonly attributed: boolean;
  readonly reverses?: string;
}

/** The claim of the filing this line pays: by FNSKU, then SKU, then the only claim. */
async function claimFor(db: Db, userId: string, caseId: string, l: ReimbursementLine): Promise<{ filed: boolean; claimId: string | null }> {
  const filing = await findFilingByCase(db, caseId);
  if (!filing || filing.userId !== userId) return { filed: false, claimId: null };
  const items = (await claimsOf(db, filing)).map(caseItem);
  const match =
    (l.fnsku ? items.find((i) => i.fnsku === l.fnsku) : undefined) ??
    (l.sku ? items.find((i) => i.sku === l.sku && (!l.orderId || !i.order_id || i.order_id === l.orderId)) : undefined) ??
    (items.length === 1 ? items[0] : undefined);
  return { filed: true, claimId: match?.claim_id ?? null };
}

async function attribute(db: Db, userId: string, l: ReimbursementLine): Promise<Attribution> {
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
      };
    }
  }
  if (!l.caseId) return { caseId: null, claimId: null, attributed: false };
  const { filed, claimId } = await claimFor(db, userId, l.caseId, l);
  return { caseId: l.caseId, claimId, attributed: filed };
}

/**
 * Credits one line: phase 7 first (idempotent per payout id), then the stored row, so a crash in
 * between only repeats the trigger. Returns what was decided.
 */
export async function creditLine(o: { db: Db; engine: Engine }, userId: string, l: ReimbursementLine): Promise<Credit> {
  const a = await attribute(o.db, userId, l);
  const key = lineKey(l);
  const id = payoutId(l.reimbursementId, key);
  const kind = isReversal(l) ? 'reversal' : 'reimbursement';
  let eventId: string | undefined;
  if (a.attributed && a.claimId && a.caseId) {
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
    const accepted = await o.engine.accept({
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
  await o.db
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
      raw,
    })
    .onConflictDoUpdate({
      target: [reimbursements.userId, reimbursements.reimbursementId, reimbursements.lineKey],
      // A line first seen through the case API gets the report's columns (and its seq) later.
      set: {
        caseId: a.caseId,
        claimId: a.claimId,
        attributed: a.attributed,
        raw: l.lineSeq !== null ? raw : sql`${reimbursements.raw}`,
      },
    });
  if (a.attributed && a.caseId && kind === 'reimbursement') {
    await o.db.update(filings).set({ status: 'approved', decidedAt: sql`coalesce(${filings.decidedAt}, now())` }).where(and(eq(filings.caseId, a.caseId), eq(filings.status, 'filed')));
  }
  return { payoutId: id, attributed: a.attributed, claimId: a.claimId, caseId: a.caseId, kind, ...(eventId ? { eventId } : {}) };
}
