// One case to file by hand: where in Seller Central, the form's fields with Copy buttons, the
// case text, the evidence in one download; then the case id Amazon gave, and Amazon's replies
// pasted back for Clario to read.
import { useEffect, useRef, useState } from 'react';
import { download, post } from '../lib/api.js';
import { formatDate, formatMoney, label } from '../lib/format.js';
import { amountOf, fieldGroups, needWords, readingOf, type FilingAnswer, type Kit, type Reply, type ReplyAnswer } from '../lib/filing.js';
import { onLinkClick } from '../lib/router.js';
import { useApi } from '../lib/use-api.js';
import { CopyButton } from '../components/CopyButton.js';
import { Badge, Pending } from '../components/Status.js';

export function CasePage({ id }: { id: string }) {
  const [res, reload] = useApi<FilingAnswer>(`/api/v1/filings/${encodeURIComponent(id)}`);
  return (
    <main id="main" className="page">
      <p>
        <a href="/file-today" onClick={onLinkClick}>
          ← File today
        </a>
      </p>
      {res.state !== 'ready' && (
        <>
          <h1 tabIndex={-1}>Case</h1>
          <Pending res={res} what="the case" />
        </>
      )}
      {res.state === 'ready' && <Case f={res.data} reload={reload} />}
    </main>
  );
}

function Case({ f, reload }: { f: FilingAnswer; reload: () => void }) {
  const kit = f.kit;
  const claimType = kit?.claim_type ?? null;
  return (
    <>
      <h1 tabIndex={-1}>
        {claimType ? `${label(claimType)} case` : f.subject} <Badge status={f.status} />
      </h1>
      <dl className="facts-grid">
        <div>
          <dt>Claims</dt>
          <dd>{f.claim_ids.length}</dd>
        </div>
        <div>
          <dt>Amazon&apos;s case id</dt>
          <dd>{f.case_id ?? 'Not recorded yet'}</dd>
        </div>
        <div>
          <dt>Filed</dt>
          <dd>{formatDate(f.filed_at)}</dd>
        </div>
        <div>
          <dt>Decided</dt>
          <dd>{formatDate(f.decided_at)}</dd>
        </div>
      </dl>
      {f.channel !== 'manual' && <p className="notice">Clario files this case itself through the {f.channel} channel: there is nothing to file by hand.</p>}
      {f.reopens_case_id && (
        <p className="notice" data-testid="reopening">
          <strong>A reply on case {f.reopens_case_id}, not a new case.</strong> Send it on that case with the text and the evidence below: Amazon reopens
          the case when it has what it asked for.
        </p>
      )}
      {kit ? <KitSections f={f} kit={kit} /> : <PlainCase f={f} />}
      <RecordCase f={f} onRecorded={reload} />
      <PasteReply f={f} onRead={reload} />
      <Replies replies={f.replies ?? []} />
      <section className="card" aria-labelledby="claims-of-case">
        <h2 id="claims-of-case">Claims in this case</h2>
        <ul>
          {f.claim_ids.map((c) => (
            <li key={c}>
              <a href={`/claims/${encodeURIComponent(c)}`} onClick={onLinkClick}>
                <code>{c}</code>
              </a>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

/** Before the kit existed, a case was its subject and text. */
function PlainCase({ f }: { f: FilingAnswer }) {
  return (
    <section className="card" aria-labelledby="case-text-h">
      <h2 id="case-text-h">Case text</h2>
      <p className="notice">The filing kit (where to file, the form&apos;s fields, the evidence bundle) is not available yet in this build of Clario.</p>
      <pre id="case-text" className="case-text">
        {f.body}
      </pre>
      <CopyButton value={f.body} what="the case text" target="case-text" />
    </section>
  );
}

function KitSections({ f, kit }: { f: FilingAnswer; kit: Kit }) {
  const [evidenceMsg, setEvidenceMsg] = useState('');
  const groups = fieldGroups(kit.fields, f.claim_ids);
  // A reopening is a reply on Amazon's case: its text is the one the filer wrote for that reply,
  // and it goes on that case in the Case Log, not through the form a new case starts from.
  const text = f.reopens_case_id ? f.body : kit.text;
  const where = f.reopens_case_id ? reopeningPlace(f.reopens_case_id, kit.where.url) : kit.where;
  let n = 0;
  return (
    <>
      <section className="card" aria-labelledby="where">
        <h2 id="where">Where to file</h2>
        <p className="lead" data-testid="place">
          {where.place}
        </p>
        <ol className="kit-steps">
          {where.steps.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ol>
        <p>
          <a className="button primary" href={where.url} target="_blank" rel="noopener noreferrer">
            Open Seller Central<span className="sr-only"> (opens in a new tab)</span>
          </a>{' '}
          <span className="muted small" aria-hidden="true">
            opens in a new tab
          </span>
        </p>
      </section>

      <section className="card" aria-labelledby="fields">
        <h2 id="fields">What the form asks for</h2>
        {groups.length === 0 ? (
          <p className="muted">This form asks for nothing beyond the case text.</p>
        ) : (
          <div className="table-wrap">
            <table className="kit-fields">
              <caption className="sr-only">The form&apos;s fields with their values</caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Value</th>
                  <th scope="col">
                    <span className="sr-only">Copy</span>
                  </th>
                </tr>
              </thead>
              {groups.map((g) => (
                <tbody key={g.claimId ?? 'case'}>
                  {groups.length > 1 && (
                    <tr className="group">
                      <th colSpan={3} scope="rowgroup">
                        {g.title}
                      </th>
                    </tr>
                  )}
                  {g.fields.map((field) => {
                    const target = `field-${n++}`;
                    const what = groups.length > 1 ? `${field.label} (${g.title.toLowerCase()})` : field.label;
                    return (
                      <tr key={target} data-field={field.label}>
                        <th scope="row">{field.label}</th>
                        <td>
                          <code id={target}>{field.value}</code>
                        </td>
                        <td>
                          <CopyButton value={field.value} what={what} target={target} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              ))}
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="case-text-h">
        <h2 id="case-text-h">Case text</h2>
        <p className="muted small">
          {f.reopens_case_id
            ? `Paste it as your reply on case ${f.reopens_case_id}. It names what Amazon asked for and the items, in Amazon's own terms.`
            : "Paste it into the form's description. It names Amazon's own reports, dates and ids."}
        </p>
        <pre id="case-text" className="case-text" data-testid="case-text">
          {text}
        </pre>
        <CopyButton value={text} what="the case text" target="case-text" />
      </section>

      <section className="card" aria-labelledby="evidence">
        <h2 id="evidence">Evidence</h2>
        <p>Attach these to the case: a summary, the report lines the claims rest on, the case text and your documents, in one ZIP file.</p>
        {kit.evidence_files.length > 0 && (
          <ul className="small">
            {kit.evidence_files.map((e) => (
              <li key={e.name}>
                {e.name} <span className="muted">({label(e.kind)})</span>
              </li>
            ))}
          </ul>
        )}
        <p>
          <button
            type="button"
            onClick={() => {
              setEvidenceMsg('Downloading…');
              void download(kit.evidence_url, `case-${f.id}.zip`).then((r) =>
                setEvidenceMsg(r.ok ? `Downloaded (${Math.ceil(r.data.size / 1024)} KB).` : `Could not download the evidence: ${r.message}`),
              );
            }}
          >
            Download the evidence (ZIP)
          </button>{' '}
          <span role="status" className="small">
            {evidenceMsg}
          </span>
        </p>
      </section>
    </>
  );
}

/** Where a reply on an existing case goes: its page in Seller Central's Case Log, on the kit's own site. */
function reopeningPlace(caseId: string, kitUrl: string): Kit['where'] {
  let origin = 'https://sellercentral.amazon.com';
  try {
    origin = new URL(kitUrl).origin;
  } catch {
    // not a URL: the US site
  }
  return {
    place: `Case Log › case ${caseId} › Reply`,
    steps: [
      'Open Help › Case Log in Seller Central.',
      `Find case ${caseId} (search by its ID) and open it.`,
      'Reply on the case: paste the case text below and attach the files of the evidence download.',
      'Send the reply, then press the button below to record it.',
    ],
    url: `${origin}/cu/case-lobby`,
  };
}

function RecordCase({ f, onRecorded }: { f: FilingAnswer; onRecorded: () => void }) {
  const [caseId, setCaseId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  // Recording removes the form (and the button that had focus): focus moves to what was recorded.
  const recorded = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (done && f.case_id) recorded.current?.focus();
  }, [done, f.case_id]);
  const first = f.claim_ids[0];
  if (f.channel !== 'manual' || !first) return null;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    // A reopening goes on the case Amazon already has: its id is known.
    const value = f.reopens_case_id ?? caseId.trim();
    if (!value) {
      setError('Type the case id Amazon showed after you submitted the case.');
      return;
    }
    setBusy(true);
    setError('');
    const r = await post<{ case_id: string; claims: unknown[] }>(`/api/v1/claims/${encodeURIComponent(first)}/case`, { case_id: value });
    setBusy(false);
    if (!r.ok) {
      setError(r.status === 400 ? `That does not look like a case id: ${r.message}` : r.message);
      return;
    }
    setDone(`Recorded case ${r.data.case_id}: Clario now watches it for Amazon's answer.`);
    onRecorded();
  };
  return (
    <section className="card" aria-labelledby="record">
      <h2 id="record">Record the case id</h2>
      {f.case_id ? (
        <p data-testid="recorded" ref={recorded} tabIndex={-1}>
          Recorded: case <code>{f.case_id}</code>. Clario watches it for Amazon&apos;s answer and reminds you if none comes.
        </p>
      ) : f.reopens_case_id ? (
        <form onSubmit={(e) => void submit(e)}>
          <p className="muted small">Once you have sent the reply on case {f.reopens_case_id}, say so here: Clario watches the case again for Amazon&apos;s answer.</p>
          <button type="submit" className="primary" disabled={busy}>
            I replied on case {f.reopens_case_id}
          </button>
          {error && (
            <p id="case-id-error" className="error" role="alert">
              {error}
            </p>
          )}
        </form>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p className="muted small">After you submit the case in Seller Central, Amazon shows its case id. Record it here so Clario can follow the case.</p>
          <label htmlFor="case-id">Amazon&apos;s case id</label>
          <div className="row">
            <input
              id="case-id"
              inputMode="text"
              autoComplete="off"
              value={caseId}
              onChange={(e) => setCaseId(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'case-id-error' : undefined}
              placeholder="e.g. 17412345678"
            />
            <button type="submit" className="primary" disabled={busy}>
              Record
            </button>
          </div>
          {error && (
            <p id="case-id-error" className="error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
      {/* Said to screen readers; the recorded id shows above once the case reloads. */}
      <p role="status" className="sr-only">
        {done}
      </p>
    </section>
  );
}

function PasteReply({ f, onRead }: { f: FilingAnswer; onRead: () => void }) {
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
        {answer && <Reading a={answer} />}
      </div>
    </section>
  );
}

/** How Clario read the reply just pasted, what happens next, and where each claim now stands. */
function Reading({ a }: { a: ReplyAnswer }) {
  const r = readingOf(a.reply);
  return (
    <div className="reading" data-testid="reading" data-outcome={a.reply.outcome}>
      <h3>How Clario read it</h3>
      <p>
        <span className={`badge badge-${a.reply.outcome}`}>{r.outcome}</span> <strong>{r.detail}</strong>
      </p>
      <p data-testid="reading-next">
        <strong>What happens next:</strong> {r.next}
        {a.reply.needs.length > 0 && (
          <>
            {' '}
            <a href="/prompts" onClick={onLinkClick}>
              Go to Smart prompts
            </a>
          </>
        )}
      </p>
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

function Replies({ replies }: { replies: readonly Reply[] }) {
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
