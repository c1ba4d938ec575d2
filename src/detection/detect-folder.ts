import { startDetection, toDay, type DetectRowsOptions } from './detect-rows.js';
import { formatDay } from './days.js';
import { costsFormat } from './read/costs.js';
import { customerReturnsFormat } from './read/customer-returns.js';
import { customerShipmentsFormat } from './read/customer-shipments.js';
import { feePreviewFormat } from './read/fee-preview.js';
import { FINANCIAL_LISTS, financialEventReader } from './read/financial-events.js';
import { findInputFiles, InputFolderError, SOURCE_FILES } from './read/folder.js';
import { INBOUND_LISTS, inboundRecord } from './read/inbound.js';
import { readJson } from './read/json-file.js';
import { InputFileError } from './read/errors.js';
import { ledgerFormat } from './read/inventory-ledger.js';
import type { InputFile, ReadLimits } from './read/file-lines.js';
import { probeJson, probeTable } from './read/probe.js';
import { reimbursementsFormat } from './read/reimbursements.js';
import { removalReceiptsFormat } from './read/removal-receipts.js';
import { removalShipmentsFormat } from './read/removal-shipments.js';
import { removalsFormat } from './read/removals.js';
import { replacementsFormat } from './read/replacements.js';
import { TRANSACTION_LISTS, transactionReader } from './read/transactions.js';
import { readTable, type FileStats, type ReadHooks, type TableFormat } from './read/table.js';
import { SOURCE_ORDER, type SourceName } from './rows.js';
import { summarize, type DetectionSummary } from './summary.js';
import type { Claim, Diagnostic } from './types.js';

export interface DetectProgress {
  readonly file: string;
  /** Rows read so far in this file, good and bad. */
  readonly rows: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
}

export interface DetectOptions extends DetectRowsOptions {
  readonly onProgress?: (p: DetectProgress) => void;
  /** What one file may cost (a line's length, a gzip's inflated size); READ_LIMITS by default. */
  readonly limits?: ReadLimits;
}

export interface DetectionResult {
  readonly claims: readonly Claim[];
  readonly summary: DetectionSummary;
}

export { InputFileError, InputFolderError };

type JsonSource = 'inbound' | 'financialEvents' | 'transactions';
const isJson = (source: SourceName): source is JsonSource => source === 'inbound' || source === 'financialEvents' || source === 'transactions';

// Readers for the tables; built per run because day parsers keep a small cache.
const TABLES: Readonly<Record<Exclude<SourceName, JsonSource>, () => TableFormat<string, unknown>>> = {
  costs: costsFormat,
  removalReceipts: removalReceiptsFormat,
  feePreview: feePreviewFormat,
  replacements: replacementsFormat,
  customerReturns: customerReturnsFormat,
  removals: removalsFormat,
  removalShipments: removalShipmentsFormat,
  reimbursements: reimbursementsFormat,
  ledger: ledgerFormat,
  customerShipments: customerShipmentsFormat,
};

function readJsonSource(source: JsonSource, file: InputFile, hooks: ReadHooks, onRow: (row: unknown) => void): Promise<void> {
  if (source === 'inbound') return readJson(file, INBOUND_LISTS, inboundRecord, hooks, onRow);
  if (source === 'financialEvents') return readJson(file, FINANCIAL_LISTS, financialEventReader(), hooks, onRow);
  // Transactions that are neither refunds nor shipments are read (and counted), not used.
  return readJson(file, TRANSACTION_LISTS, transactionReader(), hooks, (row) => {
    if (row) onRow(row);
  });
}

/**
 * Files → claims: reads whichever of DETECTION.md's files exist in `dir` and runs detection.
 * Throws InputFolderError when the folder is missing or holds no usable file, InputFileError
 * when a file breaks halfway; bad rows are only reported through `onDiagnostic`.
 */
export async function detect(dir: string, options: DetectOptions): Promise<DetectionResult> {
  const asOf = toDay(options.asOf);
  let diagnostics = 0;
  const onDiagnostic = (d: Diagnostic): void => {
    diagnostics++;
    options.onDiagnostic?.(d);
  };
  const { files: found, unreadable } = await findInputFiles(dir, onDiagnostic);
  const files: FileStats[] = [];
  const notUsed: Diagnostic[] = [];
  const readers = new Map<SourceName, { file: InputFile; stats: FileStats; read: (hooks: ReadHooks, onRow: (row: unknown) => void) => Promise<void> }>();

  for (const source of SOURCE_ORDER) {
    const file = found[source];
    const odd = unreadable[source];
    if (odd !== undefined) {
      // In the summary as well, like an empty file: the user sees every input detection found.
      const stats: FileStats = { file: odd, rows: 0, skipped: 0, unusable: 'not a readable file' };
      files.push(stats);
      notUsed.push({ file: odd, line: 0, message: `${stats.unusable}; not used` });
    }
    if (!file) continue;
    const stats: FileStats = { file: file.name, rows: 0, skipped: 0 };
    files.push(stats);
    if (source === 'transactions' && readers.has('financialEvents')) {
      // Two views of the same refunds and fees: reading both would count each twice.
      stats.unusable = `${found.financialEvents?.name ?? SOURCE_FILES.financialEvents} is read instead`;
      notUsed.push({ file: file.name, line: 0, message: `${stats.unusable}; file not used` });
      continue;
    }
    const format = isJson(source) ? undefined : TABLES[source]();
    // Checked before any rule starts: a file dropped halfway would leave the rules half the facts.
    stats.unusable = format ? await probeTable(file, format.delimiter, format.columns, options.limits) : await probeJson(file);
    if (stats.unusable) {
      notUsed.push({ file: file.name, line: 0, message: `${stats.unusable}; file not used` });
      continue;
    }
    readers.set(source, {
      file,
      stats,
      read: (hooks, onRow) => (format ? readTable(file, format, hooks, onRow) : readJsonSource(source as JsonSource, file, hooks, onRow)),
    });
  }
  if (readers.size === 0) {
    // One message says it all: which files were found and why none can be used.
    if (notUsed.length > 0) throw new InputFolderError(`no readable input file in ${dir}: ${notUsed.map((d) => `${d.file}: ${d.message}`).join('; ')}`);
    const expected = Object.values(SOURCE_FILES).join(', ');
    throw new InputFolderError(`no readable input file in ${dir} (looked for ${expected}, each possibly .gz)`);
  }
  for (const d of notUsed) onDiagnostic(d);

  const run = startDetection(new Set(readers.keys()), { ...options, asOf, onDiagnostic });
  // Map order is SOURCE_ORDER: the rules rely on it to keep only what they need of the big files.
  for (const [source, { file, stats, read }] of readers) {
    await read({ ...readHooks(file, stats, onDiagnostic, options.onProgress), ...(options.limits ? { limits: options.limits } : {}) }, run.accept(source) as (row: unknown) => void);
  }
  const result = run.finish();
  const summary = summarize({ asOf: formatDay(asOf), files, diagnostics, ...result });
  return { claims: result.claims, summary };
}

function readHooks(file: InputFile, stats: FileStats, onDiagnostic: (d: Diagnostic) => void, onProgress: DetectOptions['onProgress']): ReadHooks {
  if (!onProgress) return { stats, onDiagnostic };
  let bytesRead = 0;
  return {
    stats,
    onDiagnostic,
    onBytes: (n) => {
      bytesRead += n;
      onProgress({ file: file.name, rows: stats.rows + stats.skipped, bytesRead, totalBytes: file.size });
    },
  };
}
