import type { Diagnostic, SourceRef } from '../types.js';
import { matchHeader, type ColumnIndex, type Columns } from './columns.js';
import { RowError } from './fields.js';
import { readLines, splitCsv, type InputFile } from './lines.js';

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
}

/**
 * Streams a delimited file's rows. Headers are matched leniently; a row with the wrong number of
 * fields or an unreadable value is reported with its line and skipped; blank lines are ignored.
 */
export async function* readTable<F extends string, R>(file: InputFile, format: TableFormat<F, R>, hooks: ReadHooks): AsyncGenerator<R> {
  const { stats, onDiagnostic } = hooks;
  const split = format.delimiter === ',' ? splitCsv : (line: string) => line.split('\t');
  let index: ColumnIndex<F> | undefined;
  let width = 0;
  let lineNo = 0;
  for await (const line of readLines(file, hooks.onBytes)) {
    lineNo++;
    if (line.trim() === '') continue;
    const fields = split(line);
    if (index === undefined) {
      if (lineNo === 1 && fields[0]) fields[0] = fields[0].replace(/^\uFEFF/, ''); // Excel's byte-order mark
      const match = matchHeader(fields, format.columns);
      if (!match.ok) {
        stats.unusable = `missing column${match.missing.length > 1 ? 's' : ''} ${match.missing.join(', ')}`;
        onDiagnostic({ file: file.name, line: lineNo, message: `header: ${stats.unusable}; file not used` });
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
    let row: R;
    try {
      row = format.parse(fields, index, { file: file.name, line: lineNo });
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      stats.skipped++;
      onDiagnostic({ file: file.name, line: lineNo, message: `${err.message}; row skipped` });
      continue;
    }
    stats.rows++;
    yield row;
  }
  if (index === undefined) {
    stats.unusable = 'no header row';
    onDiagnostic({ file: file.name, line: 0, message: 'the file is empty (no header row); file not used' });
  }
}
