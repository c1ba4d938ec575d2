import type { CostRow } from '../rows.js';

/**
 * The seller's unit costs. A SKU may have one cost per currency (one line per marketplace); a
 * claim takes the cost in its marketplace's currency when there is one, else the first listed.
 */
export class CostBook {
  private readonly bySku = new Map<string, CostRow[]>();

  readonly costs = (row: CostRow): void => {
    const list = this.bySku.get(row.sku);
    if (!list) this.bySku.set(row.sku, [row]);
    // A repeated SKU and currency: the later line corrects the earlier one.
    else {
      const i = list.findIndex((c) => c.unitCost.currency === row.unitCost.currency);
      if (i >= 0) list[i] = row;
      else list.push(row);
    }
  };

  get(sku: string, preferredCurrency?: string): CostRow | undefined {
    const list = this.bySku.get(sku);
    if (!list) return undefined;
    return (preferredCurrency && list.find((c) => c.unitCost.currency === preferredCurrency)) || list[0];
  }

  /** The cost in exactly this currency: comparing amounts across currencies would be meaningless. */
  inCurrency(sku: string, currency: string): CostRow | undefined {
    return this.bySku.get(sku)?.find((c) => c.unitCost.currency === currency);
  }
}
