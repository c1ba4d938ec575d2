import type { FeePreviewRow } from '../rows.js';
import { amount, cell, currencyCode, optional, text } from './fields.js';
import type { TableFormat } from './table.js';

const columns = {
  sku: { names: ['sku', 'seller-sku', 'msku'], required: true },
  fnsku: { names: ['fnsku'] },
  asin: { names: ['asin'] },
  currency: { names: ['currency'], required: true },
  // The current fee: NA spells it "fulfillment", EU "domestic fulfilment". The estimated-future-*
  // columns are next year's rate card and must not be matched.
  expectedFee: {
    names: ['expected-fulfillment-fee-per-unit', 'expected-fulfilment-fee-per-unit', 'expected-domestic-fulfilment-fee-per-unit', 'expected-domestic-fulfillment-fee-per-unit'],
    required: true,
  },
} as const;

/** GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA: the fee preview. */
export function feePreviewFormat(): TableFormat<keyof typeof columns, FeePreviewRow> {
  return {
    delimiter: '\t',
    columns,
    parse: (f, c, source) => {
      const currency = currencyCode(cell(f, c.currency), 'currency');
      return {
        source,
        sku: text(cell(f, c.sku), 'sku'),
        fnsku: optional(cell(f, c.fnsku)),
        asin: optional(cell(f, c.asin)),
        expectedFee: amount(cell(f, c.expectedFee), currency, 'expected-fulfillment-fee-per-unit'),
      };
    },
  };
}
