// Payouts on Clario's cases that match no single claim: parked with the reason, nothing charged.
// An operator credits one by triggering phase 7 with the claim named.
import type { Amount } from '../lib/api.js';
import { formatDate, formatMoney } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { Pending } from './Status.js';

interface Unmatched {
  payout_id: string;
  user_id: string;
  case_id: string | null;
  amount: Amount;
  reason: string | null;
  seen_at: string;
}

export function UnmatchedPayouts() {
  const [res] = useApi<{ payouts: Unmatched[] }>('/api/v1/ops/payouts/unmatched?limit=100');
  return (
    <section className="card" aria-labelledby="unmatched">
      <h2 id="unmatched">Payouts on no claim</h2>
      <Pending res={res} what="unmatched payouts" />
      {res.state === 'ready' &&
        (res.data.payouts.length === 0 ? (
          <p className="muted">Every payout is on its claim.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Payout</th>
                  <th scope="col">Seller</th>
                  <th scope="col">Case</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Why it is parked</th>
                  <th scope="col">Seen</th>
                </tr>
              </thead>
              <tbody>
                {res.data.payouts.map((p) => (
                  <tr key={`${p.user_id} ${p.payout_id}`}>
                    <td>
                      <code>{p.payout_id}</code>
                    </td>
                    <td>
                      <code>{p.user_id}</code>
                    </td>
                    <td>{p.case_id ?? '—'}</td>
                    <td>{formatMoney(p.amount)}</td>
                    <td>{p.reason ?? '—'}</td>
                    <td>{formatDate(p.seen_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
