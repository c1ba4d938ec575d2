/** A header in comparable form: case, spaces, hyphens and underscores ignored ("Event Type" = "event-type" = "eventType"). */
export function normalizeHeader(text: string): string {
  return text.toLowerCase().replace(/[\s\-_]/g, '');
}

export interface ColumnSpec {
  /** Accepted header names, any spelling that normalizes the same; the first is the canonical one. */
  readonly names: readonly string[];
  readonly required?: boolean;
}

export type Columns<F extends string> = { readonly [K in F]: ColumnSpec };

/** The index of each field in a row, -1 for an optional column the file lacks. */
export type ColumnIndex<F extends string> = { readonly [K in F]: number };

export type HeaderMatch<F extends string> =
  | { readonly ok: true; readonly index: ColumnIndex<F> }
  | { readonly ok: false; readonly missing: readonly string[] };

/** Finds each field's column by name or alias; reports the required ones that are missing. */
export function matchHeader<F extends string>(header: readonly string[], columns: Columns<F>): HeaderMatch<F> {
  const position = new Map<string, number>();
  header.forEach((name, i) => {
    const key = normalizeHeader(name);
    // With a duplicated header the first column wins, as a spreadsheet reader would take it.
    if (!position.has(key)) position.set(key, i);
  });
  const index: Record<string, number> = {};
  const missing: string[] = [];
  for (const [field, spec] of Object.entries(columns) as [F, ColumnSpec][]) {
    const found = spec.names.map((n) => position.get(normalizeHeader(n))).find((i) => i !== undefined);
    index[field] = found ?? -1;
    if (found === undefined && spec.required) missing.push(spec.names[0] ?? field);
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, index: index as ColumnIndex<F> };
}
