import type { ReimbursementRow } from '../rows.js';
import { amount, cell, currencyCode, dayParser, integer, optional, text } from './fields.js';
import type { TableFormat } from './table.js';

const columns = {
  approvalDate: { names: ['approval-date'], required: true },
  reimbursementId: { names: ['reimbursement-id'], required: true },
  orderId: { names: ['amazon-order-id', 'order-id'] },
  reason: { names: ['reason'], required: true },
  sku: { names: ['sku', 'seller-sku', 'msku'], required: true },
  fnsku: { names: ['fnsku'] },
  asin: { names: ['asin'] },
  currency: { names: ['currency-unit', 'currency'], required: true },
  amountPerUnit: { names: ['amount-per-unit'], required: true },
  quantityCash: { names: ['quantity-reimbursed-cash'], required: true },
  quantityInventory: { names: ['quantity-reimbursed-inventory'] },
  quantityTotal: { names: ['quantity-reimbursed-total'] },
  amountTotal: { names: ['amount-total'] },
  originalReimbursementId: { names: ['original-reimbursement-id'] },
} as const;

/** GET_FBA_REIMBURSEMENTS_DATA: reimbursements Amazon already approved. */
export function reimbursementsFormat(): TableFormat<keyof typeof columns, ReimbursementRow> {
  const day = dayParser();
  return {
    delimiter: '\t',
    columns,
    parse: (f, c, source) => {
      const currency = currencyCode(cell(f, c.currency), 'currency-unit');
      const quantityCash = integer(cell(f, c.quantityCash), 'quantity-reimbursed-cash', 0);
      const quantityInventory = integer(cell(f, c.quantityInventory), 'quantity-reimbursed-inventory', 0);
      const totalText = cell(f, c.amountTotal);
      return {
        source,
        day: day(cell(f, c.approvalDate), 'approval-date'),
        reimbursementId: text(cell(f, c.reimbursementId), 'reimbursement-id'),
        orderId: optional(cell(f, c.orderId)),
        reason: text(cell(f, c.reason), 'reason'),
        sku: text(cell(f, c.sku), 'sku'),
        fnsku: optional(cell(f, c.fnsku)),
        asin: optional(cell(f, c.asin)),
        amountPerUnit: amount(cell(f, c.amountPerUnit), currency, 'amount-per-unit'),
        quantityCash,
        quantityInventory,
        // Older downloads lack the total column; it is cash plus inventory.
        quantityTotal: integer(cell(f, c.quantityTotal), 'quantity-reimbursed-total', quantityCash + quantityInventory),
        amountTotal: totalText === '' ? undefined : amount(totalText, currency, 'amount-total'),
        originalReimbursementId: optional(cell(f, c.originalReimbursementId)),
      };
    },
  };
}
