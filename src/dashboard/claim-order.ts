// The claims table's default order: what the seller can act on first, then what Clario or Amazon
// is doing, then what is over; nearest deadline first within each. Pure: the SQL sort key is built
// from this table, so the database and the tests read the same ranking.
import { sql, type SQL } from 'drizzle-orm';
import type { ClaimStatus } from '../domain/claim-status.js';

/** Lower comes first. A claim past its deadline that is still open ranks as expired. */
export const ACTION_RANK: Readonly<Record<ClaimStatus, number>> = {
  // The seller acts: answers a smart prompt, or adds the evidence that lets Clario file.
  prompted: 0,
  held: 0,
  detected: 2, // Clario scores it, or Amazon's grace period runs
  ready: 2, // Clario files it in its next slot
  filed: 3, // Amazon decides
  rejected: 4,
  paid: 5,
  dismissed: 6,
  expired: 7,
};

/** Claims that can still be filed (or answered) before their deadline. */
export const OPEN: readonly ClaimStatus[] = ['detected', 'prompted', 'held', 'ready'];

/** The rank of one claim on `today` (YYYY-MM-DD): an open claim whose deadline passed can no longer be filed. */
export function actionRank(status: ClaimStatus, deadline: string | null, today: string): number {
  if (OPEN.includes(status) && deadline !== null && deadline < today) return ACTION_RANK.expired;
  return ACTION_RANK[status];
}

/** The same ranking as a sortable text key: rank, then deadline (none sorts last), e.g. "0:2026-12-10". */
export function actionSortKey(status: SQL, deadline: SQL): SQL {
  const cases = sql.join(
    Object.entries(ACTION_RANK).map(([s, rank]) => sql`WHEN ${s} THEN ${String(rank)}`),
    sql` `,
  );
  const open = sql.join(OPEN.map((s) => sql`${s}`), sql`, `);
  return sql`(CASE WHEN ${status} IN (${open}) AND ${deadline} < current_date THEN ${String(ACTION_RANK.expired)} ELSE (CASE ${status} ${cases} ELSE '9' END) END) || ':' || coalesce(${deadline}::text, '9999-12-31')`;
}
