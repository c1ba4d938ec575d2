import { Catalog } from './books/sku-catalog.js';
import { CostBook } from './books/cost-book.js';
import { SalePriceBook } from './books/sale-price-book.js';
import { resolveDetectionConfig, type DetectionConfig, type DetectionConfigOverrides } from './detection-config.js';
import { compareClaims } from './make-claim.js';
import { parseIsoDay } from './days.js';
import { SOURCE_ORDER, type RowSources, type SourceName } from './rows.js';
import { RULES } from './rules/index.js';
import type { Books, Need, RowOf, Rule, RowSink } from './rules/rule.js';
import type { Claim, ClaimType, Day, Diagnostic } from './types.js';

export interface DetectRowsOptions {
  /** The day detection runs "on": windows and statuses count from it; later rows are ignored. */
  readonly asOf: Day | string;
  readonly config?: DetectionConfig | DetectionConfigOverrides;
  /** Only these claim types (default: all eleven). */
  readonly types?: readonly ClaimType[];
  readonly onDiagnostic?: (d: Diagnostic) => void;
}

export interface NotLookedFor {
  readonly type: ClaimType;
  /** Sources that were missing; a group means any one of them would have done. */
  readonly missing: readonly Need[];
}

export interface RowsDetection {
  /** Sorted: nearest deadline first, then type, then key. */
  readonly claims: readonly Claim[];
  /** The claim types that were looked for (their sources were there). */
  readonly lookedFor: readonly ClaimType[];
  readonly notLookedFor: readonly NotLookedFor[];
}

/** The as-of day from a Day or a strict YYYY-MM-DD string. */
export function toDay(asOf: Day | string): Day {
  const day = typeof asOf === 'number' ? asOf : parseIsoDay(asOf);
  if (day === undefined || !Number.isSafeInteger(day)) throw new RangeError(`as-of must be a YYYY-MM-DD date, got ${JSON.stringify(asOf)}`);
  return day;
}

/** A detection under way: rows are pushed in, source by source in SOURCE_ORDER, then `finish`. */
export interface DetectionRun {
  /** The function to call with each row of `source` (a no-op when no rule reads it). */
  accept<K extends SourceName>(source: K): (row: RowOf<K>) => void;
  finish(): RowsDetection;
}

/**
 * Starts the rules whose sources are `present`. Push-based, so that a file reader can hand rows
 * over without an async step per row; `detectFromRows` is the pull-based form of the same.
 */
export function startDetection(given: ReadonlySet<SourceName>, options: DetectRowsOptions): DetectionRun {
  const asOf = toDay(options.asOf);
  // Finances v0 and 2024-06-19 are two views of the same refunds and fees: v0 wins, as DETECTION.md says.
  const present = new Set(given);
  if (present.has('financialEvents')) present.delete('transactions');
  const config = resolveDetectionConfig(options.config ?? {});
  const diagnose = options.onDiagnostic ?? (() => {});
  const wanted = options.types ? RULES.filter((r) => options.types?.includes(r.type)) : RULES;

  const notLookedFor: NotLookedFor[] = [];
  const runnable: Rule[] = [];
  for (const rule of wanted) {
    const missing = rule.needs.filter((need) => !(typeof need === 'string' ? present.has(need) : need.some((n) => present.has(n))));
    if (missing.length > 0) notLookedFor.push({ type: rule.type, missing });
    else runnable.push(rule);
  }

  const books: Books = { catalog: new Catalog(), costs: new CostBook(), salePrices: new SalePriceBook() };
  const runs = runnable.map((rule) => rule.start({ asOf, config, diagnose }));
  const sinks: RowSink[] = [books.catalog, books.costs, books.salePrices, ...runs];
  return {
    accept: (source) => (present.has(source) ? fanOut(sinks, source) : () => {}),
    finish: () => ({
      claims: runs.flatMap((run) => run.finish(books)).sort(compareClaims),
      lookedFor: runnable.map((r) => r.type),
      notLookedFor,
    }),
  };
}

/**
 * Rows → claims. Reads each given source once, in SOURCE_ORDER, feeding every row to the rules
 * that use it; a rule whose sources are missing is not run (and is listed in `notLookedFor`).
 * Pure apart from consuming the iterables: the service feeds it rows from its database.
 */
export async function detectFromRows(sources: RowSources, options: DetectRowsOptions): Promise<RowsDetection> {
  const present = new Set(SOURCE_ORDER.filter((name) => sources[name] !== undefined));
  const run = startDetection(present, options);
  for (const name of SOURCE_ORDER) {
    const rows = sources[name];
    if (rows === undefined) continue;
    const accept = run.accept(name) as (row: unknown) => void;
    for await (const row of rows) accept(row);
  }
  return run.finish();
}

function fanOut(sinks: readonly RowSink[], name: SourceName): (row: unknown) => void {
  const handlers: ((row: unknown) => void)[] = [];
  for (const sink of sinks) {
    // The mapped type ties each source to its row type; TypeScript cannot follow that through `name`.
    const handler = sink[name] as ((row: unknown) => void) | undefined;
    if (handler) handlers.push(handler);
  }
  const [only] = handlers;
  if (handlers.length === 0) return () => {};
  if (handlers.length === 1 && only) return only;
  return (row) => {
    for (const handle of handlers) handle(row);
  };
}
