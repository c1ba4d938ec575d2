// A seller's statement: per month and currency, what Amazon paid on Clario's cases (recovered,
// net of reversals), what is still pending (filed claims not yet paid), the fees Stripe collected
// and refunded, and the net the seller keeps. Fees come from the ledger, the source of truth.
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../store/db.js';

export interface StatementLine {
  readonly month: string;
  readonly currency: string;
  readonly recovered_minor: number;
  readonly pending_minor: number;
  readonly fees_charged_minor: number;
  readonly fees_refunded_minor: number;
  /** recovered − fees charged + fees refunded. */
  readonly net_minor: number;
}

export interface Statement {
  readonly user_id: string;
  readonly months: StatementLine[];
  /** All months together, per currency: the dashboard overview's figures. */
  readonly totals: Array<Omit<StatementLine, 'month'>>;
}

type Raw = { month: string; currency: string; recovered: string; pending: string; charged: string; refunded: string };

export async function sellerStatement(q: Queryable, userId: string): Promise<Statement> {
  // Months in UTC; pending counts in the month the claim was last updated (when it was filed).
  const found = await rows<Raw>(
    q,
    sql`WITH parts AS (
          SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, currency,
                 reimbursed_minor AS recovered, 0::bigint AS pending, 0::bigint AS charged, 0::bigint AS refunded
            FROM fee_charges WHERE user_id = ${userId}
          UNION ALL
          SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM'), currency, 0, amount_minor, 0, 0
            FROM claims WHERE user_id = ${userId} AND status = 'filed' AND amount_minor IS NOT NULL AND currency IS NOT NULL
          UNION ALL
          SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM'), currency, 0, 0,
                 CASE WHEN journal_id LIKE 'charge:%' THEN amount_minor ELSE 0 END,
                 CASE WHEN journal_id LIKE 'refund:%' THEN -amount_minor ELSE 0 END
            FROM ledger_entries WHERE user_id = ${userId} AND account = 'cash:stripe'
        )
        SELECT month, currency, SUM(recovered)::text AS recovered, SUM(pending)::text AS pending,
               SUM(charged)::text AS charged, SUM(refunded)::text AS refunded
          FROM parts GROUP BY month, currency ORDER BY month, currency`,
  );
  const months = found.map((r): StatementLine => {
    const [recovered, pending, charged, refunded] = [r.recovered, r.pending, r.charged, r.refunded].map(Number) as [number, number, number, number];
    return {
      month: r.month,
      currency: r.currency,
      recovered_minor: recovered,
      pending_minor: pending,
      fees_charged_minor: charged,
      fees_refunded_minor: refunded,
      net_minor: recovered - charged + refunded,
    };
  });
  const totals = new Map<string, Omit<StatementLine, 'month'>>();
  for (const { month: _month, ...m } of months) {
    const t = totals.get(m.currency);
    totals.set(
      m.currency,
      t
        ? {
            currency: m.currency,
            recovered_minor: t.recovered_minor + m.recovered_minor,
            pending_minor: t.pending_minor + m.pending_minor,
            fees_charged_minor: t.fees_charged_minor + m.fees_charged_minor,
            fees_refunded_minor: t.fees_refunded_minor + m.fees_refunded_minor,
            net_minor: t.net_minor + m.net_minor,
          }
        : m,
    );
  }
  return { user_id: userId, months, totals: [...totals.values()] };
}

const COLUMNS = ['month', 'currency', 'recovered_minor', 'pending_minor', 'fees_charged_minor', 'fees_refunded_minor', 'net_minor'] as const;

/** The statement as CSV with a header row; amounts stay integer minor units, as everywhere. */
export function statementCsv(s: Statement): string {
  const lines = [COLUMNS.join(','), ...s.months.map((m) => COLUMNS.map((c) => String(m[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
