import { currencyOfCountry } from '../books/marketplace-currency.js';
import { ReimbursedUnits } from '../books/reimbursed-units.js';
import { valueAtCost } from '../books/valuation.js';
import { makeClaim } from '../make-claim.js';
import type { Books } from './rule.js';
import type { Claim, Day } from '../types.js';
import { firstOf, reconcile, unreconciledOf, type EventsByFnsku, type Recovery } from './ledger-events.js';

export interface EventClaimsOptions {
  readonly type: 'lost_warehouse' | 'damaged_warehouse';
  readonly asOf: Day;
  readonly deadlineDays: number;
  /** Amazon's own grace period: a claim filed before it ends is refused. */
  readonly graceDays?: number | undefined;
  /** What recovered this FNSKU's units (found again, reimbursed) on or after `from`. */
  readonly recoveries: (fnsku: string, keys: readonly string[], from: Day) => readonly Recovery[];
}

/**
 * One claim per warehouse event (lost or damaged) with units left once the recoveries are applied
 * oldest first, carrying what Amazon's claim form asks for: the Transaction Item ID, the
 * fulfilment centre and the event date.
 */
export function eventClaims(events: EventsByFnsku, books: Books, rule: EventClaimsOptions): Claim[] {
  const claims: Claim[] = [];
  for (const { fnsku, events: list } of events.byFnsku()) {
    const skus = new Set(list.flatMap((e) => e.rows.map((r) => r.sku)));
    const keys = [...new Set([...skus].flatMap((sku) => ReimbursedUnits.keys(fnsku, sku)))];
    const recoveries = rule.recoveries(fnsku, keys, list[0]?.day ?? rule.asOf);
    for (const { event, remaining, covered } of reconcile(list, recoveries)) {
      const first = event.rows[0];
      if (remaining <= 0 || !first) continue;
      const value = valueAtCost(books, first.sku, remaining, currencyOfCountry(firstOf(event, 'country')));
      claims.push(
        makeClaim(rule.asOf, {
          type: rule.type,
          sku: first.sku,
          fnsku,
          asin: books.catalog.asinOf(fnsku, first.sku),
          quantity: remaining,
          amount: value.amount,
          valuation: value.valuation,
          deadline: event.day + rule.deadlineDays,
          pendingUntil: rule.graceDays === undefined ? undefined : event.day + rule.graceDays,
          key: { fnsku, reference_id: event.referenceId },
          sources: [...event.rows.map((r) => r.source), ...covered.map((r) => r.source), ...value.sources],
          eventDay: event.day,
          facts: {
            transaction_item_id: first.referenceId,
            fulfillment_center: firstOf(event, 'fulfillmentCenter'),
            disposition: firstOf(event, 'disposition'),
            unreconciled_quantity: unreconciledOf(event),
          },
        }),
      );
    }
  }
  return claims;
}
