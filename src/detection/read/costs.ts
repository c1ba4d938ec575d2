import type { CostRow } from '../rows.js';
import { amount, cell, currencyCode, text } from './fields.js';
import type { TableFormat } from './table.js';

const columns = {
  sku: { names: ['sku', 'seller-sku', 'msku'], required: true },
  unitCost: { names: ['unit_cost', 'cost'], required: true },
  currency: { names: ['currency'], required: true },
} as const;

/** costs.csv: the seller's unit costs, `sku,unit_cost,currency`. */
export function costsFormat(): TableFormat<keyof typeof columns, CostRow> {
  return {
    delimiter: ',',
    columns,
    parse: (f, c, source) => {
      const currency = currencyCode(cell(f, c.currency), 'currency');
      return { source, sku: text(cell(f, c.sku), 'sku'), unitCost: amount(cell(f, c.unitCost), currency, 'unit_cost') };
    },
  };
}
