import { detectFromRows, toDay, type DetectRowsOptions } from './detect-rows.js';
import { formatDay } from './days.js';
import { costsFormat } from './read/costs.js';
import { customerReturnsFormat } from './read/customer-returns.js';
import { customerShipmentsFormat } from './read/customer-shipments.js';
import { feePreviewFormat } from './read/fee-preview.js';
import { FINANCIAL_LISTS, financialEventReader } from './read/financial-events.js';
import { findInputFiles, InputFolderError, SOURCE_FILES } from './read/folder.js';
import { INBOUND_LISTS, inboundRecord } from './read/inbound.js';
import { readJsonRows } from './read/json-file.js';
import { ledgerFormat } from './read/ledger.js';
import type { InputFile } from './read/lines.js';
import { probeJson, probeTable } from './read/probe.js';
import { reimbursementsFormat } from './read/reimbursements.js';
import { removalsFormat } from './read/removals.js';
import { readTable, type FileStats, type ReadHooks, type TableFormat } from './read/table.js';
import type { RowSources, SourceName } from './rows.js';
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
}

export interface DetectionResult {
  readonly claims: readonly Claim[];
  readonly summary: DetectionSummary;
}

/** A file that broke halfway (truncated gzip or JSON, read error): its claims cannot be trusted. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`${file}: ${(cause as Error).message ?? String(cause)}`, { cause });
  }
}

export { InputFolderError };

// Readers for the tables; built per run because day parsers keep a small cache.
const TABLES: Readonly<Record<Exclude<SourceName, 'inbound' | 'financialEvents'>, () => TableFormat<string, unknown>>> = {
  costs: costsFormat,
  feePreview: feePreviewFormat,
  customerReturns: customerReturnsFormat,
  removals: removalsFormat,
  reimbursements: reimbursementsFormat,
  ledger: ledgerFormat,
  customerShipments: customerShipmentsFormat,
};

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
  const found = await findInputFiles(dir, onDiagnostic);
  const files: FileStats[] = [];
  const sources: Record<string, AsyncIterable<unknown>> = {};

  for (const [source, file] of Object.entries(found) as [SourceName, InputFile][]) {
    const stats: FileStats = { file: file.name, rows: 0, skipped: 0 };
    files.push(stats);
    const tableFormat = source === 'inbound' || source === 'financialEvents' ? undefined : TABLES[source]();
    stats.unusable = tableFormat ? await probeTable(file, tableFormat.delimiter, tableFormat.columns) : await probeJson(file);
    if (stats.unusable) {
      onDiagnostic({ file: file.name, line: 0, message: `${stats.unusable}; file not used` });
      continue;
    }
    const hooks = readHooks(file, stats, onDiagnostic, options.onProgress);
    const rows = tableFormat
      ? readTable(file, tableFormat, hooks)
      : source === 'inbound'
        ? readJsonRows(file, INBOUND_LISTS, inboundRecord, hooks)
        : readJsonRows(file, FINANCIAL_LISTS, financialEventReader(), hooks);
    sources[source] = failingAs(file.name, rows);
  }
  if (Object.keys(sources).length === 0) {
    const expected = Object.values(SOURCE_FILES).join(', ');
    throw new InputFolderError(`no readable input file in ${dir} (looked for ${expected}, each possibly .gz)`);
  }

  const result = await detectFromRows(sources as RowSources, { ...options, asOf, onDiagnostic });
  const summary = summarize({ asOf: formatDay(asOf), claims: result.claims, files, notLookedFor: result.notLookedFor, diagnostics });
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

async function* failingAs<T>(file: string, rows: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* rows;
  } catch (err) {
    throw new InputFileError(file, err);
  }
}
