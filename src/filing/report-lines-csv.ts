// The report lines a case rests on, as one CSV for the person filing and the agent reading it:
// each line under its report's own column names, with Amazon's name for the report and the number
// of the item it supports in the case text. Reports differ in columns, so the CSV's columns are
// all of theirs, in the order first met; a line leaves the others empty. Pure.
import { reportName } from './report-names.js';

export interface CaseSourceLine {
  /** The item's number in the case text (1-based). */
  readonly item: number;
  /** The source file the line was stored under (Clario's name: only its report name is written). */
  readonly file: string;
  /** The line as Amazon sent it; null when it is not stored (then it is left out). */
  readonly text: string | null;
  /** The report's header line, for delimited reports. */
  readonly header: string | null;
}

/** The seller's own files are comma-separated; Amazon's reports are tab-separated. */
export function fieldSeparator(file: string): string {
  return /\.csv(\.gz)?$/i.test(file) ? ',' : '\t';
}

/** A stored line as column → value: a delimited report's line under its header, or an API answer's JSON object. */
function fieldsOf(l: CaseSourceLine): Array<[string, string]> | undefined {
  if (l.text === null) return undefined;
  // API answers (inbound shipments, finances) are stored as "<list>\t<JSON object>".
  const tab = l.text.indexOf('\t');
  const json = tab > 0 && /\.json(\.gz)?$/i.test(l.file) ? l.text.slice(tab + 1) : undefined;
  if (json !== undefined && json.startsWith('{')) {
    try {
      const value = JSON.parse(json) as Record<string, unknown>;
      return Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v)]);
    } catch {
      // not JSON after all: written as one column below
    }
  }
  if (!l.header) return [['line', l.text]];
  const sep = fieldSeparator(l.file);
  const names = l.header.split(sep).map((h) => h.trim());
  const values = l.text.split(sep);
  return names.map((name, i) => [name, values[i] ?? '']);
}

/** Spreadsheets run a cell that starts with = + - @ as a formula: such text is quoted as text. Numbers stay numbers. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV text (RFC 4180, CRLF), header first; only the header when no line is stored. */
export function reportLinesCsv(lines: readonly CaseSourceLine[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  const rows: Array<{ item: number; report: string; fields: Map<string, string> }> = [];
  for (const l of lines) {
    const fields = fieldsOf(l);
    if (!fields) continue;
    const map = new Map<string, string>();
    for (const [name, value] of fields) {
      if (!seen.has(name)) {
        seen.add(name);
        columns.push(name);
      }
      if (!map.has(name)) map.set(name, value);
    }
    rows.push({ item: l.item, report: reportName(l.file), fields: map });
  }
  const out = [['Case item', 'Report', ...columns].map(cell).join(',')];
  for (const r of rows) out.push([String(r.item), r.report, ...columns.map((c) => r.fields.get(c) ?? '')].map(cell).join(','));
  return `${out.join('\r\n')}\r\n`;
}
