/**
 * Days and amounts as the generator writes them. A day is a count of days since 1970-01-01 (as
 * detection counts them), so that "45 days before as-of" is integer arithmetic.
 */
const MS_PER_DAY = 86_400_000;

export function dayOfIso(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new RangeError(`asOf must be YYYY-MM-DD, got ${JSON.stringify(text)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== text) throw new RangeError(`asOf is not a possible date: ${text}`);
  return ms / MS_PER_DAY;
}

export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** MM/DD/YYYY: the ledger's Date column in a Seller Central download. */
export function usDay(day: number): string {
  const iso = isoDay(day);
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A time of day from seconds since midnight. */
export function clock(seconds: number): string {
  return `${two(Math.floor(seconds / 3600) % 24)}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/**
 * ISO 8601 with the marketplace's offset, as the flat-file reports write dates. Detection takes
 * the calendar day as written, so the local day is the one that counts.
 */
export function isoStamp(day: number, seconds: number, offset: string): string {
  return `${isoDay(day)}T${clock(seconds)}${offset}`;
}

/** Minor units as a decimal ("1240" → "12.40", "-399" → "-3.99"); every currency here has two digits. */
export function decimal(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${two(abs % 100)}`;
}
