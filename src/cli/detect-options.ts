// `clario detect`'s options and description, apart from the detector so the CLI's table is cheap to load.
import type { ParseArgsConfig } from 'node:util';

export const DETECT_DETAILS = `Reads whichever of these files are in DIR (each may be gzipped, NAME.gz; docs/detection.md
describes them) and prints one claim per line as JSON (or a table with --format table):
  GET_LEDGER_DETAIL_VIEW_DATA.tsv, GET_FBA_REIMBURSEMENTS_DATA.tsv,
  GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.tsv, GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA.tsv,
  GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv, GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA.tsv,
  GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL.tsv, GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA.tsv,
  inbound-shipments.json, financial-events.json or transactions.json, costs.csv, removal-receipts.csv.
A missing file only means the claim types that need it are not looked for (the summary says
which). Diagnostics and a summary go to stderr. Exit code 0 on success, 2 when the input cannot
be used.`;

export const DETECT_OPTIONS = {
  'as-of': { type: 'string' },
  format: { type: 'string', default: 'jsonl' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;
