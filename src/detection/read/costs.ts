import type { CostRow } from '../rows.js';
import { amount, cell, currencyCode, RowError, text } from './fields.js';
import type { TableFormat } from './table.js';

const columns = {
  sku: { names: ['sku', 'seller-sku', 'msku'], required: true },
  // manufacturing_cost is Amazon's name for it since 2025; unit_cost is the older header.
  unitCost: { names: ['unit_cost', 'manufacturing_cost', 'cost'], required: true },
  currency: { names: ['currency'], required: true },
} as const;

/** costs.csv: the seller's manufacturing cost per unit, `sku,unit_cost,currency` (or `manufacturing_cost`). */
export function costsFormat(): TableFormat<keyof typeof columns, CostRow> {
  return {
    delimiter: ',',
    columns,
    parse: (f, c, source) => {
      const currency = currencyCode(cell(f, c.currency), 'currency');
      const unitCost = amount(cell(f, c.unitCost), currency, 'unit_cost');
      // A cost of nothing, or less, would value a lost unit at nothing or less.
      if (unitCost.minor <= 0) throw new RowError(`unit_cost is not more than 0: ${JSON.stringify(cell(f, c.unitCost))}`);
      return { source, sku: text(cell(f, c.sku), 'sku'), unitCost };
    },
  };
}
