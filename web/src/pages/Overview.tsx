// The seller's money at a glance, the chart, the next deadlines and the current sync.
import type { Amount } from '../lib/api.js';
import { amountLines, count, daysUntil, formatAmounts, formatDate, formatMoney, label } from '../lib/format.js';
import { onLinkClick } from '../lib/router.js';
import type { LiveMessage } from '../lib/live.js';
import { useApi } from '../lib/use-api.js';
import { useRefreshOn } from '../lib/use-refresh.js';
import { RecoveredChart, type MonthPoint } from '../components/Chart.js';
import { Badge, Pending } from '../components/Status.js';

export interface OverviewAnswer {
  user_id: string;
  recovered: Amount[];
  pending: Amount[];
  expected: Amount[];
  /** Fees Stripe collected, gross (refunds not taken off): the statement's fees_charged_minor. */
  fees_charged: Amount[];
  /** Fees given back on reversals. */
  fees_refunded: Amount[];
  /** Charged − refunded. */
  fees_net: Amount[];
  /** Fees below Stripe's minimum, collected together once they reach it. */
  fees_owed: Amount[];
  /** Fees the card declined: still owed. */
  fees_declined: Amount[];
  recovered_by_month: MonthPoint[];
  next_deadlines: Array<{
    claim_id: string;
    type: string;
    status: string;
    deadline: string;
    amount: Amount | null;
    waiting_on?: 'you' | 'clario' | 'amazon' | null;
    why?: string | null;
  }>;
  /** Reimbursements Amazon paid below the seller's manufacturing cost, per SKU. */
  below_manufacturing_cost: { skus: Array<{ sku: string; units: number; reimbursements: number; worth: Amount }>; worth: Amount[] };
  connection: { selling_partner_id: string; status: string; connected_at: string; region: string } | null;
  current_sync: { sync_id: string; created_at: string | null; phases: Array<{ phase: number; name: string; status: string | null }> } | null;
}

const CARDS = [
  ['recovered', 'Recovered', 'Paid by Amazon on cases Clario filed'],
  ['pending', 'Pending', 'Filed, waiting for Amazon'],
  ['expected', 'Expected', 'Open claims, weighted by confidence'],
  ['fees_charged', 'Fees charged', "Clario's fee on money recovered, before refunds"],
] as const;

// Money and deadlines move when a phase finishes (claims found, filed, paid).
const moneyMoved = (m: LiveMessage) => m.type === 'workflow.phase' && (m.status === 'completed' || m.status === 'failed');

export function OverviewPage({ userId }: { userId: string }) {
  const [res, reload] = useApi<OverviewAnswer>(`/api/v1/sellers/${encodeURIComponent(userId)}/overview`);
  useRefreshOn(userId, moneyMoved, reload);
  return (
    <main id="main" className="page">
      <h1 tabIndex={-1}>Overview</h1>
      <Pending res={res} what="overview" />
      {res.state === 'ready' && <Overview o={res.data} />}
    </main>
  );
}

function Overview({ o }: { o: OverviewAnswer }) {
  const sync = o.current_sync;
  const done = sync?.phases.filter((p) => p.status === 'completed').length ?? 0;
  const failed = sync?.phases.some((p) => p.status === 'failed');
  return (
    <>
      {(!o.connection || o.connection.status === 'reconnect_required') && (
        <section className="card" aria-labelledby="connect-title">
          <h2 id="connect-title">{o.connection ? 'Amazon needs you to connect again' : 'Connect your Amazon seller account'}</h2>
          <p>Clario reads your Seller Central reports once you approve it on Amazon's consent page.</p>
          <p>
            <a className="button primary big" href="/connect">
              {o.connection ? 'Reconnect your Amazon seller account' : 'Connect your Amazon seller account'}
            </a>
          </p>
        </section>
      )}
      <section aria-label="Money" className="cards">
        {CARDS.map(([key, title, hint]) => (
          <article key={key} className={`card stat stat-${key}`}>
            <h2>{title}</h2>
            <ul className="value amounts" data-testid={`stat-${key}`}>
              {amountLines(o[key]).map((l) => (
                <li key={l.key}>{l.text}</li>
              ))}
            </ul>
            <p className="muted small">{hint}</p>
            {key === 'fees_charged' && o.fees_refunded.length > 0 && (
              <p className="small" data-testid="stat-fees-refunded">
                Refunded {formatAmounts(o.fees_refunded)} on reversals: net {formatAmounts(o.fees_net)}
              </p>
            )}
            {key === 'fees_charged' && o.fees_owed.length > 0 && (
              <p className="small" data-testid="stat-fees-owed">
                Owed {formatAmounts(o.fees_owed)}: below the card minimum, charged with later fees
              </p>
            )}
            {key === 'fees_charged' && o.fees_declined.length > 0 && (
              <p className="small" data-testid="stat-fees-declined">
                Declined {formatAmounts(o.fees_declined)}: the card was refused
              </p>
            )}
          </article>
        ))}
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="chart-title">
          <h2 id="chart-title">Recovered over time</h2>
          <RecoveredChart points={o.recovered_by_month} />
        </section>
        <section className="card" aria-labelledby="deadlines-title">
          <h2 id="deadlines-title">Next deadlines</h2>
          {o.next_deadlines.length === 0 ? (
            <p className="muted">No claim that can still be filed has a deadline coming up.</p>
          ) : (
            <ol className="deadlines">
              {o.next_deadlines.map((d) => {
                const days = daysUntil(d.deadline);
                return (
                  <li key={d.claim_id}>
                    <a href={`/claims/${encodeURIComponent(d.claim_id)}`} onClick={onLinkClick}>
                      {label(d.type)}
                    </a>{' '}
                    <span className="muted">{formatMoney(d.amount)}</span>
                    <span className={days !== null && days <= 14 && d.waiting_on !== 'amazon' ? 'due soon' : 'due'}>
                      {formatDate(d.deadline)}
                      {days !== null && ` · ${days === 0 ? 'today' : `in ${count(days, 'day')}`}`}
                    </span>
                    {d.why && (
                      <span className={`why why-${d.waiting_on ?? 'none'}`} data-testid="deadline-why">
                        {d.why}
                      </span>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
        </section>
      </div>
      {o.below_manufacturing_cost.skus.length > 0 && <BelowCost b={o.below_manufacturing_cost} />}
      <section className="card" aria-labelledby="sync-title">
        <h2 id="sync-title">Current sync</h2>
        {sync ? (
          <p>
            Sync <code>{sync.sync_id}</code> started {formatDate(sync.created_at)}: {done} of {sync.phases.length} sync phases done
            {failed ? ', one needs attention' : ''}.{' '}
            <a href="/live" onClick={onLinkClick}>
              Watch it live
            </a>
          </p>
        ) : (
          <p className="muted">No sync yet.</p>
        )}
        {o.connection && (
          <p className="muted small">
            Amazon seller <code>{o.connection.selling_partner_id}</code> ({o.connection.region.toUpperCase()}) <Badge status={o.connection.status} /> since{' '}
            {formatDate(o.connection.connected_at)}
          </p>
        )}
      </section>
    </>
  );
}

/** What Amazon paid below the seller's manufacturing cost, and what setting it would have been worth. */
function BelowCost({ b }: { b: OverviewAnswer['below_manufacturing_cost'] }) {
  return (
    <section className="card" aria-labelledby="below-cost-title" data-testid="below-cost">
      <h2 id="below-cost-title">Paid below your manufacturing cost</h2>
      <p>
        Amazon paid these lost or damaged units below the manufacturing cost you gave Clario. Setting it on Seller Central&apos;s &ldquo;Manage Your Manufacturing Cost&rdquo; page would
        have been worth <strong data-testid="below-cost-worth">{formatAmounts(b.worth)}</strong>; Clario claims the difference where it still can.{' '}
        <a href="/records" onClick={onLinkClick}>
          Your manufacturing costs
        </a>
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col" className="num">Units</th>
              <th scope="col" className="num">Reimbursements</th>
              <th scope="col" className="num">Would have been worth</th>
            </tr>
          </thead>
          <tbody>
            {b.skus.map((s) => (
              <tr key={`${s.sku}-${s.worth.currency}`}>
                <td>{s.sku}</td>
                <td className="num">{s.units}</td>
                <td className="num">{s.reimbursements}</td>
                <td className="num">{formatMoney(s.worth)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
