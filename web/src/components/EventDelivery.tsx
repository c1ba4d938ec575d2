// Where the event mirror stands: each webhook subscription and the EventBridge sink, with the
// cursor, how far it trails the outbox, and the last error's category. Secrets are never sent here
// (the API shows a subscription's secret once, on creation).
import { formatDate } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { Pending } from './Status.js';

interface DeliveryError {
  code: string;
  message: string;
}
interface Subscription {
  id: string;
  url: string;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  delivery: { last_delivered_seq: number; attempts: number; failing_since: string | null; last_error: DeliveryError | null; last_delivered_at: string | null };
}
interface Sink {
  kind: string;
  bus: string;
  last_delivered_seq: number;
  lag: number;
  attempts: number;
  failing_since: string | null;
  last_error: DeliveryError | null;
  last_delivered_at: string | null;
}

const lastError = (e: DeliveryError | null) => (e ? `${e.code}: ${e.message}` : '—');

export function EventDelivery() {
  const [subs] = useApi<{ subscriptions: Subscription[] }>('/api/v1/subscriptions');
  const [sinks] = useApi<{ outbox_head: number; sinks: Sink[] }>('/api/v1/ops/event-sinks');
  // A subscription's lag is read against the same outbox head the sinks are.
  const head = sinks.state === 'ready' ? sinks.data.outbox_head : undefined;
  return (
    <section className="card" aria-labelledby="event-delivery">
      <h2 id="event-delivery">Event delivery</h2>
      <h3 id="webhooks">Webhook subscriptions</h3>
      <Pending res={subs} what="subscriptions" />
      {subs.state === 'ready' &&
        (subs.data.subscriptions.length === 0 ? (
          <p className="muted">No endpoint is subscribed.</p>
        ) : (
          <div className="table-wrap">
            <table aria-labelledby="webhooks">
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Status</th>
                  <th scope="col">Cursor</th>
                  <th scope="col">Lag</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Last delivered</th>
                </tr>
              </thead>
              <tbody>
                {subs.data.subscriptions.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <code>{s.url}</code>
                    </td>
                    <td>{s.status === 'disabled' ? `disabled${s.disabled_reason ? ` (${s.disabled_reason})` : ''}` : 'active'}</td>
                    <td>{s.delivery.last_delivered_seq}</td>
                    <td>{head === undefined ? '—' : Math.max(0, head - s.delivery.last_delivered_seq)}</td>
                    <td>
                      {lastError(s.delivery.last_error)}
                      {s.delivery.attempts > 0 && ` after ${s.delivery.attempts} attempt${s.delivery.attempts === 1 ? '' : 's'}`}
                    </td>
                    <td>{formatDate(s.delivery.last_delivered_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      <h3 id="sinks">EventBridge</h3>
      <Pending res={sinks} what="the EventBridge sink" />
      {sinks.state === 'ready' &&
        (sinks.data.sinks.length === 0 ? (
          <p className="muted">No EventBridge bus has been fed (EVENTBRIDGE_BUS is unset on the workers).</p>
        ) : (
          <div className="table-wrap">
            <table aria-labelledby="sinks">
              <thead>
                <tr>
                  <th scope="col">Bus</th>
                  <th scope="col">Cursor</th>
                  <th scope="col">Lag</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Failing since</th>
                  <th scope="col">Last delivered</th>
                </tr>
              </thead>
              <tbody>
                {sinks.data.sinks.map((s) => (
                  <tr key={s.bus}>
                    <td>
                      <code>{s.bus}</code>
                    </td>
                    <td>{s.last_delivered_seq}</td>
                    <td>{s.lag}</td>
                    <td>
                      {lastError(s.last_error)}
                      {s.attempts > 0 && ` after ${s.attempts} attempt${s.attempts === 1 ? '' : 's'}`}
                    </td>
                    <td>{formatDate(s.failing_since)}</td>
                    <td>{formatDate(s.last_delivered_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
