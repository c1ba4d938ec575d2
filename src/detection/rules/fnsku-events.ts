import type { LedgerRow } from '../rows.js';
import type { Day, SourceRef } from '../types.js';

export interface UnitEvent {
  readonly day: Day;
  readonly units: number;
  readonly source: SourceRef;
}

export interface FnskuEvents {
  readonly fnsku: string;
  readonly sku: string;
  readonly country: string | undefined;
  readonly events: UnitEvent[];
}

/** The ledger's inventory adjustments ("Adjustments"; the API spells it the same, any case). */
export function isAdjustment(row: LedgerRow): boolean {
  const e = row.eventType;
  return e === 'Adjustments' || ((e.length === 10 || e.length === 11) && e.toLowerCase().startsWith('adjustment'));
}

/** Ledger events grouped by FNSKU: the lost, found or damaged units of each. */
export class EventsByFnsku {
  private readonly map = new Map<string, FnskuEvents>();

  add(row: LedgerRow, units: number): void {
    let entry = this.map.get(row.fnsku);
    if (!entry) this.map.set(row.fnsku, (entry = { fnsku: row.fnsku, sku: row.sku, country: row.country, events: [] }));
    entry.events.push({ day: row.day, units, source: row.source });
  }

  get(fnsku: string): FnskuEvents | undefined {
    return this.map.get(fnsku);
  }

  [Symbol.iterator](): IterableIterator<FnskuEvents> {
    return this.map.values();
  }
}

export function earliestDay(events: readonly UnitEvent[]): Day {
  return events.reduce((min, e) => Math.min(min, e.day), Infinity);
}

export function newestDay(events: readonly UnitEvent[]): Day {
  return events.reduce((max, e) => Math.max(max, e.day), -Infinity);
}

export function units(events: readonly UnitEvent[]): number {
  return events.reduce((sum, e) => sum + e.units, 0);
}
