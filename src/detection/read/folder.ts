import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceName } from '../rows.js';
import type { Diagnostic } from '../types.js';
import type { InputFile } from './file-lines.js';

/** The file behind each source, as DETECTION.md names them. */
export const SOURCE_FILES: Readonly<Record<SourceName, string>> = {
  costs: 'costs.csv',
  removalReceipts: 'removal-receipts.csv',
  feePreview: 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA.tsv',
  inbound: 'inbound-shipments.json',
  financialEvents: 'financial-events.json',
  transactions: 'transactions.json',
  replacements: 'GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA.tsv',
  customerReturns: 'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.tsv',
  removals: 'GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA.tsv',
  removalShipments: 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv',
  reimbursements: 'GET_FBA_REIMBURSEMENTS_DATA.tsv',
  ledger: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv',
  customerShipments: 'GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL.tsv',
};

/** The folder is missing or is not a folder: detection cannot start. */
export class InputFolderError extends Error {
  override readonly name = 'InputFolderError';
}

/** What a folder holds: the input files by source, and the names of inputs that are no readable file. */
export interface InputFiles {
  readonly files: Partial<Record<SourceName, InputFile>>;
  /** A folder, a FIFO, a dangling link… under an input's name: listed as not used, by source. */
  readonly unreadable: Partial<Record<SourceName, string>>;
}

/**
 * Finds the input files in `dir`: each name as is or gzipped (NAME.gz), any letter case.
 * When both forms exist the plain one is read and the other reported.
 */
export async function findInputFiles(dir: string, onDiagnostic: (d: Diagnostic) => void): Promise<InputFiles> {
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new InputFolderError(`${dir} is not a folder`);
    names = await readdir(dir);
  } catch (err) {
    if (err instanceof InputFolderError) throw err;
    throw new InputFolderError(`cannot read the folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const found: Partial<Record<SourceName, InputFile>> = {};
  const unreadable: Partial<Record<SourceName, string>> = {};
  for (const [source, fileName] of Object.entries(SOURCE_FILES) as [SourceName, string][]) {
    const plain = byLower.get(fileName.toLowerCase());
    const gz = byLower.get(`${fileName.toLowerCase()}.gz`);
    const name = plain ?? gz;
    if (name === undefined) continue;
    if (plain && gz) onDiagnostic({ file: gz, line: 0, message: `both ${plain} and ${gz} exist; reading ${plain} only` });
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) {
      unreadable[source] = name;
      continue;
    }
    found[source] = { name, path, gzip: name === gz && !plain, size: info.size };
  }
  return { files: found, unreadable };
}
