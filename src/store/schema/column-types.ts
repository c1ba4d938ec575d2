// Column types shared by the feature schemas in this folder.
import { customType, timestamp } from 'drizzle-orm/pg-core';

/** A point in time, with its time zone, read as a Date. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });
