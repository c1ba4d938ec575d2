import type { Diagnostic, SourceRef } from '../types.js';
import { matchHeader, type ColumnIndex, type Columns } from './columns.js';
import { InputFileError } from './errors.js';
import { RowError } from './fields.js';
import { isTooLong, MAX_LINE_LENGTH } from '../../domain/split-lines.js';
import { openLines, splitCsv, type InputFile, type ReadLimits } from './file-lines.js';

/** How to read one kind of delimited file. */
export interface TableFormat<F extends string, R> {
  readonly delimiter: '\t' | ',';
  readonly columns: Columns<F>;
  /** Builds a row from its fields; throws RowError for a row that cannot be read. */
  readonly parse: (fields: readonly string[], col: ColumnIndex<F>, source: SourceRef) => R;
}

/** What happened while reading one file: the summary's "rows read". */
export interface FileStats {
  readonly file: string;
  rows: number;
  skipped: number;
  /** Set when the file could not be used at all (no header, required columns missing). */
  unusable?: string;
}

export interface ReadHooks {
  readonly stats: FileStats;
  readonly onDiagnostic: (d: Diagnostic) => void;
  readonly onBytes?: (bytes: number) => void;
  /** Bounds on a line and on a gzip's inflated size; READ_LIMITS by default. */
  readonly limits?: ReadLimits;
}

/** "missing column X" / "missing columns X, Y". */
export function describeMissing(missing: readonly string[]): string {
  return `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
}

/**
 * Streams a delimited file's rows into `onRow`. Headers are matched leniently; a row with the
 * wrong number of fields or an unreadable value is reported with its line and skipped; blank
 * lines are ignored. A file that fails halfway throws InputFileError; an error thrown by
 * `onRow` is rethrown as it is, never mistaken for bad input.
 */
export async function readTable<F extends string, R>(file: InputFile, format: TableFormat<F, R>, hooks: ReadHooks, onRow: (row: R) => void): Promise<void> {
  const { stats, onDiagnostic } = hooks;
  const split = format.delimiter === ',' ? splitCsv : (line: string) => line.split('\t');
  let index: ColumnIndex<F> | undefined;
  let width = 0;
  let lineNo = 0;
  let consumerFailure: { error: unknown } | undefined;
  const { lines, close } = openLines(file, hooks.onBytes, hooks.limits);
  try {
    outer: for await (const batch of lines) {
      for (const line of batch) {
        lineNo++;
        if (isTooLong(line)) {
          // Never built, so never split: reported like any unreadable row (the header too).
          if (index === undefined) {
            stats.unusable = `line ${lineNo} is longer than ${hooks.limits?.maxLineLength ?? MAX_LINE_LENGTH} characters, so it is no header`;
            onDiagnostic({ file: file.name, line: lineNo, message: `${stats.unusable}; file not used` });
            return;
          }
          stats.skipped++;
          onDiagnostic({ file: file.name, line: lineNo, message: `the line is longer than ${hooks.limits?.maxLineLength ?? MAX_LINE_LENGTH} characters (${line.length}); row skipped` });
          continue;
        }
        // Blank lines are skipped; trim() only when the line could be blank, it copies the string.
        if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) continue;
        const fields = split(line);
        if (index === undefined) {
          if (fields[0]) fields[0] = fields[0].replace(/^\uFEFF/, ''); // Excel's byte-order mark
          const match = matchHeader(fields, format.columns);
          if (!match.ok) {
            stats.unusable = describeMissing(match.missing);
            onDiagnostic({ file: file.name, line: lineNo, message: `${stats.unusable}; file not used` });
            return;
          }
          index = match.index;
          width = fields.length;
          continue;
        }
        if (fields.length !== width) {
          stats.skipped++;
          onDiagnostic({ file: file.name, line: lineNo, message: `expected ${width} fields, found ${fields.length}; row skipped` });
          continue;
        }
        try {
          const row = format.parse(fields, index, { file: file.name, line: lineNo });
          stats.rows++;
          onRow(row);
        } catch (error) {
          if (error instanceof RowError) {
            stats.skipped++;
            onDiagnostic({ file: file.name, line: lineNo, message: `${error.message}; row skipped` });
            continue;
          }
          // A bug in a parser or a rule, not bad input: stop and let it surface as it is.
          consumerFailure = { error };
          break outer;
        }
      }
    }
  } catch (err) {
    throw new InputFileError(file.name, err);
  } finally {
    close();
  }
  if (consumerFailure) throw consumerFailure.error;
  if (index === undefined) {
    stats.unusable = 'the file is empty (no header row)';
    onDiagnostic({ file: file.name, line: 0, message: `${stats.unusable}; file not used` });
  }
}
