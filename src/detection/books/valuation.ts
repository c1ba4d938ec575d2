import { multiply, type Money } from '../../domain/money.js';
import type { SourceRef } from '../types.js';
import type { CostBook } from './cost-book.js';
import type { SalePriceBook } from './sale-price-book.js';

export interface Valuation {
  readonly amount: Money | null;
  readonly valuation?: 'sale_price_estimate';
  /** The cost line the amount rests on, if any. */
  readonly sources: readonly SourceRef[];
}

/**
 * Units × the seller's unit cost (Amazon reimburses manufacturing cost); else × the average sale
 * price, said to be an estimate; else unknown (null) rather than a made-up figure.
 */
export function valueAtCost(
  books: { readonly costs: CostBook; readonly salePrices: SalePriceBook },
  sku: string,
  units: number,
  preferredCurrency?: string,
): Valuation {
  const cost = books.costs.get(sku, preferredCurrency);
  if (cost) return { amount: times(cost.unitCost, units), sources: [cost.source] };
  const average = books.salePrices.average(sku, preferredCurrency);
  if (average) {
    const amount = times(average, units);
    return amount ? { amount, valuation: 'sale_price_estimate', sources: [] } : { amount: null, sources: [] };
  }
  return { amount: null, sources: [] };
}

/**
 * The product, or unknown (null) when it is past what minor units can hold exactly: only absurd
 * rows get there (a quantity of 10^14 units, a cost of 10^12 dollars), and they must not stop the
 * run, nor be given a made-up value.
 */
function times(unit: Money, units: number): Money | null {
  return Number.isSafeInteger(unit.minor * units) ? multiply(unit, units) : null;
}
