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
  if (cost) return { amount: multiply(cost.unitCost, units), sources: [cost.source] };
  const average = books.salePrices.average(sku, preferredCurrency);
  if (average) return { amount: multiply(average, units), valuation: 'sale_price_estimate', sources: [] };
  return { amount: null, sources: [] };
}
