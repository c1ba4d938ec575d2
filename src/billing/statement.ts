// A seller's statement: per month and currency, what Amazon paid on Clario's cases (recovered,
// net of reversals), what is still pending (filed claims not yet paid), the fees Stripe collected
// (charged, gross) and refunded, and the two apart (net), the fees owed (below Stripe's minimum,
// not collected yet) and declined (the card was refused), and the net the seller keeps. Recovered
// is what phase 7 credited (fee_charges: one row per payout it settled, on the claim it pays);
// collected fees come from the ledger. The dashboard overview shows these same figures.
import { sql } from 'drizzle-orm';
import { safeMinor } from '../domain/money.js';
import { rows, type Db } from '../store/db.js';

export interface StatementLine {
  readonly month: string;
  readonly currency: string;
  readonly recovered_minor: number;
  readonly pending_minor: number;
  /** Fees Stripe collected, gross: refunds are not taken off. */
  readonly fees_charged_minor: number;
  /** Fees given back to the seller (reversals), as a positive amount. */
  readonly fees_refunded_minor: number;
  /** fees charged − fees refunded: what Clario kept. */
  readonly fees_net_minor: number;
  /** Fees earned but below Stripe's minimum charge, not collected yet (less what reversals gave back). */
  readonly fees_owed_minor: number;
  /** Fees Stripe tried to charge and the card declined: still owed. */
  readonly fees_declined_minor: number;
  /** What the seller keeps: recovered − fees net (fees charged − fees refunded). */
  readonly net_minor: number;
}

export interface Statement {
  readonly user_id: string;
  readonly months: StatementLine[];
  /** All months together, per currency: the dashboard overview's figures. */
  readonly totals: Array<Omit<StatementLine, 'month'>>;
}

const FIGURES = ['recovered', 'pending', 'charged', 'refunded', 'owed', 'declined'] as const;
type Figures = Record<(typeof FIGURES)[number], bigint>;
type Raw = { month: string; currency: string } & Record<(typeof FIGURES)[number], string>;

export async function sellerStatement(q: Db, userId: string): Promise<Statement> {
  // Months in UTC; pending counts in the month the claim was last updated (when it was filed).
  // Each payout counts once, on its own claim, and only once phase 7 moved that claim on: a claim
  // still filed is pending, so its money is never also recovered. Sums are numeric, read as text.
  const found = await rows<Raw>(
    q,
    sql`WITH parts AS (
          SELECT to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, f.currency,
                 f.reimbursed_minor AS recovered, 0::bigint AS pending, 0::bigint AS charged, 0::bigint AS refunded,
                 0::bigint AS owed, 0::bigint AS declined
            FROM fee_charges f JOIN claims c ON c.id = f.claim_id
            WHERE f.user_id = ${userId} AND c.status <> 'filed'
          UNION ALL
          SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM'), currency, 0, amount_minor, 0, 0, 0, 0
            FROM claims WHERE user_id = ${userId} AND status = 'filed' AND amount_minor IS NOT NULL AND currency IS NOT NULL
          UNION ALL
          SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM'), currency, 0, 0,
                 CASE WHEN journal_id LIKE 'charge:%' THEN amount_minor ELSE 0 END,
                 CASE WHEN journal_id LIKE 'refund:%' THEN -amount_minor ELSE 0 END, 0, 0
            FROM ledger_entries WHERE user_id = ${userId} AND account = 'cash:stripe'
          UNION ALL
          -- What is still owed on a fee: the fee less what reversals gave back on it; an owed fee
          -- whose batch charge was declined counts as declined.
          SELECT to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM'), f.currency, 0, 0, 0, 0,
                 CASE WHEN f.status = 'deferred' AND b.status IS DISTINCT FROM 'failed' THEN o.owed ELSE 0 END,
                 CASE WHEN f.status = 'failed' OR b.status = 'failed' THEN o.owed ELSE 0 END
            FROM fee_charges f LEFT JOIN fee_batches b ON b.id = f.batch_id
            CROSS JOIN LATERAL (SELECT f.fee_minor + coalesce((SELECT SUM(r.fee_minor) FROM fee_charges r
                                WHERE r.kind = 'refund' AND r.reverses_payout_id = f.payout_id), 0) AS owed) o
            WHERE f.user_id = ${userId} AND f.kind = 'charge' AND f.status IN ('deferred', 'failed')
        )
        SELECT month, currency, SUM(recovered::numeric)::text AS recovered, SUM(pending::numeric)::text AS pending,
               SUM(charged::numeric)::text AS charged, SUM(refunded::numeric)::text AS refunded,
               SUM(owed::numeric)::text AS owed, SUM(declined::numeric)::text AS declined
          FROM parts GROUP BY month, currency ORDER BY month, currency`,
  );
  const figures = (r: Raw): Figures => Object.fromEntries(FIGURES.map((k) => [k, BigInt(r[k])])) as Figures;
  const months = found.map((r) => line(r.month, r.currency, figures(r)));
  // Totals add the months exactly (BigInt), then are checked like every other figure.
  const totals = new Map<string, Figures>();
  for (const r of found) {
    const t = totals.get(r.currency);
    const f = figures(r);
    totals.set(r.currency, t ? (Object.fromEntries(FIGURES.map((k) => [k, t[k] + f[k]])) as Figures) : f);
  }
  return {
    user_id: userId,
    months,
    totals: [...totals].map(([currency, f]) => {
      const { month: _month, ...rest } = line('', currency, f);
      return rest;
    }),
  };
}

function line(month: string, currency: string, f: Figures): StatementLine {
  return {
    month,
    currency,
    recovered_minor: safeMinor(f.recovered),
    pending_minor: safeMinor(f.pending),
    fees_charged_minor: safeMinor(f.charged),
    fees_refunded_minor: safeMinor(f.refunded),
    fees_net_minor: safeMinor(f.charged - f.refunded),
    fees_owed_minor: safeMinor(f.owed),
    fees_declined_minor: safeMinor(f.declined),
    net_minor: safeMinor(f.recovered - f.charged + f.refunded),
  };
}

const COLUMNS = ['month', 'currency', 'recovered_minor', 'pending_minor', 'fees_charged_minor', 'fees_refunded_minor', 'fees_net_minor', 'fees_owed_minor', 'fees_declined_minor', 'net_minor'] as const;

/** The statement as CSV with a header row; amounts stay integer minor units, as everywhere. */
export function statementCsv(s: Statement): string {
  const lines = [COLUMNS.join(','), ...s.months.map((m) => COLUMNS.map((c) => String(m[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
