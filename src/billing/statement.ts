// A seller's statement: per month and currency, what Amazon paid on Clario's cases (recovered,
// net of reversals), what is still pending (filed claims not yet paid), the fees Stripe collected
// and refunded, and the net the seller keeps. Fees come from the ledger, the source of truth.
import { sql } from 'drizzle-orm';
import { safeMinor } from '../domain/money.js';
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
  // Each payout counts once, on its own claim, and only once phase 7 moved that claim on: a claim
  // still filed is pending, so its money is never also recovered. Sums are numeric, read as text.
  const found = await rows<Raw>(
    q,
    sql`WITH parts AS (
          SELECT to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, f.currency,
                 f.reimbursed_minor AS recovered, 0::bigint AS pending, 0::bigint AS charged, 0::bigint AS refunded
            FROM fee_charges f JOIN claims c ON c.id = f.claim_id
            WHERE f.user_id = ${userId} AND c.status <> 'filed'
          UNION ALL
          SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM'), currency, 0, amount_minor, 0, 0
            FROM claims WHERE user_id = ${userId} AND status = 'filed' AND amount_minor IS NOT NULL AND currency IS NOT NULL
          UNION ALL
          SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM'), currency, 0, 0,
                 CASE WHEN journal_id LIKE 'charge:%' THEN amount_minor ELSE 0 END,
                 CASE WHEN journal_id LIKE 'refund:%' THEN -amount_minor ELSE 0 END
            FROM ledger_entries WHERE user_id = ${userId} AND account = 'cash:stripe'
        )
        SELECT month, currency, SUM(recovered::numeric)::text AS recovered, SUM(pending::numeric)::text AS pending,
               SUM(charged::numeric)::text AS charged, SUM(refunded::numeric)::text AS refunded
          FROM parts GROUP BY month, currency ORDER BY month, currency`,
  );
  const months = found.map((r): StatementLine => {
    const [recovered, pending, charged, refunded] = [r.recovered, r.pending, r.charged, r.refunded].map((x) => BigInt(x ?? '0')) as [bigint, bigint, bigint, bigint];
    return line(r.month, r.currency, recovered, pending, charged, refunded);
  });
  // Totals add the months exactly (BigInt), then are checked like every other figure.
  const totals = new Map<string, [bigint, bigint, bigint, bigint]>();
  for (const m of found) {
    const t = totals.get(m.currency) ?? [0n, 0n, 0n, 0n];
    totals.set(m.currency, [t[0] + BigInt(m.recovered ?? '0'), t[1] + BigInt(m.pending ?? '0'), t[2] + BigInt(m.charged ?? '0'), t[3] + BigInt(m.refunded ?? '0')]);
  }
  return {
    user_id: userId,
    months,
    totals: [...totals].map(([currency, [recovered, pending, charged, refunded]]) => {
      const { month: _month, ...rest } = line('', currency, recovered, pending, charged, refunded);
      return rest;
    }),
  };
}

function line(month: string, currency: string, recovered: bigint, pending: bigint, charged: bigint, refunded: bigint): StatementLine {
  return {
    month,
    currency,
    recovered_minor: safeMinor(recovered),
    pending_minor: safeMinor(pending),
    fees_charged_minor: safeMinor(charged),
    fees_refunded_minor: safeMinor(refunded),
    net_minor: safeMinor(recovered - charged + refunded),
  };
}

const COLUMNS = ['month', 'currency', 'recovered_minor', 'pending_minor', 'fees_charged_minor', 'fees_refunded_minor', 'net_minor'] as const;

/** The statement as CSV with a header row; amounts stay integer minor units, as everywhere. */
export function statementCsv(s: Statement): string {
  const lines = [COLUMNS.join(','), ...s.months.map((m) => COLUMNS.map((c) => String(m[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
