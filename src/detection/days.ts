import type { Day } from './types.js';

const MS_PER_DAY = 86_400_000;

// Seller Central downloads write MM/DD/YYYY (sometimes with a time after it); the API writes ISO.
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*[AP]M)?(?:\s+\S+)?)?$/i;
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?|[A-Z]{2,5})?)?$/i;

function dayOf(year: number, month: number, dayOfMonth: number): Day | undefined {
  if (month < 1 || month > 12 || dayOfMonth < 1) return undefined;
  const ms = Date.UTC(year, month - 1, dayOfMonth);
  const check = new Date(ms);
  // Date.UTC rolls 02/30 over into March: an impossible date must be refused, not moved.
  if (check.getUTCFullYear() !== year || check.getUTCDate() !== dayOfMonth) return undefined;
  return ms / MS_PER_DAY;
}

function timeIsPossible(h?: string, m?: string, s?: string): boolean {
  if (h === undefined) return true;
  return Number(h) <= 24 && Number(m) <= 59 && (s === undefined || Number(s) <= 60);
}

/**
 * The calendar day of a timestamp as written: "2026-10-01T23:30:00-07:00" is 2026-10-01, because
 * Amazon counts windows from the day it shows the seller, not from the UTC instant.
 * Returns undefined for text that is not a date or names an impossible one.
 */
export function parseDay(text: string): Day | undefined {
  const t = text.trim();
  let m = ISO_DATE.exec(t);
  if (m) {
    if (!timeIsPossible(m[4], m[5], m[6])) return undefined;
    return dayOf(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  m = US_DATE.exec(t);
  if (m) {
    if (!timeIsPossible(m[4], m[5], m[6])) return undefined;
    return dayOf(Number(m[3]), Number(m[1]), Number(m[2]));
  }
  return undefined;
}

/** Strictly YYYY-MM-DD, for command-line dates where leniency would hide a typo. */
export function parseIsoDay(text: string): Day | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m ? dayOf(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

export function formatDay(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
