import { money, type Currency, type Money } from '../../domain/money.js';
import type { CustomerShipmentRow } from '../rows.js';
import type { SourceRef } from '../types.js';

interface Tally {
  currency: Currency;
  totalMinor: number;
  units: number;
  readonly sources: SourceRef[];
}

/**
 * The sale price of a few orders, from the customer shipments report. Only the order lines asked
 * for with `want` (before the report is read: it comes last in SOURCE_ORDER) are kept, so memory
 * follows the candidate claims, not the report.
 */
export class OrderPrices {
  private readonly tallies = new Map<string, Tally | null>();

  want(orderId: string, sku: string): void {
    const id = `${orderId}\u0000${sku}`;
    if (!this.tallies.has(id)) this.tallies.set(id, null);
  }

  readonly customerShipments = (row: CustomerShipmentRow): void => {
    const id = `${row.orderId}\u0000${row.sku}`;
    if (row.quantity <= 0 || !this.tallies.has(id)) return;
    let tally = this.tallies.get(id);
    if (!tally) this.tallies.set(id, (tally = { currency: row.itemPrice.currency, totalMinor: 0, units: 0, sources: [] }));
    if (tally.currency !== row.itemPrice.currency) return;
    tally.totalMinor += row.itemPrice.minor;
    tally.units += row.quantity;
    tally.sources.push(row.source);
  };

  /** `units` × the order's price per unit, rounded half-up once; undefined when the order was not sold at a price. */
  value(orderId: string, sku: string, units: number): { readonly amount: Money; readonly sources: readonly SourceRef[] } | undefined {
    const tally = this.tallies.get(`${orderId}\u0000${sku}`);
    if (!tally || tally.totalMinor <= 0) return undefined;
    return { amount: money(Math.floor((2 * tally.totalMinor * units + tally.units) / (2 * tally.units)), tally.currency), sources: tally.sources };
  }
}
