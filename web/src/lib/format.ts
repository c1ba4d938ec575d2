// Showing numbers: money from integer minor units (never through a float sum), dates, labels.
/** Money as the API sends it: integer minor units and an ISO 4217 code. */
export interface Amount {
  readonly minor: number;
  readonly currency: string;
}

const digitsCache = new Map<string, number>();
function minorDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      d = 2;
    }
    digitsCache.set(currency, d);
  }
  return d;
}

/** "$1,234.56" from 123456 USD. The division happens only for display. */
export function formatMoney(a: Amount | null | undefined): string {
  if (!a) return '—';
  const digits = minorDigits(a.currency);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: a.currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
      a.minor / 10 ** digits,
    );
  } catch {
    return `${a.minor} ${a.currency} (minor units)`;
  }
}

/** Several currencies side by side; "—" when there is nothing. */
export function formatAmounts(xs: readonly Amount[] | undefined): string {
  if (!xs || xs.length === 0) return formatMoney({ minor: 0, currency: 'USD' });
  return xs.map(formatMoney).join(' · ');
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return iso.length === 10 ? d.toLocaleDateString(undefined, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }) : d.toLocaleString();
}

export function daysUntil(isoDate: string | null | undefined, now = new Date()): number | null {
  if (!isoDate) return null;
  const d = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(d)) return null;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((d - today) / 86_400_000);
}

export const formatPercent = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);

/** "lost_warehouse" → "Lost warehouse". */
export const label = (s: string | null | undefined) => (s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ') : '—');

/** Any JSON value as short text: strings and numbers as they are, anything else as JSON. */
export function text(v: unknown, fallback = '—'): string {
  if (v === null || v === undefined || v === '') return fallback;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** "1 unit", "3 units", "— units" when unknown. English plurals: the words passed are regular. */
export function count(n: number | null | undefined, word: string): string {
  if (n === null || n === undefined) return `— ${word}s`;
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}

/** "2026-12" → "Dec 2026": a two-digit year ("Dec 26") reads as a day of the month. */
export function formatMonth(month: string, locale?: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m || m < 1 || m > 12) return month;
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/**
 * Several currencies as one line each, by currency code (sums in different currencies are never
 * compared or added). Nothing at all reads as zero.
 */
export function amountLines(xs: readonly Amount[] | undefined): Array<{ key: string; text: string }> {
  if (!xs || xs.length === 0) return [{ key: 'none', text: formatMoney({ minor: 0, currency: 'USD' }) }];
  return [...xs].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0)).map((a) => ({ key: a.currency, text: formatMoney(a) }));
}

/** "Did this 1 unit of X arrive?" / "Did these 12 units of X arrive?" */
export function arrivalQuestion(units: number, sku: string): string {
  return units === 1 ? `Did this 1 unit of ${sku} arrive?` : `Did these ${count(units, 'unit')} of ${sku} arrive?`;
}
