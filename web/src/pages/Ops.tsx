// The operator's view (service token): the queue, who is connected, parked phases with a replay
// button, where event delivery stands (webhooks, EventBridge), and the audit log searched by
// seller, sync or claim.
import { useState } from 'react';
import type { PhaseError } from '../../../src/domain/errors.js';
import { PHASES, type PhaseNumber } from '../../../src/domain/phase.js';
import { post, qs } from '../lib/api.js';
import { formatDate, text } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { Facts } from '../components/Detail.js';
import { Pending } from '../components/Status.js';
import { UnmatchedPayouts } from '../components/UnmatchedPayouts.js';
import { EventDelivery } from '../components/EventDelivery.js';

interface Failed {
  event_id: string;
  phase: number;
  user_id: string;
  sync_id: string | null;
  claim_id: string | null;
  attempts: number;
  last_error: PhaseError | null;
  failed_at: string;
}
interface AuditEntry {
  id: number;
  event_id: string;
  phase: number;
  user_id: string;
  sync_id: string | null;
  claim_id: string | null;
  from: string | null;
  to: string;
  attempt: number;
  error: PhaseError | null;
  at: string;
}

interface SecurityEvent {
  id: number;
  kind: string;
  user_id: string | null;
  selling_partner_id: string | null;
  detail: { owner_user_id?: string } | null;
  at: string | null;
}

export function OpsPage() {
  const [stats, reloadStats] = useApi<Record<string, unknown>>('/api/v1/workflow/queue/stats');
  const [clients, reloadClients] = useApi<{ total: number; clients: Array<{ user_id: string; connections: number }> }>('/api/v1/ops/clients');
  const [failed, reloadFailed] = useApi<{ events: Failed[] }>('/api/v1/ops/failed?limit=100');
  const [refused, reloadRefused] = useApi<{ events: SecurityEvent[] }>('/api/v1/ops/security-events?limit=20');
  const [replayed, setReplayed] = useState('');
  const [filter, setFilter] = useState({ user_id: '', sync_id: '', claim_id: '' });
  const [query, setQuery] = useState<string | null>(null);
  const [audit] = useApi<{ entries: AuditEntry[] }>(query);

  const refresh = () => {
    reloadStats();
    reloadClients();
    reloadFailed();
    reloadRefused();
  };

  return (
    <main id="main" className="page">
      <h1 tabIndex={-1}>Operator view</h1>
      <p>
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      </p>
      <div className="grid-2">
        <section className="card" aria-labelledby="queue">
          <h2 id="queue">Queue</h2>
          <Pending res={stats} what="queue stats" />
          {stats.state === 'ready' && (
            <Facts items={Object.entries(stats.data).map(([k, v]) => [k.replace(/_/g, ' '), text(v)] as const)} />
          )}
        </section>
        <section className="card" aria-labelledby="clients">
          <h2 id="clients">Connected clients</h2>
          <Pending res={clients} what="clients" />
          {clients.state === 'ready' &&
            (clients.data.clients.length === 0 ? (
              <p className="muted">No WebSocket is open on this instance.</p>
            ) : (
              <ul>
                {clients.data.clients.map((c) => (
                  <li key={c.user_id}>
                    <code>{c.user_id}</code> — {c.connections} connection{c.connections === 1 ? '' : 's'}
                  </li>
                ))}
              </ul>
            ))}
        </section>
      </div>

      <section className="card" aria-labelledby="failed">
        <h2 id="failed">Failed phases</h2>
        <p className="sr-only" role="status" aria-live="polite">
          {replayed}
        </p>
        <Pending res={failed} what="failed phases" />
        {failed.state === 'ready' &&
          (failed.data.events.length === 0 ? (
            <p className="muted">Nothing is parked.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Phase</th>
                    <th scope="col">Seller</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Failed</th>
                    <th scope="col">
                      <span className="sr-only">Action</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {failed.data.events.map((e) => (
                    <tr key={e.event_id}>
                      <td>
                        {e.phase} {PHASES[e.phase as PhaseNumber]?.key}
                      </td>
                      <td>
                        <code>{e.user_id}</code>
                      </td>
                      <td>{e.last_error ? `${e.last_error.message} (${e.last_error.code})` : '—'}</td>
                      <td>{formatDate(e.failed_at)}</td>
                      <td>
                        <button
                          type="button"
                          onClick={() => {
                            void post<{ status: string }>(`/api/v1/workflow/events/${encodeURIComponent(e.event_id)}/replay`, {}).then((r) => {
                              setReplayed(r.ok ? `Phase ${e.phase} of ${e.user_id} replayed: ${r.data.status}.` : `Replay failed: ${r.message}`);
                              reloadFailed();
                            });
                          }}
                        >
                          Replay<span className="sr-only"> phase {e.phase} of {e.user_id}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        {replayed && <p className="small">{replayed}</p>}
      </section>

      <section className="card" aria-labelledby="refused">
        <h2 id="refused">Refused connections</h2>
        <p className="muted small">A seller tried to connect an Amazon selling partner that another account holds; nothing was stored.</p>
        <Pending res={refused} what="refused connections" />
        {refused.state === 'ready' &&
          (refused.data.events.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Tried by</th>
                    <th scope="col">Selling partner</th>
                    <th scope="col">Held by</th>
                  </tr>
                </thead>
                <tbody>
                  {refused.data.events.map((e) => (
                    <tr key={e.id}>
                      <td>{formatDate(e.at)}</td>
                      <td>
                        <code>{e.user_id ?? '—'}</code>
                      </td>
                      <td>
                        <code>{e.selling_partner_id ?? '—'}</code>
                      </td>
                      <td>
                        <code>{e.detail?.owner_user_id ?? '—'}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
      </section>
      <UnmatchedPayouts />
      <EventDelivery />

      <section className="card" aria-labelledby="audit">
        <h2 id="audit">Audit log</h2>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery(`/api/v1/workflow/audit${qs({ ...filter, limit: 200 })}`);
          }}
        >
          {(['user_id', 'sync_id', 'claim_id'] as const).map((k) => (
            <div key={k}>
              <label htmlFor={`a-${k}`}>{k === 'user_id' ? 'Seller' : k === 'sync_id' ? 'Sync' : 'Claim'}</label>
              <input id={`a-${k}`} value={filter[k]} onChange={(e) => setFilter({ ...filter, [k]: e.target.value.trim() })} spellCheck={false} />
            </div>
          ))}
          <div>
            <button type="submit">Search</button>
          </div>
        </form>
        {query && <Pending res={audit} what="the audit log" />}
        {query && audit.state === 'ready' && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Phase</th>
                  <th scope="col">Seller</th>
                  <th scope="col">Change</th>
                  <th scope="col">Sync / claim</th>
                </tr>
              </thead>
              <tbody>
                {audit.data.entries.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <time dateTime={a.at}>{formatDate(a.at)}</time>
                    </td>
                    <td>{a.phase}</td>
                    <td>
                      <code>{a.user_id}</code>
                    </td>
                    <td>
                      {a.from ?? 'new'} → {a.to} {a.error && <span className="error">({a.error.message})</span>}
                    </td>
                    <td>
                      <code>{a.claim_id ?? a.sync_id ?? '—'}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {audit.data.entries.length === 0 && <p className="muted">No entries match.</p>}
          </div>
        )}
      </section>
    </main>
  );
}
