// The evidence score of one claim, with its reasons as plain sentences. Pure and deterministic:
// the same claim and evidence always give the same score, so the learning capability's replay
// can call it too. The weights live in weights.ts.
import type { ReadItem } from './read/items.js';
import { formatMoney, type Money } from '../domain/money.js';
import { blendConfidence, type ApprovalEstimate, type ClaimScore, type EvidenceProfile } from '../domain/scoring.js';
import {
  CONFIRMED_BONUS,
  COST_TOLERANCE_BP,
  EVENT_NAME,
  UNKNOWN_VALUE_PENALTY,
  WINDOW_DAYS,
  weightsOf,
} from './weights.js';
import { dedupeLines, repeatSentences } from './dedupe-lines.js';

/** What the scorer needs of a claim (the claims row and its detection details). */
export interface ScorableClaim {
  readonly id: string;
  readonly type: string;
  readonly sku: string | null;
  readonly fnsku: string | null;
  readonly asin: string | null;
  readonly quantity: number;
  readonly amount: Money | null;
  /** YYYY-MM-DD. */
  readonly deadline: string | null;
  readonly key: Readonly<Record<string, string>>;
  /** 'sale_price_estimate' when detection valued the units at their sale price. */
  readonly valuation: string | null;
  /** Still inside Amazon's own reimbursement grace period (detection's `pending`): not to be filed yet. */
  readonly awaitingAmazon?: boolean;
  /** The claim's hold on filing (`details.hold.code`, src/domain/filing-holds.ts), if any. */
  readonly hold?: string | null;
}

/** A stored line item: what the reader read, with its row id. */
export interface EvidenceLine extends Omit<ReadItem, 'raw'> {
  readonly id: number;
}

export type EvidenceRole = 'invoice' | 'proof_of_delivery' | 'measurement_photo' | 'other';

/** One evidence file linked to the claim, with the items of it that support the claim. */
export interface LinkedEvidence {
  readonly fileId: string;
  readonly filename: string;
  readonly role: EvidenceRole;
  readonly items: readonly EvidenceLine[];
}

export interface ClaimEvidence {
  readonly links: readonly LinkedEvidence[];
  /** The seller confirmed the claim in a smart prompt. */
  readonly confirmed: boolean;
}

/** Points earned per part of the model (weights.ts), stored beside the score. */
export interface ScoreComponents {
  readonly amazon: number;
  readonly coverage: number;
  readonly cost: number;
  readonly date: number;
  readonly pod: number;
  readonly confirmed: number;
  readonly unknown_value: number;
}

export interface EvidenceScore extends ClaimScore {
  readonly components: ScoreComponents;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The day an event happened, from the claim's deadline and its type's window. */
export function eventDay(claim: Pick<ScorableClaim, 'type' | 'deadline'>): string | null {
  const window = (WINDOW_DAYS as Readonly<Record<string, number>>)[claim.type];
  if (!claim.deadline || window === undefined) return null;
  const t = Date.parse(`${claim.deadline}T00:00:00Z`);
  if (Number.isNaN(t)) return null;
  return new Date(t - window * 86_400_000).toISOString().slice(0, 10);
}

/** What Amazon's own data shows, in one sentence per claim type. */
export function amazonSentence(c: ScorableClaim): string {
  const units = `${c.quantity} unit${c.quantity === 1 ? '' : 's'} of ${c.sku ?? c.fnsku ?? '?'}`;
  switch (c.type) {
    case 'lost_warehouse':
      return `Amazon's inventory ledger shows ${units} lost in its warehouse`;
    case 'damaged_warehouse':
      return `Amazon's inventory ledger shows ${units} damaged in its warehouse`;
    case 'inbound_shortage':
      return `Amazon received ${units} fewer than were shipped in ${c.key.shipment_id ?? 'the shipment'}`;
    case 'removal_shortfall':
      return `Amazon's removal report shows ${units} missing from removal ${c.key.removal_order_id ?? '?'}`;
    case 'return_damaged':
      return `Amazon's returns report shows ${units} returned damaged by Amazon (order ${c.key.order_id ?? '?'})`;
    case 'refund_not_returned':
      return `Amazon refunded order ${c.key.order_id ?? '?'} for ${units} and no return arrived: Amazon's own reports prove it`;
    case 'fee_overcharge':
      return `Amazon's own settlement data shows the fulfilment fee of ${units} charged above the fee preview`;
    case 'underpaid_reimbursement':
      return `Amazon reimbursed ${units} below their unit cost (reimbursement ${c.key.reimbursement_id ?? '?'})`;
    case 'replacement_not_returned':
      return `Amazon shipped a replacement for order ${c.key.order_id ?? '?'} (${units}) and the original never came back: Amazon's own reports prove it`;
    case 'removal_lost_in_transit':
      return `Amazon's removal shipment report shows ${units} shipped in parcel ${c.key.tracking_number ?? '?'} that you did not receive`;
    case 'reimbursement_reversal':
      return `Amazon took back reimbursement ${c.key.reimbursement_id ?? '?'} (${units}) without the units ever being found`;
    default:
      return `Amazon's data shows a ${c.type} claim for ${units}`;
  }
}

/** Weighted average unit cost of items in one currency, rounded half-up to the minor unit. */
function averageCost(items: readonly EvidenceLine[]): Money | null | 'mixed' {
  const priced = items.filter((i) => i.unitCost && (i.quantity ?? 0) > 0);
  if (priced.length === 0) return null;
  const cur = priced[0]!.unitCost!.currency;
  if (priced.some((i) => i.unitCost!.currency !== cur)) return 'mixed';
  let total = 0n;
  let units = 0n;
  for (const i of priced) {
    total += BigInt(i.unitCost!.minor) * BigInt(i.quantity!);
    units += BigInt(i.quantity!);
  }
  return { minor: Number((total * 2n + units) / (units * 2n)), currency: cur };
}

function unitsOf(items: readonly EvidenceLine[]): number {
  return items.reduce((n, i) => n + Math.max(0, i.quantity ?? 0), 0);
}

const NOT_AT_COST = new Set(['underpaid_reimbursement', 'fee_overcharge', 'refund_not_returned', 'replacement_not_returned', 'reimbursement_reversal']);

/** The claim's value per unit, when detection valued it at the seller's unit cost. */
function claimedUnitCost(c: ScorableClaim): Money | null {
  if (!c.amount || c.quantity <= 0 || c.valuation === 'sale_price_estimate') return null;
  // Valued at something other than the seller's unit cost (a sale price, a fee, an amount reversed).
  if (NOT_AT_COST.has(c.type)) return null;
  return { minor: Math.round(c.amount.minor / c.quantity), currency: c.amount.currency };
}

function profileOf(hasInvoice: boolean, hasPod: boolean): EvidenceProfile {
  if (hasInvoice && hasPod) return 'invoice_and_pod';
  if (hasInvoice) return 'invoice';
  if (hasPod) return 'pod';
  return 'none';
}

/**
 * Scores one claim from the evidence linked to it. `learned` is the approval estimate for the
 * claim's type and evidence profile (see `profileFor`); `scoredAt` is recorded as given.
 */
export function scoreClaim(
  claim: ScorableClaim,
  evidence: ClaimEvidence,
  learned?: ApprovalEstimate,
  scoredAt = '1970-01-01T00:00:00.000Z',
): EvidenceScore {
  const w = weightsOf(claim.type);
  const reasons: string[] = [amazonSentence(claim)];
  const missing: string[] = [];
  const invoices = evidence.links.filter((l) => l.role === 'invoice' && l.items.length > 0);
  const pods = evidence.links.filter((l) => l.role === 'proof_of_delivery');
  // The same invoice line in several files (the invoice uploaded again) proves its units once.
  const proven = dedupeLines(invoices);
  const invoiceItems = proven.map((p) => p.line);
  const needsInvoice = w.coverage + w.cost + w.date > 0;
  const event = eventDay(claim);
  const eventName = EVENT_NAME[claim.type] ?? 'the event';
  let coverage = 0;
  let cost = 0;
  let date = 0;
  let pod = 0;
  let unknownValue = 0;
  let costConflict = false;

  if (!claim.amount) {
    unknownValue = -UNKNOWN_VALUE_PENALTY;
    reasons.push("the claim's value is unknown: no unit cost or sale price");
  }

  if (needsInvoice) {
    if (invoiceItems.length === 0) {
      reasons.push('no invoice');
      missing.push('upload_invoice');
    } else {
      // One sentence per invoice document: its units, unit cost and date against the event.
      const byDoc = new Map<string, EvidenceLine[]>();
      for (const { line, filename } of proven) byDoc.set(line.documentRef ?? filename, [...(byDoc.get(line.documentRef ?? filename) ?? []), line]);
      for (const [ref, items] of [...byDoc.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const avg = averageCost(items);
        const at = avg && avg !== 'mixed' ? ` at ${formatMoney(avg)}` : '';
        const dates = items.map((i) => i.date);
        const dated = !event || dates.some((d) => d === null)
          ? 'undated'
          : dates.every((d) => d! <= event)
            ? `dated before ${eventName}`
            : `dated after ${eventName}`;
        reasons.push(`invoice ${ref} covers ${unitsOf(items)} units of ${claim.sku ?? claim.fnsku ?? '?'}${at}, ${dated}`);
      }
      reasons.push(...repeatSentences(proven));
      const units = unitsOf(invoiceItems);
      const fraction = claim.quantity > 0 ? Math.min(1, units / claim.quantity) : 1;
      coverage = w.coverage * fraction;
      if (units < claim.quantity) {
        reasons.push(`invoices cover ${units} of the ${claim.quantity} units claimed`);
        missing.push('upload_invoice');
      }
      const invoiceCost = averageCost(invoiceItems);
      const claimed = claimedUnitCost(claim);
      if (invoiceCost === null) {
        reasons.push('the invoice shows no unit cost');
      } else if (invoiceCost === 'mixed') {
        reasons.push('the invoices are in several currencies');
      } else if (claimed && invoiceCost.currency !== claimed.currency) {
        reasons.push(`the invoice is in ${invoiceCost.currency}, the claim in ${claimed.currency}`);
      } else if (claimed) {
        const diff = Math.abs(invoiceCost.minor - claimed.minor);
        if (diff * 10_000 <= COST_TOLERANCE_BP * claimed.minor) {
          cost = w.cost;
          reasons.push(`the invoice unit cost ${formatMoney(invoiceCost)} matches the claimed ${formatMoney(claimed)}`);
        } else {
          // The claim's own evidence contradicts its value: Amazon pays what the invoice proves, so
          // the claim is not filed until the cost is right (the penalty below, and the cap on
          // learning lifting it).
          cost = -w.cost;
          costConflict = true;
          missing.push('check_cost');
          reasons.push(`the invoice unit cost ${formatMoney(invoiceCost)} differs from the claimed ${formatMoney(claimed)} by more than ${COST_TOLERANCE_BP / 100}%`);
        }
      } else {
        // Nothing to compare with (a sale-price estimate, an underpaid reimbursement): the
        // invoice is what establishes the cost.
        cost = w.cost;
        reasons.push(`the invoice shows the unit cost: ${formatMoney(invoiceCost)}`);
      }
      if (event) {
        const before = unitsOf(invoiceItems.filter((i) => i.date !== null && i.date <= event));
        date = units > 0 ? w.date * Math.min(1, before / units) : 0;
      }
    }
  }

  if (w.pod > 0) {
    if (pods.length === 0) {
      reasons.push('no proof of delivery');
      missing.push('upload_proof_of_delivery');
    } else {
      pod = w.pod;
      const refs = [...new Set(pods.map((p) => p.items.find((i) => i.documentRef)?.documentRef ?? p.filename))].sort();
      reasons.push(`proof of delivery ${refs.join(', ')} for ${claim.key.shipment_id ?? 'the shipment'}`);
    }
  }

  const confirmed = evidence.confirmed ? CONFIRMED_BONUS : 0;
  if (evidence.confirmed) reasons.push('you confirmed the claim');
  else missing.push('confirm');

  const components: ScoreComponents = {
    amazon: round4(w.amazon),
    coverage: round4(coverage),
    cost: round4(cost),
    date: round4(date),
    pod: round4(pod),
    confirmed: round4(confirmed),
    unknown_value: round4(unknownValue),
  };
  const sum = (Object.values(components) as number[]).reduce((a, b) => a + b, 0);
  const score = Math.min(1, Math.max(0, round4(sum)));
  if (learned) {
    const n = learned.approved + learned.rejected;
    reasons.push(`Amazon approved ${learned.approved} of ${n} past ${claim.type} claims with this evidence`);
  }
  if (claim.awaitingAmazon) reasons.push("inside Amazon's own reimbursement grace period: Clario files only if Amazon has not paid by its end");
  return {
    version: 1,
    evidence: score,
    profile: profileOf(invoiceItems.length > 0, pods.length > 0),
    learned: learned ?? null,
    // Past approvals of similar claims say nothing about this one's wrong value.
    confidence: costConflict ? Math.min(score, blendConfidence(score, learned)) : blendConfidence(score, learned),
    reasons,
    missing: [...new Set(missing)],
    scoredAt,
    components,
  };
}

/** The evidence profile the learning model is keyed by, before scoring (to look the estimate up). */
export function profileFor(evidence: ClaimEvidence): EvidenceProfile {
  return profileOf(
    evidence.links.some((l) => l.role === 'invoice' && l.items.length > 0),
    evidence.links.some((l) => l.role === 'proof_of_delivery'),
  );
}
