// Calendar days in UTC, as Clario counts them everywhere a day matters: the day a filing counts
// against, the days left to a claim's deadline (File today's `days_left`, the 7- and 2-day
// reminders). One reading, so the list and the reminder never disagree by a day. Pure.

const DAY_MS = 86_400_000;

/** The UTC calendar day (YYYY-MM-DD) of an instant. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Whole days from `today` to `day` (both YYYY-MM-DD): 0 on the day itself, negative once past. */
export function daysBetween(today: string, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}
