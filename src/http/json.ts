// How the API writes values JSON has no type for.

/** A timestamp as ISO 8601 in UTC, or null; raw SQL rows may hand it over as a string. */
export const isoOrNull = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

/** An amount as `{ minor, currency }`, or null when either part is unknown (a claim not yet valued). */
export const amountOrNull = (minor: number | string | null, currency: string | null): { minor: number; currency: string } | null =>
  minor === null || currency === null ? null : { minor: Number(minor), currency };
