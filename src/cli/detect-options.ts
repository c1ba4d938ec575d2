// `clario detect`'s options and description, apart from the detector so the CLI's table is cheap to load.
import type { ParseArgsConfig } from 'node:util';

export const DETECT_DETAILS = `Reads the Amazon reports in DIR (see DETECTION.md for the file names; each may be .gz) and
prints one claim per line as JSON (or a table with --format table). Diagnostics and a summary
go to stderr. Exit code 0 on success, 2 when the input cannot be used.`;

export const DETECT_OPTIONS = {
  'as-of': { type: 'string' },
  format: { type: 'string', default: 'jsonl' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;
