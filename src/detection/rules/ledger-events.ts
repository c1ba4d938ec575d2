import { formatDay } from '../days.js';
import type { LedgerRow } from '../rows.js';
import type { Day, SourceRef } from '../types.js';

/** The ledger's inventory adjustments ("Adjustments"; the API spells it the same, any case). */
export function isAdjustment(row: LedgerRow): boolean {
  const e = row.eventType;
  return e === 'Adjustments' || ((e.length === 10 || e.length === 11) && e.toLowerCase().startsWith('adjustment'));
}

/**
 * One loss (or damage) event: the ledger rows of one FNSKU with one Transaction Item ID. A row
 * without one is keyed by its day, as DETECTION.md says, so same-day rows without an id are one event.
 */
export interface UnitEvent {
  readonly fnsku: string;
  /** The key's reference_id: the Reference ID, or the day (YYYY-MM-DD) when the row has none. */
  readonly referenceId: string;
  readonly rows: LedgerRow[];
  units: number;
  day: Day;
}

/** A recovery of units: found in the ledger, or reimbursed. */
export interface Recovery {
  readonly day: Day;
  readonly units: number;
  readonly source: SourceRef;
}

/** Ledger events per FNSKU, each FNSKU's events keyed by reference. */
export class EventsByFnsku {
  private readonly map = new Map<string, Map<string, UnitEvent>>();

  add(row: LedgerRow, units: number): void {
    let events = this.map.get(row.fnsku);
    if (!events) this.map.set(row.fnsku, (events = new Map<string, UnitEvent>()));
    const referenceId = row.referenceId === '' ? formatDay(row.day) : row.referenceId;
    const event = events.get(referenceId);
    if (!event) events.set(referenceId, { fnsku: row.fnsku, referenceId, rows: [row], units, day: row.day });
    else {
      event.rows.push(row);
      event.units += units;
      event.day = Math.min(event.day, row.day);
    }
  }

  /** Each FNSKU with its events, oldest first (ties by the first row's line, so the result is stable). */
  *byFnsku(): IterableIterator<{ readonly fnsku: string; readonly events: UnitEvent[] }> {
    for (const [fnsku, events] of this.map) {
      const list = [...events.values()].sort((a, b) => a.day - b.day || firstLine(a) - firstLine(b));
      yield { fnsku, events: list };
    }
  }
}

function firstLine(e: UnitEvent): number {
  return e.rows[0]?.source.line ?? 0;
}

export interface Reconciled {
  readonly event: UnitEvent;
  /** Units neither found nor reimbursed. */
  readonly remaining: number;
  /** The recoveries that covered some of its units. */
  readonly covered: readonly Recovery[];
}

/**
 * Applies recoveries to one FNSKU's events, oldest event first: recoveries are taken in date
 * order, and each covers the oldest events not yet covered that happened on or before it (the
 * same day counts). A recovery dated before every open event paid for an older one: unused.
 * Taking recoveries in date order matters: an early find must not be spent on a later loss.
 */
export function reconcile(events: readonly UnitEvent[], recoveries: readonly Recovery[]): Reconciled[] {
  const state = events.map((event) => ({ event, remaining: event.units, covered: [] as Recovery[] }));
  const ordered = [...recoveries].sort((a, b) => a.day - b.day || a.source.line - b.source.line);
  let firstOpen = 0;
  for (const recovery of ordered) {
    let left = recovery.units;
    for (let i = firstOpen; i < state.length && left > 0; i++) {
      const s = state[i];
      if (!s || s.event.day > recovery.day) break;
      if (s.remaining === 0) continue;
      const take = Math.min(left, s.remaining);
      s.remaining -= take;
      left -= take;
      s.covered.push(recovery);
    }
    while (firstOpen < state.length && state[firstOpen]?.remaining === 0) firstOpen++;
  }
  return state;
}

/** The sum of the Unreconciled Quantity of an event's rows, when every row has one. */
export function unreconciledOf(event: UnitEvent): number | undefined {
  let sum = 0;
  for (const row of event.rows) {
    if (row.unreconciled === undefined) return undefined;
    sum += Math.abs(row.unreconciled);
  }
  return sum;
}

/** The first non-empty value of a field among an event's rows. */
export function firstOf(event: UnitEvent, field: 'fulfillmentCenter' | 'disposition' | 'country'): string | undefined {
  for (const row of event.rows) if (row[field]) return row[field];
  return undefined;
}
