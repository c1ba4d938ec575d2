// The seller's money at a glance: what Clario recovered (what phase 7 credited on cases Clario
// filed, net of reversals), what is pending (filed, not yet paid), what is expected (open claims
// weighted by their confidence), the fees charged, refunded and net, and the deadlines that come
// next. The money is the statement's (src/billing/statement.ts), all months together: one source,
// so the overview, the statement, the claim page and the proof packet agree. Sums stay in minor
// units per currency; nothing is converted.
import { sql } from 'drizzle-orm';
import { sellerStatement, type StatementLine } from '../billing/statement.js';
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

type Figure = 'recovered_minor' | 'pending_minor' | 'fees_charged_minor' | 'fees_refunded_minor' | 'fees_net_minor' | 'fees_owed_minor' | 'fees_declined_minor';

export async function moneyOverview(q: Db, userId: string) {
  const [statement, expected, deadlines, connection, belowCost] = await Promise.all([
    sellerStatement(q, userId),
    // Integer arithmetic: each claim's amount times its confidence, rounded to a whole minor unit.
    rows<{ currency: string; minor: string | number | null }>(
      q,
      sql`SELECT currency, sum(round(amount_minor * coalesce(confidence, 0)::numeric))::text AS minor FROM claims
          WHERE user_id = ${userId} AND status IN (${list(OPEN_STATUSES)}) AND currency IS NOT NULL GROUP BY currency ORDER BY currency`,
    ),
    nextDeadlines(q, userId),
    rows<{ selling_partner_id: string; region: string; status: string; connected_at: Date | string; last_error: unknown }>(
      q,
      sql`SELECT selling_partner_id, region, status, connected_at, last_error FROM amazon_connections WHERE user_id = ${userId}`,
    ),
    belowManufacturingCost(q, userId),
  ]);
  // A currency shows a figure only when it is not zero.
  const figure = (k: Figure): Amount[] =>
    statement.totals
      .filter((t) => t[k] !== 0)
      .map((t) => ({ minor: t[k], currency: t.currency }))
      .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  const recoveredIn = (m: StatementLine) => m.recovered_minor !== 0;
  const conn = connection[0];
  return {
    recovered: figure('recovered_minor'),
    pending: figure('pending_minor'),
    expected: amounts(expected),
    /** Fees Stripe collected, gross (the statement's fees_charged_minor). */
    fees_charged: figure('fees_charged_minor'),
    /** Fees given back on reversals. */
    fees_refunded: figure('fees_refunded_minor'),
    /** Charged − refunded: what Clario kept. */
    fees_net: figure('fees_net_minor'),
    fees_owed: figure('fees_owed_minor').filter((a) => a.minor > 0),
    fees_declined: figure('fees_declined_minor').filter((a) => a.minor > 0),
    recovered_by_month: statement.months.filter(recoveredIn).map((m) => ({ month: m.month, minor: m.recovered_minor, currency: m.currency })),
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
