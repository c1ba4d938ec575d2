// What the seller keeps and Amazon does not know: the manufacturing cost of each SKU, and what
// arrived of the removal shipments Amazon sent back. Each shipment nobody has answered for yet is
// a question here ("did these 12 units arrive?"); both records can also be uploaded as CSV.
import { useState } from 'react';
import { call, post } from '../lib/api.js';
import { arrivalQuestion, count, formatDate } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { Pending } from '../components/Status.js';

export interface RemovalShipment {
  id: string;
  order_id: string;
  sku: string;
  tracking_number: string;
  carrier: string | null;
  shipment_date: string;
  shipped_quantity: number;
  state: 'awaiting' | 'answered' | 'uploaded' | 'not_in_upload';
  received_quantity: number | null;
  answer: { answer: 'all' | 'some' | 'none'; answered_at: string } | null;
}

interface UploadAnswer {
  rows: number;
  problems: Array<{ line: number; message: string }>;
}

const STATE_TEXT: Record<RemovalShipment['state'], string> = {
  awaiting: 'Waiting for your answer',
  answered: 'Answered',
  uploaded: 'In your receipts file',
  not_in_upload: 'Not in your receipts file: none arrived',
};

export function RecordsPage({ userId }: { userId: string }) {
  const base = `/api/v1/sellers/${encodeURIComponent(userId)}`;
  const [res, reload] = useApi<{ shipments: RemovalShipment[] }>(`${base}/removal-shipments`, { notFoundMeansUnavailable: true });
  const shipments = res.state === 'ready' ? res.data.shipments : [];
  const awaiting = shipments.filter((s) => s.state === 'awaiting');
  const known = shipments.filter((s) => s.state !== 'awaiting');
  return (
    <main id="main" className="page">
      <h1 tabIndex={-1}>Costs &amp; receipts</h1>
      <section className="card" aria-labelledby="removals-title">
        <h2 id="removals-title">Removal shipments</h2>
        <p className="muted">
          When Amazon sends stock back to you, tell Clario what arrived. A shipment short of units becomes a claim; one you have not answered for never does.
        </p>
        <Pending res={res} what="removal shipments" />
        {res.state === 'ready' &&
          (awaiting.length === 0 ? (
            <p className="muted" data-testid="removals-awaiting">No removal shipment is waiting for your answer.</p>
          ) : (
            <ul className="prompts" data-testid="removals-awaiting">
              {awaiting.map((s) => (
                <ShipmentQuestion key={s.id} s={s} path={`${base}/removal-shipments/${encodeURIComponent(s.id)}/answer`} onAnswered={reload} />
              ))}
            </ul>
          ))}
        {known.length > 0 && (
          <div className="table-wrap">
            <table data-testid="removals-known">
              <caption className="sr-only">Removal shipments answered or in your receipts file</caption>
              <thead>
                <tr>
                  <th scope="col">Shipped</th>
                  <th scope="col">Order</th>
                  <th scope="col">SKU</th>
                  <th scope="col">Tracking</th>
                  <th scope="col">Units</th>
                  <th scope="col">Received</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {known.map((s) => (
                  <tr key={s.id}>
                    <td>{formatDate(s.shipment_date)}</td>
                    <td>{s.order_id}</td>
                    <td>{s.sku}</td>
                    <td>{s.tracking_number || '—'}</td>
                    <td>{s.shipped_quantity}</td>
                    <td>{s.received_quantity ?? '—'}</td>
                    <td>{STATE_TEXT[s.state]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <CsvUpload
          id="receipts"
          title="Upload your removal receipts"
          path={`${base}/removal-receipts`}
          columns="order_id,sku,tracking_number,received_quantity,received_date"
          hint="Replaces your previous file. A shipment sent before the upload that the file has no line for counts as not arrived (Clario waits 15 days after shipping before claiming it); a line wins over an answer given here."
          onUploaded={reload}
        />
      </section>
      <section className="card" aria-labelledby="costs-title">
        <h2 id="costs-title">Manufacturing cost</h2>
        <p className="muted">
          Since 2025 Amazon pays lost and damaged stock at its manufacturing cost: what one unit cost you to make or buy, without shipping, handling or duties. Without one, Amazon uses its own
          estimate. Set the same figures on Seller Central&apos;s &ldquo;Manage Your Manufacturing Cost&rdquo; page, and give them to Clario so it can value your claims and spot
          reimbursements paid below cost.
        </p>
        <CsvUpload
          id="costs"
          title="Upload your manufacturing costs"
          path={`${base}/costs`}
          columns="sku,manufacturing_cost,currency"
          hint="Replaces your previous file. Amounts as decimals (12.40); the older header unit_cost works too."
        />
      </section>
    </main>
  );
}

function ShipmentQuestion({ s, path, onAnswered }: { s: RemovalShipment; path: string; onAnswered: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [some, setSome] = useState('');
  const titleId = `removal-${s.id}`;
  const single = s.shipped_quantity <= 1;
  const answer = async (body: { answer: 'all' | 'some' | 'none'; received_quantity?: number }) => {
    setBusy(true);
    setError('');
    const r = await post<{ shipment: RemovalShipment }>(path, body);
    setBusy(false);
    if (r.ok) onAnswered();
    else setError(r.message);
  };
  return (
    <li className="card prompt" aria-labelledby={titleId} data-removal={s.id}>
      <h3 id={titleId}>
        {arrivalQuestion(s.shipped_quantity, s.sku)}{' '}
        <span className="muted small">
          removal order {s.order_id} · shipped {formatDate(s.shipment_date)}
          {s.tracking_number && ` · ${s.carrier ?? 'tracking'} ${s.tracking_number}`}
        </span>
      </h3>
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void answer({ answer: 'all' })}>
          {single ? 'It arrived' : 'All arrived'}
        </button>
        {/* "Some" of one unit is none or all: the choice is offered only for two units or more. */}
        {!single && (
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              void answer({ answer: 'some', received_quantity: Number(some) });
            }}
          >
            <label htmlFor={`some-${s.id}`}>Units that arrived</label>{' '}
            <input id={`some-${s.id}`} type="number" min={1} max={Math.max(1, s.shipped_quantity - 1)} step={1} required value={some} onChange={(e) => setSome(e.target.value)} disabled={busy} />{' '}
            <button type="submit" disabled={busy || some === ''}>
              Some arrived
            </button>
          </form>
        )}
        <button type="button" disabled={busy} onClick={() => void answer({ answer: 'none' })}>
          {single ? 'It did not arrive' : 'None arrived'}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function CsvUpload(p: { id: string; title: string; path: string; columns: string; hint: string; onUploaded?: () => void }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true; data: UploadAnswer } | { ok: false; message: string } | null>(null);
  const upload = async (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    setBusy(true);
    const r = await call<UploadAnswer>(p.path, { method: 'PUT', body: file, headers: { 'content-type': 'text/csv' } });
    setBusy(false);
    setResult(r.ok ? { ok: true, data: r.data } : { ok: false, message: r.message });
    if (r.ok) p.onUploaded?.();
  };
  return (
    <div className="upload" data-testid={`upload-${p.id}`}>
      <h3>{p.title}</h3>
      <p className="small">
        A CSV file with the columns <code>{p.columns}</code>. {p.hint}
      </p>
      <span>
        <label htmlFor={`file-${p.id}`} className="button">
          Choose a CSV file
        </label>
        <input id={`file-${p.id}`} className="file" type="file" accept=".csv,text/csv" disabled={busy} onChange={(e) => void upload(e.target.files)} />
      </span>
      <div role="status" aria-live="polite">
        {result?.ok && (
          <>
            <p>
              {count(result.data.rows, 'line')} stored
              {result.data.problems.length > 0 && `, ${count(result.data.problems.filter((x) => x.line > 0).length, 'line')} refused`}.
            </p>
            {result.data.problems.length > 0 && (
              <ul className="problems small">
                {result.data.problems.map((x, i) => (
                  <li key={i}>{x.line > 0 ? `Line ${x.line}: ${x.message}` : x.message}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
      {result && !result.ok && (
        <p className="error" role="alert">
          {result.message}
        </p>
      )}
    </div>
  );
}

