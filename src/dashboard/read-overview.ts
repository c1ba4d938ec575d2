// The seller's money at a glance: what Clario recovered (Amazon's reimbursements on cases Clario
// filed), what is pending (filed, not yet paid), what is expected (open claims weighted by their
// confidence), the fees charged, and the deadlines that come next. Sums stay in minor units per
// currency; nothing is converted.
import { sql } from 'drizzle-orm';
import { safeMinor } from '../domain/money.js';
import { rows, type Db } from '../store/db.js';
import { nextDeadlines } from './read-deadlines.js';
import { belowManufacturingCost } from './read-manufacturing-cost.js';

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
  found.filter((r) => r.minor !== null).map((r) => ({ minor: safeMinor(r.minor), currency: r.currency }));

/**
 * Recovered money: lines on Clario's cases credited to a claim phase 7 has moved on. A line parked
 * for an operator (unmatched_reason) is on no claim yet, and a line whose claim is still filed
 * (phase 7 running, or parked as payout_mismatch) is pending there: neither counts twice.
 */
const RECOVERED = (userId: string) =>
  sql`r.user_id = ${userId} AND r.attributed AND r.unmatched_reason IS NULL
      AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.id = r.claim_id AND c.status = 'filed')`;

export async function moneyOverview(q: Db, userId: string) {
  const [recovered, pending, expected, fees, owed, byMonth, deadlines, connection, belowCost] = await Promise.all([
    rows<{ currency: string; minor: string | number | null }>(
      q,
      sql`SELECT r.currency, sum(r.amount_minor::numeric)::text AS minor FROM reimbursements r
          WHERE ${RECOVERED(userId)} GROUP BY r.currency ORDER BY r.currency`,
    ),
    rows<{ currency: string; minor: string | number | null }>(
      q,
      sql`SELECT currency, sum(amount_minor::numeric)::text AS minor FROM claims
          WHERE user_id = ${userId} AND status IN (${list(PENDING_STATUSES)}) AND currency IS NOT NULL GROUP BY currency ORDER BY currency`,
    ),
    // Integer arithmetic: each claim's amount times its confidence, rounded to a whole minor unit.
    rows<{ currency: string; minor: string | number | null }>(
      q,
      sql`SELECT currency, sum(round(amount_minor * coalesce(confidence, 0)::numeric))::text AS minor FROM claims
          WHERE user_id = ${userId} AND status IN (${list(OPEN_STATUSES)}) AND currency IS NOT NULL GROUP BY currency ORDER BY currency`,
    ),
    // A refund row gives a fee back: it counts negatively.
    rows<{ currency: string; minor: string | number | null }>(
      q,
      sql`SELECT currency, sum(CASE WHEN kind = 'refund' THEN -abs(fee_minor) ELSE fee_minor END::numeric)::text AS minor FROM fee_charges
          WHERE user_id = ${userId} AND status IN ('charged', 'refunded', 'collected') GROUP BY currency ORDER BY currency`,
    ),
    // Fees not collected: owed (below Stripe's minimum) or declined, less what reversals gave back.
    rows<{ status: 'deferred' | 'failed'; currency: string; minor: string | null }>(
      q,
      // An owed fee whose batch charge the card declined is declined too.
      sql`SELECT CASE WHEN f.status = 'failed' OR b.status = 'failed' THEN 'failed' ELSE 'deferred' END AS status, f.currency,
                 sum(f.fee_minor + coalesce((SELECT SUM(r.fee_minor) FROM fee_charges r
                 WHERE r.kind = 'refund' AND r.reverses_payout_id = f.payout_id), 0))::text AS minor
          FROM fee_charges f LEFT JOIN fee_batches b ON b.id = f.batch_id
          WHERE f.user_id = ${userId} AND f.kind = 'charge' AND f.status IN ('deferred', 'failed')
          GROUP BY 1, f.currency ORDER BY f.currency`,
    ),
    rows<{ month: string; currency: string; minor: string | number }>(
      q,
      sql`SELECT to_char(date_trunc('month', coalesce(r.approval_date, r.seen_at) AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
                 r.currency, sum(r.amount_minor::numeric)::text AS minor
          FROM reimbursements r WHERE ${RECOVERED(userId)}
          GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    nextDeadlines(q, userId),
    rows<{ selling_partner_id: string; region: string; status: string; connected_at: Date | string; last_error: unknown }>(
      q,
      sql`SELECT selling_partner_id, region, status, connected_at, last_error FROM amazon_connections WHERE user_id = ${userId}`,
    ),
    belowManufacturingCost(q, userId),
  ]);
  const conn = connection[0];
  return {
    recovered: amounts(recovered),
    pending: amounts(pending),
    expected: amounts(expected),
    fees_charged: amounts(fees),
    fees_owed: amounts(owed.filter((r) => r.status === 'deferred')).filter((a) => a.minor > 0),
    fees_declined: amounts(owed.filter((r) => r.status === 'failed')).filter((a) => a.minor > 0),
    recovered_by_month: byMonth.map((r) => ({ month: r.month, minor: safeMinor(r.minor), currency: r.currency })),
    next_deadlines: deadlines,
    below_manufacturing_cost: belowCost,
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
