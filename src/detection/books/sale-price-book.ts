import { money, type Currency, type Money } from '../../domain/money.js';
import type { CustomerShipmentRow } from '../rows.js';

interface Tally {
  currency: Currency;
  totalMinor: number;
  units: number;
}

/**
 * Average sale price per unit of each SKU and currency from the customer shipments report, the
 * fallback value of a unit whose cost the seller has not given. Aggregated while streaming.
 */
export class SalePriceBook {
  private readonly bySku = new Map<string, Tally[]>();

  readonly customerShipments = (row: CustomerShipmentRow): void => {
    // Free replacements ship at price 0 and would drag the average down: they are not sales.
    if (row.quantity <= 0 || row.itemPrice.minor <= 0) return;
    let list = this.bySku.get(row.sku);
    if (!list) this.bySku.set(row.sku, (list = []));
    let tally = list.find((t) => t.currency === row.itemPrice.currency);
    if (!tally) list.push((tally = { currency: row.itemPrice.currency, totalMinor: 0, units: 0 }));
    tally.totalMinor += row.itemPrice.minor;
    tally.units += row.quantity;
  };

  /** Rounded half-up to the minor unit; the preferred currency when sold in it, else the most-sold one. */
  average(sku: string, preferredCurrency?: string): Money | undefined {
    const list = this.bySku.get(sku);
    if (!list || list.length === 0) return undefined;
    const tally =
      (preferredCurrency && list.find((t) => t.currency === preferredCurrency)) ||
      list.reduce((best, t) => (t.units > best.units ? t : best));
    return money(Math.floor((2 * tally.totalMinor + tally.units) / (2 * tally.units)), tally.currency);
  }
}
