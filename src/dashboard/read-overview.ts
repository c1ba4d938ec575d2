// The seller's money at a glance: what Clario recovered (Amazon's reimbursements on cases Clario
// filed), what is pending (filed, not yet paid), what is expected (open claims weighted by their
// confidence), the fees charged, and the deadlines that come next. Sums stay in minor units per
// currency; nothing is converted.
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../store/db.js';
import { nextDeadlines } from './read-deadlines.js';

export interface Amount {
  readonly minor: number;
  readonly currency: string;
}

/** Claims that may still turn into money. */
export const OPEN_STATUSES = ['detected', 'prompted', 'held', 'ready'] as const;
/** Claims at Amazon, waiting for a decision. */
export const PENDING_STATUSES = ['filed'] as const;

const list = (xs: readonly string[]) => sql.join(xs.map((x) => sql`${x}`), sql`, `);
const amounts = (found: Array<{ currency: string; minor: string | number | null }>): Amount[] =>
  found.filter((r) => r.minor !== null).map((r) => ({ minor: Number(r.minor), currency: r.currency }));

export async function moneyOverview(q: Queryable, userId: string) {
  const [recovered, pending, expected, fees, byMonth, deadlines, connection] = await Promise.all([
    rows<{ currency: string; minor: string | number | null }>(
      q,
      sql`SELECT currency, sum(amount_minor) AS minor FROM reimbursements
          WHERE user_id = ${userId} AND attributed GROUP BY currency ORDER BY currency`,
    ),
    rows<{ currency: string; minor: string | number | null }>(
      q,
      sql`SELECT currency, sum(amount_minor) AS minor FROM claims
          WHERE user_id = ${userId} AND status IN (${list(PENDING_STATUSES)}) AND currency IS NOT NULL GROUP BY currency ORDER BY currency`,
    ),
    // Integer arithmetic: each claim's amount times its confidence, rounded to a whole minor unit.
    rows<{ currency: string; minor: string | number | null }>(
      q,
      sql`SELECT currency, sum(round(amount_minor * coalesce(confidence, 0)::numeric))::bigint AS minor FROM claims
          WHERE user_id = ${userId} AND status IN (${list(OPEN_STATUSES)}) AND currency IS NOT NULL GROUP BY currency ORDER BY currency`,
    ),
    // A refund row gives a fee back: it counts negatively.
    rows<{ currency: string; minor: string | number | null }>(
      q,
      sql`SELECT currency, sum(CASE WHEN kind = 'refund' THEN -abs(fee_minor) ELSE fee_minor END) AS minor FROM fee_charges
          WHERE user_id = ${userId} AND status IN ('charged', 'refunded') GROUP BY currency ORDER BY currency`,
    ),
    rows<{ month: string; currency: string; minor: string | number }>(
      q,
      sql`SELECT to_char(date_trunc('month', coalesce(approval_date, seen_at) AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
                 currency, sum(amount_minor) AS minor
          FROM reimbursements WHERE user_id = ${userId} AND attributed
          GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    nextDeadlines(q, userId),
    rows<{ selling_partner_id: string; region: string; status: string; connected_at: Date | string; last_error: unknown }>(
      q,
      sql`SELECT selling_partner_id, region, status, connected_at, last_error FROM amazon_connections WHERE user_id = ${userId}`,
    ),
  ]);
  const conn = connection[0];
  return {
    recovered: amounts(recovered),
    pending: amounts(pending),
    expected: amounts(expected),
    fees_charged: amounts(fees),
    recovered_by_month: byMonth.map((r) => ({ month: r.month, minor: Number(r.minor), currency: r.currency })),
    next_deadlines: deadlines,
    connection: conn
      ? {
          selling_partner_id: conn.selling_partner_id,
          region: conn.region,
          status: conn.status,
          connected_at: new Date(conn.connected_at).toISOString(),
          last_error: conn.last_error ?? null,
        }
      : null,
  };
}
