// Amazon's own names for the reports a claim rests on, as Seller Central shows them. Clario keeps
// each report under a file name of its own (the report type, or a name for an API's answers):
// those names mean nothing to an agent at Amazon and never appear in a case. Pure.
import { SOURCE_FILES } from '../detection/read/folder.js';

const NAMES: Readonly<Record<string, string>> = {
  'GET_LEDGER_DETAIL_VIEW_DATA.tsv': 'Inventory Ledger (detailed view)',
  'GET_FBA_REIMBURSEMENTS_DATA.tsv': 'Reimbursements',
  'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.tsv': 'FBA customer returns',
  'GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA.tsv': 'Replacements',
  'GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA.tsv': 'Removal Order Detail',
  'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv': 'Removal Shipment Detail',
  'GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL.tsv': 'Amazon Fulfilled Shipments',
  'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA.tsv': 'Fee Preview',
  'inbound-shipments.json': 'Shipments (Send to Amazon)',
  'transactions.json': 'Transactions',
  'financial-events.json': 'Transactions (settlement)',
  // The seller's own records, uploaded to Clario.
  'costs.csv': 'Manufacturing cost (seller records)',
  'removal-receipts.csv': 'Removal receipts (seller records)',
};

/** Every file name Clario keeps a source under: none may appear in text meant for Amazon. */
export const SOURCE_FILE_NAMES: readonly string[] = [...new Set([...Object.keys(NAMES), ...Object.values(SOURCE_FILES)])];

/** Amazon's name for the report behind a source file; a file this version does not know is "Amazon report". */
export function reportName(file: string): string {
  const base = file.replace(/\.gz$/i, '');
  return NAMES[base] ?? NAMES[Object.keys(NAMES).find((k) => k.toLowerCase() === base.toLowerCase()) ?? ''] ?? 'Amazon report';
}
