// What the claim page says about a claim beyond its raw fields. Pure.

// Claims that can still be improved before filing: for anything else (filed, paid, rejected,
// expired, dismissed) "would help: confirm" is advice that no longer means anything.
const IMPROVABLE = new Set(['detected', 'prompted', 'held', 'ready']);

/** What the score says would still help, shown only while it can. */
export function wouldHelp(status: string, missing: readonly unknown[] | null | undefined): string[] {
  if (!IMPROVABLE.has(status)) return [];
  return (missing ?? []).map(String);
}
