// Amazon's replies on a case: the box to paste one (POST /api/v1/filings/:id/reply), how Clario
// read it and what happens next, and the replies so far.
import { useEffect, useState } from 'react';
import { get, post } from '../lib/api.js';
import { formatDate, formatMoney, type Amount } from '../lib/format.js';
import { afterReply, amountOf, caseTotalOf, needWords, readingOf, type FilingAnswer, type Reply, type ReplyAnswer } from '../lib/filing.js';
import { onLinkClick } from '../lib/router.js';
import { Badge } from './Status.js';

export function PasteReply({ f, onRead }: { f: FilingAnswer; onRead: () => void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [answer, setAnswer] = useState<ReplyAnswer | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!text.trim()) {
      setError("Paste Amazon's message first.");
      return;
    }
    setBusy(true);
    setError('');
    const r = await post<ReplyAnswer>(`/api/v1/filings/${encodeURIComponent(f.id)}/reply`, { text });
    setBusy(false);
    if (!r.ok) {
      // The reading shown was of an earlier reply: beside a refusal it would read as this one's.
      setAnswer(null);
      setError(r.status === 404 && /no route/.test(r.message) ? 'Reading replies is not available yet in this build.' : r.message);
      return;
    }
    setAnswer(r.data);
    setText('');
    onRead();
  };
  return (
    <section className="card" aria-labelledby="reply">
      <h2 id="reply">Paste Amazon&apos;s reply</h2>
      {!f.case_id ? (
        <p className="muted">Record the case id first: Amazon&apos;s replies belong to a case.</p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label htmlFor="reply-text">Amazon&apos;s reply, as it came (e-mail or case log)</label>
          <textarea
            id="reply-text"
            rows={6}
            maxLength={20000}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'reply-error' : undefined}
          />
          <p>
            <button type="submit" className="primary" disabled={busy}>
              Read the reply
            </button>
          </p>
          {error && (
            <p id="reply-error" className="error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
      <div role="status" aria-live="polite">
        {answer && <Reading a={answer} claimIds={f.claim_ids} />}
      </div>
    </section>
  );
}

/** How Clario read the reply just pasted, what happens next, and where each claim now stands. */
function Reading({ a, claimIds }: { a: ReplyAnswer; claimIds: readonly string[] }) {
  const r = readingOf(a.reply);
  const total = useCaseTotal(a.reply.outcome === 'approved' && a.reply.amount ? claimIds : []);
  const { next, warning } = afterReply(a, total);
  return (
    <div className="reading" data-testid="reading" data-outcome={a.reply.outcome}>
      <h3>How Clario read it</h3>
      <p>
        <span className={`badge badge-${a.reply.outcome}`}>{r.outcome}</span> <strong>{r.detail}</strong>
      </p>
      <p data-testid="reading-next">
        <strong>What happens next:</strong> {next}
        {a.reply.needs.length > 0 && (
          <>
            {' '}
            <a href="/prompts" onClick={onLinkClick}>
              Go to Smart prompts
            </a>
          </>
        )}
      </p>
      {warning && (
        <p className="notice" data-testid="reading-warning">
          {warning}
        </p>
      )}
      <ul className="small">
        {a.claims.map((c) => (
          <li key={c.claim_id}>
            <a href={`/claims/${encodeURIComponent(c.claim_id)}`} onClick={onLinkClick}>
              <code>{c.claim_id}</code>
            </a>{' '}
            <Badge status={c.status} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What the case's claims ask for in all (null while loading, or when unknown or in several currencies). */
function useCaseTotal(claimIds: readonly string[]): Amount | null {
  const [total, setTotal] = useState<Amount | null>(null);
  const key = claimIds.join(',');
  useEffect(() => {
    if (!key) return;
    let live = true;
    void Promise.all(key.split(',').map((id) => get<{ claim: { amount: Amount | null } }>(`/api/v1/claims/${encodeURIComponent(id)}`))).then((rs) => {
      if (live) setTotal(rs.every((x) => x.ok) ? caseTotalOf(rs.map((x) => (x.ok ? x.data.claim.amount : null))) : null);
    });
    return () => {
      live = false;
    };
  }, [key]);
  return total;
}

export function Replies({ replies }: { replies: readonly Reply[] }) {
  if (replies.length === 0) return null;
  return (
    <section className="card" aria-labelledby="replies">
      <h2 id="replies">Amazon&apos;s replies so far</h2>
      <ol className="replies">
        {replies.map((r) => {
          const reading = readingOf(r);
          const amount = amountOf(r.amount);
          return (
            <li key={r.id} data-reply={r.id}>
              <p>
                <time dateTime={r.received_at}>{formatDate(r.received_at)}</time> <span className={`badge badge-${r.outcome}`}>{reading.outcome}</span> {reading.detail}
                {amount && r.outcome !== 'approved' && <span className="muted"> · {formatMoney(amount)}</span>}
              </p>
              {r.outcome === 'rejected' && r.needs.length > 0 && <p className="small">Amazon would look again with {r.needs.map(needWords).join(' and ')}.</p>}
              <blockquote className="amazon-text">{r.text}</blockquote>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
