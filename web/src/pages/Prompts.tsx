// What Clario needs from the seller, answered in place: confirm, upload a document, measure a SKU
// for a fee claim, or dismiss.
import { useEffect, useRef, useState } from 'react';
import { call, get, post, type Amount } from '../lib/api.js';
import { count, formatDate, formatMoney, formatPercent, label } from '../lib/format.js';
import { answerSaid, asksToConfirm, asksToMeasure, deadlinePassed, orderPrompts, PROMPTS_PER_PAGE, todayUtc, uploadsFor, type AnswerAction, type PromptAsk, type UploadKind } from '../lib/prompts.js';
import { onLinkClick } from '../lib/router.js';
import { useApi } from '../lib/use-api.js';
import { useRefreshOn } from '../lib/use-refresh.js';
import { MeasureForm } from '../components/MeasureForm.js';
import { Pending } from '../components/Status.js';

interface Prompt {
  id: string;
  claim_id: string;
  status: string;
  asks: Array<{ need: string; message: string }>;
  created_at: string;
  claim: { id: string; type: string; status: string; confidence: number | null; amount: Amount | null; quantity: number | null; deadline: string | null } | null;
}

const promptsMoved = (m: { type: string }) => m.type === 'prompt.opened' || m.type === 'claim.routed';

export function PromptsPage({ userId }: { userId: string }) {
  const [res, reload] = useApi<{ prompts: Prompt[] }>('/api/v1/prompts?status=open', { notFoundMeansUnavailable: true });
  // A new prompt appears without a reload.
  useRefreshOn(userId, promptsMoved, reload);
  const [done, setDone] = useState<Record<string, string>>({});
  const [shown, setShown] = useState(PROMPTS_PER_PAGE);
  const all = res.state === 'ready' ? orderPrompts(res.data.prompts, todayUtc()) : [];
  const page = all.slice(0, shown);
  // Answered prompts stay said even once the list no longer holds them (a reload the answer set off
  // can come back before the answer's own reply does).
  const answered = Object.entries(done).filter(([id]) => !page.some((p) => p.id === id));
  return (
    <main id="main" className="page">
      <h1 tabIndex={-1}>Smart prompts</h1>
      <p className="muted">A few answers from you can turn a doubtful claim into one Amazon pays. Nearest deadline first.</p>
      <Pending res={res} what="smart prompts" />
      <RemovalQuestions userId={userId} />
      <p className="sr-only" role="status" aria-live="polite">
        {Object.values(done).at(-1) ?? ''}
      </p>
      {answered.length > 0 && (
        <ul className="prompts">
          {answered.map(([id, message]) => (
            <li key={id} className="card done" data-prompt={id}>
              <p>{message}</p>
            </li>
          ))}
        </ul>
      )}
      {res.state === 'ready' &&
        (all.length === 0 ? (
          <p className="muted">Nothing needs your attention.</p>
        ) : (
          <>
            <p data-testid="prompt-count">
              {page.length < all.length ? `${page.length} of ${all.length} prompts shown` : count(all.length, 'prompt')}
            </p>
            <ul className="prompts">
              {page.map((p) =>
                done[p.id] ? (
                  <li key={p.id} className="card done" data-prompt={p.id}>
                    <p>{done[p.id]}</p>
                  </li>
                ) : (
                  <PromptCard
                    key={p.id}
                    p={p}
                    onDone={(msg) => {
                      setDone((d) => ({ ...d, [p.id]: msg }));
                      window.setTimeout(reload, 1500);
                    }}
                  />
                ),
              )}
            </ul>
            {page.length < all.length && (
              <p>
                <button type="button" onClick={() => setShown((n) => n + PROMPTS_PER_PAGE)}>
                  Show {Math.min(PROMPTS_PER_PAGE, all.length - page.length)} more
                </button>
              </p>
            )}
          </>
        ))}
    </main>
  );
}

/**
 * What to say once prompt `p` is answered and its claim is `status`: a prompted claim is asked
 * again (its new prompt's asks are what Clario still needs); any other says who it waits for now.
 */
async function saidAfter(p: Prompt, action: AnswerAction, status: string): Promise<string> {
  const claim = label(p.claim?.type);
  if (status === 'prompted') {
    const open = await get<{ prompts: Array<{ id: string; claim_id: string; asks: PromptAsk[] }> }>('/api/v1/prompts?status=open');
    const next = open.ok ? open.data.prompts.find((x) => x.claim_id === p.claim_id && x.id !== p.id) : undefined;
    return answerSaid({ claim, action, status, nextAsks: next?.asks ?? null });
  }
  if (status === 'dismissed' || status === 'ready') return answerSaid({ claim, action, status });
  const now = await get<{ claim: { waiting?: { why: string } | null } }>(`/api/v1/claims/${encodeURIComponent(p.claim_id)}`);
  return answerSaid({ claim, action, status, waiting: now.ok ? (now.data.claim.waiting?.why ?? null) : null });
}

function PromptCard({ p, onDone }: { p: Prompt; onDone: (message: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  // Dismissing gives the claim up: it takes a second, deliberate press ("Yes, dismiss").
  const [confirming, setConfirming] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  const dismissButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    // Focus follows the question, and comes back to Dismiss when the seller keeps the claim.
    if (confirming) keep.current?.focus();
    else if (asked.current) dismissButton.current?.focus();
    asked.current = confirming;
  }, [confirming]);
  const uploads = uploadsFor(p.asks);
  const titleId = `prompt-${p.id}`;

  const answer = async (action: 'confirm' | 'dismiss' | 'upload', fileIds?: string[]) => {
    setBusy(true);
    setError('');
    const r = await post<{ prompt: { status: string }; claim: { status: string } }>(`/api/v1/prompts/${encodeURIComponent(p.id)}/answer`, {
      action,
      ...(fileIds ? { file_ids: fileIds } : {}),
    });
    if (!r.ok && r.status === 409 && fileIds?.length) {
      // Storing the document re-scores the seller's claims, which can move this one on (and close
      // its prompt) before the answer arrives: the document is there, so say where the claim stands.
      const now = await get<{ claim: { status: string } }>(`/api/v1/claims/${encodeURIComponent(p.claim_id)}`);
      setBusy(false);
      if (now.ok && now.data.claim.status !== 'prompted') {
        onDone(await saidAfter(p, action, now.data.claim.status));
        return;
      }
    }
    if (r.ok) {
      const said = await saidAfter(p, action, r.data.claim.status);
      setBusy(false);
      onDone(said);
      return;
    }
    setBusy(false);
    setError(r.status === 404 && /no route/.test(r.message) ? 'Answering prompts is not available yet in this build.' : r.message);
  };

  /** Stores the files as evidence of `kind`; their ids, or null (the error shown). */
  const store = async (kind: UploadKind, files: FileList): Promise<string[] | null> => {
    const form = new FormData();
    for (const f of files) form.append('file', f);
    form.append('kind', kind);
    setBusy(true);
    setError('');
    const r = await call<{ files: Array<{ id: string; filename: string; status: string }> }>('/api/v1/evidence', { method: 'POST', body: form });
    setBusy(false);
    if (!r.ok) {
      setError(r.status === 404 && /no route/.test(r.message) ? 'Uploading evidence is not available yet in this build.' : r.message);
      return null;
    }
    return r.data.files.map((f) => f.id);
  };

  const upload = async (kind: UploadKind, files: FileList | null) => {
    if (!files || files.length === 0) return;
    const ids = await store(kind, files);
    if (ids) await answer('upload', ids);
  };


  return (
    <li className="card prompt" aria-labelledby={titleId} data-prompt={p.id}>
      <h2 id={titleId}>
        <a href={`/claims/${encodeURIComponent(p.claim_id)}`} onClick={onLinkClick}>
          {label(p.claim?.type)}
        </a>{' '}
        <span className="muted small">
          {formatMoney(p.claim?.amount)} · {count(p.claim?.quantity, 'unit')} · confidence {formatPercent(p.claim?.confidence)} · deadline {formatDate(p.claim?.deadline)}
          {deadlinePassed(p, todayUtc()) && ' (passed: too late to file)'}
        </span>
      </h2>
      <ul>
        {p.asks.map((a, i) => (
          <li key={i}>{a.message}</li>
        ))}
      </ul>
      {asksToMeasure(p.asks) && (
        <MeasureForm promptId={p.id} onDone={(m) => void saidAfter(p, 'measure', m.claimStatus).then(onDone)} />
      )}
      <div className="actions">
        {uploads.map((u) => (
          <span key={u.kind}>
            <label htmlFor={`file-${p.id}-${u.kind}`} className="button">
              {u.label}
            </label>
            <input
              id={`file-${p.id}-${u.kind}`}
              className="file"
              type="file"
              accept=".pdf,.csv,.txt,application/pdf,text/csv"
              disabled={busy}
              onChange={(e) => void upload(u.kind, e.target.files)}
            />
          </span>
        ))}
        {asksToConfirm(p.asks) && (
          <button type="button" className="primary" disabled={busy} onClick={() => void answer('confirm')}>
            Confirm
          </button>
        )}
        {!confirming && (
          <button type="button" ref={dismissButton} disabled={busy} onClick={() => setConfirming(true)}>
            Dismiss
          </button>
        )}
      </div>
      {confirming && (
        <div className="confirm" role="group" aria-labelledby={`dismiss-${p.id}`} data-testid="confirm-dismiss">
          <p id={`dismiss-${p.id}`}>
            <strong>Dismiss this claim?</strong> Clario will not file it, and {p.claim?.amount ? `the ${formatMoney(p.claim.amount)} it could recover` : 'what it could recover'} is given up.
          </p>
          <div className="actions">
            <button type="button" className="danger" disabled={busy} onClick={() => void answer('dismiss')}>
              Yes, dismiss
            </button>
            <button type="button" ref={keep} disabled={busy} onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** Removal shipments nobody has said arrived are smart prompts too; they are answered on the Costs & receipts page. */
function RemovalQuestions({ userId }: { userId: string }) {
  const [res] = useApi<{ shipments: unknown[] }>(userId ? `/api/v1/sellers/${encodeURIComponent(userId)}/removal-shipments?state=awaiting` : null, { notFoundMeansUnavailable: true });
  const n = res.state === 'ready' ? res.data.shipments.length : 0;
  if (n === 0) return null;
  return (
    <p className="card" data-testid="removal-questions">
      {count(n, 'removal shipment')} Amazon sent back {n === 1 ? 'waits' : 'wait'} for you to say what arrived.{' '}
      <a href="/records" onClick={onLinkClick}>
        Answer on Costs &amp; receipts
      </a>
    </p>
  );
}

