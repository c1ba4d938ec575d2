import type { Catalog } from '../books/sku-catalog.js';
import type { CostBook } from '../books/cost-book.js';
import type { SalePriceBook } from '../books/sale-price-book.js';
import type { DetectionConfig } from '../detection-config.js';
import type { RowSources, SourceName } from '../rows.js';
import type { Claim, ClaimType, Day, Diagnostic } from '../types.js';

export type RowOf<K extends SourceName> = NonNullable<RowSources[K]> extends Iterable<infer T> | AsyncIterable<infer T> ? T : never;

/** Receives the rows of the sources it cares about, one at a time. */
export type RowSink = { readonly [K in SourceName]?: (row: RowOf<K>) => void };

/** What every rule may read once all rows are in: catalogue, unit costs, sale prices. */
export interface Books {
  readonly catalog: Catalog;
  readonly costs: CostBook;
  readonly salePrices: SalePriceBook;
}

export interface RuleContext {
  readonly asOf: Day;
  readonly config: DetectionConfig;
  /** For a candidate that cannot become a claim for want of data; the run goes on. */
  readonly diagnose: (d: Diagnostic) => void;
}

/**
 * One run of a rule: a reducer fed the rows of each source in SOURCE_ORDER, keeping only what
 * its claims need (per key, inside its window), then asked for its claims.
 */
export type RuleRun = RowSink & { finish(books: Books): Claim[] };

/** A source, or a group of which any one is enough. */
export type Need = SourceName | readonly SourceName[];

export interface Rule {
  readonly type: ClaimType;
  /** Without these sources the rule is not looked for (claiming without them would be guessing). */
  readonly needs: readonly Need[];
  start(ctx: RuleContext): RuleRun;
}
