import { add, money, type Money } from '../../domain/money.js';
import { reasonKey } from '../books/reimbursed-units.js';
import { makeClaim } from '../make-claim.js';
import { formatDay } from '../days.js';
import type { ReimbursementRow } from '../rows.js';
import type { Claim, Day, SourceRef } from '../types.js';
import { isAdjustment } from './ledger-events.js';
import type { Rule } from './rule.js';

const REVERSAL = 'reimbursementreversal';
const FOUND_REASONS = new Set(['F', 'N']);

interface Original {
  day: Day;
  readonly fnsku: string | undefined;
  readonly sku: string;
  readonly source: SourceRef;
}

interface Reversal {
  readonly id: string;
  readonly originalId: string;
  readonly rows: ReimbursementRow[];
  day: Day;
  /** Negative: what Amazon took back. */
  amount: Money;
  units: number;
  /** A found row (F or N) of the FNSKU between the two approvals: the units turned up, the reversal stands. */
  found: boolean;
}

/** What a reversal line takes back, signed: amount-total, else amount per unit × units. */
function reversedAmount(row: ReimbursementRow): Money {
  if (row.amountTotal) return row.amountTotal;
  const units = Math.abs(row.quantityCash) || 1;
  return money(-Math.abs(row.amountPerUnit.minor) * units, row.amountPerUnit.currency);
}

/**
 * reimbursement_reversal: Amazon took a reimbursement back (a Reimbursement_Reversal line naming
 * one of this seller's reimbursements) although the ledger never shows the units found (no F or
 * N row of the FNSKU between the original's approval and the reversal's, both days included).
 */
export const reimbursementReversal: Rule = {
  type: 'reimbursement_reversal',
  // Without the ledger a reversal for units that did turn up would look wrong.
  needs: ['reimbursements', 'ledger'],
  start(ctx) {
    const cfg = ctx.config.reimbursementReversal;
    const originals = new Map<string, Original>();
    const reversals = new Map<string, Reversal>();
    // Built when the ledger starts (reimbursements come first, SOURCE_ORDER): FNSKU (or SKU) → reversals to check.
    let watched: Map<string, Reversal[]> | undefined;

    const watch = (): Map<string, Reversal[]> => {
      const map = new Map<string, Reversal[]>();
      for (const r of reversals.values()) {
        const original = originals.get(r.originalId);
        if (!original) continue;
        const first = r.rows[0];
        const fnsku = first?.fnsku ?? original.fnsku;
        const key = fnsku ? `f:${fnsku}` : `s:${first?.sku ?? original.sku}`;
        const list = map.get(key);
        if (list) list.push(r);
        else map.set(key, [r]);
      }
      return map;
    };

    return {
      reimbursements(row) {
        if (row.day > ctx.asOf) return;
        if (reasonKey(row.reason) !== REVERSAL) {
          const known = originals.get(row.reimbursementId);
          if (!known) originals.set(row.reimbursementId, { day: row.day, fnsku: row.fnsku, sku: row.sku, source: row.source });
          else known.day = Math.min(known.day, row.day);
          return;
        }
        const amount = reversedAmount(row);
        // A reversal line that gives money back is no take-back; one without an original cannot be checked.
        if (amount.minor >= 0 || !row.originalReimbursementId) return;
        const r = reversals.get(row.reimbursementId);
        if (!r) {
          reversals.set(row.reimbursementId, {
            id: row.reimbursementId,
            originalId: row.originalReimbursementId,
            rows: [row],
            day: row.day,
            amount,
            units: Math.abs(row.quantityTotal),
            found: false,
          });
          return;
        }
        if (r.amount.currency !== amount.currency) {
          ctx.diagnose({ ...row.source, message: `reversal ${row.reimbursementId} mixes ${r.amount.currency} and ${amount.currency}; this line is ignored` });
          return;
        }
        r.rows.push(row);
        r.day = Math.min(r.day, row.day);
        r.amount = add(r.amount, amount);
        r.units += Math.abs(row.quantityTotal);
      },
      ledger(row) {
        if (row.quantity <= 0 || row.day > ctx.asOf || !FOUND_REASONS.has(row.reason.toUpperCase()) || !isAdjustment(row)) return;
        watched ??= watch();
        if (watched.size === 0) return;
        for (const r of [...(watched.get(`f:${row.fnsku}`) ?? []), ...(watched.get(`s:${row.sku}`) ?? [])]) {
          const original = originals.get(r.originalId);
          if (!original) continue;
          const [from, to] = original.day <= r.day ? [original.day, r.day] : [r.day, original.day];
          if (row.day >= from && row.day <= to) r.found = true;
        }
      },
      finish(books) {
        const claims: Claim[] = [];
        for (const r of reversals.values()) {
          const original = originals.get(r.originalId);
          const first = r.rows[0];
          if (!original || !first || r.found) continue;
          const fnsku = first.fnsku ?? original.fnsku ?? books.catalog.fnskuOf(first.sku);
          claims.push(
            makeClaim(ctx.asOf, {
              type: 'reimbursement_reversal',
              sku: first.sku,
              fnsku,
              asin: first.asin ?? books.catalog.asinOf(fnsku, first.sku),
              quantity: r.units,
              amount: money(-r.amount.minor, r.amount.currency),
              deadline: r.day + cfg.deadlineDays,
              key: { reimbursement_id: r.id },
              sources: [...r.rows.map((row) => row.source), original.source],
              eventDay: r.day,
              facts: { order_id: first.orderId, original_reimbursement_id: r.originalId, original_approval_date: formatDay(original.day) },
            }),
          );
        }
        return claims;
      },
    };
  },
};
