// COPY's text format (PostgreSQL's COPY documentation, "Text Format"), for copy-merge.ts: pure, so
// its escaping is tested on its own.

/** A COPY text-format field: what PostgreSQL would read back as `value`. */
export type CopyField = string | number;

// Text format reads a backslash as an escape, a tab as the column break and a newline as the row
// break; a lone `\.` line ends the data and `\N` is NULL, both defused by doubling the backslash.
const SPECIAL = /[\\\t\n\r]/g;
const NEEDS_CARE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Thrown for a value PostgreSQL cannot store as text (a NUL character), however it is sent. */
export class UnstorableTextError extends Error {}

/** `value` as one field of COPY's text format. */
export function escapeCopyText(value: string): string {
  if (value.includes('\u0000')) throw new UnstorableTextError('PostgreSQL text cannot hold a NUL character');
  // Many lines have nothing to escape: one scan finds out, and the line goes as it is.
  if (!NEEDS_CARE.test(value)) return value;
  return value.replace(SPECIAL, (c) => ESCAPES[c] ?? c);
}

/** Rows as COPY's text format: fields joined by tabs, each row ended by a newline. */
export function copyText(rows: Iterable<readonly CopyField[]>): string {
  let out = '';
  for (const row of rows) {
    out += row.map((f) => (typeof f === 'number' ? String(f) : escapeCopyText(f))).join('\t');
    out += '\n';
  }
  return out;
}
