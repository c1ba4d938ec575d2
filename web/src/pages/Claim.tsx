// One claim: why Clario believes it (reasons), where it came from (report lines), the evidence,
// the case at Amazon, what was paid, every step it went through, and its proof packet.
import { useState } from 'react';
import { PHASES, type PhaseNumber } from '../../../src/domain/phase.js';
import { call, download, type Amount } from '../lib/api.js';
import { amazonReimbursementId, documentsWanted, paidLine, paidShort, uploadOutcome, wouldHelp, type DocumentKind, type UploadedFile } from '../lib/claim-view.js';
import { count, formatDate, formatMoney, formatPercent, label, text } from '../lib/format.js';
import { onLinkClick } from '../lib/router.js';
import { DetailPage, Facts } from '../components/Detail.js';
import { HoldNote } from '../components/HoldNote.js';
import { Badge } from '../components/Status.js';
import type { ClaimRow } from './Claims.js';

interface ClaimAnswer {
  claim: ClaimRow & {
    user_id?: string;
    score: { reasons?: unknown[]; missing?: unknown[] } | null;
    details: { sources?: Array<Record<string, unknown>>; explanation?: unknown; [k: string]: unknown } | null;
    waiting?: { on: 'you' | 'clario' | 'amazon'; why: string } | null;
  };
  rejection?: { case_id: string; reason_code: string; reason: string; amazon_text: string | null; action: string; next_step: string; at: string | null } | null;
  evidence: Array<{ file_id: string; filename: string | null; kind: string | null; status: string | null; role: string; units: number | null }>;
  filing: { id: string; channel: string; case_id: string | null; status: string; subject: string; filed_at: string | null; decided_at: string | null } | null;
  reimbursements: Array<{ reimbursement_id: string; kind: string; amount: Amount; quantity: number | null; approval_date: string | null; attributed: boolean }>;
  timeline: Array<{ id: number; phase: number; from: string | null; to: string; attempt: number; error: { message: string } | null; at: string }>;
  proof: { sha256: string; size_bytes: number; created_at: string; payout_id: string } | null;
  replies?: Array<{ id: string; received_at: string; text: string; outcome: 'approved' | 'rejected' | 'more_information' | 'unclear'; amount: { amount_minor: number; currency: string } | null; reimbursement_ids: string[] }>;
}

/** What Clario read in Amazon's reply, in a few words. */
const REPLY_READ = { approved: 'Approved', rejected: 'Rejected', more_information: 'Asks for more information', unclear: 'Unclear: kept for a person to read' } as const;

/** Detection's reason for withdrawing a claim it no longer finds (details.withdrawn.note). */
function withdrawnNote(details: Record<string, unknown> | null): string | undefined {
  const w = details?.withdrawn;
  return w && typeof w === 'object' && typeof (w as { note?: unknown }).note === 'string' ? (w as { note: string }).note : undefined;
}

const WAITING_ON = { you: 'Waiting for you:', clario: 'Clario is on it:', amazon: 'Waiting for Amazon:' } as const;

export function ClaimPage({ id }: { id: string }) {
  return (
    <DetailPage<ClaimAnswer> url={`/api/v1/claims/${encodeURIComponent(id)}`} back={{ href: '/claims', label: 'All claims' }} title="Claim" what="the claim">
      {(a, reload) => <Claim a={a} reload={reload} />}
    </DetailPage>
  );
}

function Claim({ a, reload }: { a: ClaimAnswer; reload: () => void }) {
  const c = a.claim;
  const reasons = (c.score?.reasons ?? []).map(String);
  const sources = c.details?.sources ?? [];
  const helps = wouldHelp(c.status, c.score?.missing);
  const documents = documentsWanted(c.status, c.score?.missing);
  const short = paidShort(c.status, c.amount, a.reimbursements);
  const [proofMsg, setProofMsg] = useState('');
  // What the last upload did: it outlives the upload buttons, which go once the claim is no longer held.
  const [uploaded, setUploaded] = useState('');
  return (
    <>
      <h1 tabIndex={-1}>
        {label(c.type)} <Badge status={c.status} />
      </h1>
      <Facts
        items={[
          ['Value', formatMoney(c.amount)],
          ['Units', c.quantity ?? '—'],
          ['Confidence', formatPercent(c.confidence)],
          ['Deadline', formatDate(c.deadline)],
          ['Case', c.case_id ?? '—'],
        ]}
      />
      {c.waiting && (
        <p className="waiting" data-testid="waiting">
          <strong>{WAITING_ON[c.waiting.on]}</strong> {c.waiting.why}
        </p>
      )}
      {documents.length > 0 && (
        <UploadDocuments
          claimId={c.id}
          userId={c.user_id}
          documents={documents}
          onUploaded={(message) => {
            setUploaded(message);
            reload();
          }}
        />
      )}
      <p role="status" className="small" data-testid="upload-outcome">
        {uploaded}
      </p>
      <HoldNote claimId={c.id} status={c.status} details={c.details} onReleased={reload} />
      {c.status === 'dismissed' && withdrawnNote(c.details) && (
        <p className="waiting" data-testid="withdrawn">
          <strong>Withdrawn by Clario:</strong> {withdrawnNote(c.details)}
        </p>
      )}

      {a.rejection && (
        <section className="card rejection" aria-labelledby="rejection">
          <h2 id="rejection">Amazon's answer</h2>
          <p>
            <strong>{a.rejection.reason}.</strong> <span className="muted small">Case {a.rejection.case_id}{a.rejection.at ? `, ${formatDate(a.rejection.at)}` : ''}</span>
          </p>
          {a.rejection.amazon_text && <blockquote className="amazon-text">{a.rejection.amazon_text}</blockquote>}
          <p data-testid="next-step">
            <strong>What happens next:</strong> {a.rejection.next_step}
            {c.status === 'prompted' && (
              <>
                {' '}
                <a href="/prompts" onClick={onLinkClick}>
                  Go to Smart prompts
                </a>
              </>
            )}
          </p>
        </section>
      )}

      <section className="card" aria-labelledby="reasons">
        <h2 id="reasons">Why</h2>
        {reasons.length ? (
          <ul>
            {reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">Not scored yet.</p>
        )}
        {helps.length > 0 && <p className="small">Would help: {helps.map((m) => label(m)).join(', ')}</p>}
      </section>

      <section className="card" aria-labelledby="lineage">
        <h2 id="lineage">Where it comes from</h2>
        {sources.length === 0 ? (
          <p className="muted">No source lines recorded.</p>
        ) : (
          <div className="table-wrap">
            <table className="lineage">
              <thead>
                <tr>
                  <th scope="col">Report</th>
                  <th scope="col">Document</th>
                  <th scope="col" className="num">
                    Line
                  </th>
                </tr>
              </thead>
              <tbody>
                {sources.map((s, i) => (
                  <tr key={i}>
                    <td data-label="Report">{text(s.file ?? s.source ?? s.report)}</td>
                    <td data-label="Document">
                      <code>{text(s.document_id)}</code>
                    </td>
                    <td data-label="Line" className="num">
                      {text(s.line)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="evidence">
          <h2 id="evidence">Evidence</h2>
          {a.evidence.length === 0 ? (
            <p className="muted">No evidence attached.</p>
          ) : (
            <ul>
              {a.evidence.map((e) => (
                <li key={e.file_id}>
                  {e.filename ?? e.file_id} <span className="muted">({label(e.role)}{e.units !== null ? `, ${count(e.units, 'unit')}` : ''})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="case">
          <h2 id="case">Case</h2>
          {a.filing ? (
            <p>
              {a.filing.subject} — <Badge status={a.filing.status} /> {a.filing.case_id && <code>{a.filing.case_id}</code>}
              <br />
              <span className="muted small">
                {a.filing.channel === 'manual' ? 'To file in Seller Central' : 'Filed by Clario'} · filed {formatDate(a.filing.filed_at)}
                {a.filing.decided_at && ` · decided ${formatDate(a.filing.decided_at)}`}
              </span>
              {a.filing.channel === 'manual' && (
                <>
                  <br />
                  <a href={`/file-today/${encodeURIComponent(a.filing.id)}`} onClick={onLinkClick}>
                    Open the case: where to file, fields, evidence, Amazon&apos;s replies
                  </a>
                </>
              )}
            </p>
          ) : (
            <p className="muted">Not filed yet.</p>
          )}
          {a.reimbursements.length > 0 && (
            <ul data-testid="payouts">
              {a.reimbursements.map((r, i) => (
                <li key={`${r.reimbursement_id} ${i}`}>{paidLine(r)}</li>
              ))}
            </ul>
          )}
          {short && <p data-testid="paid-short">{short}</p>}
        </section>
      </div>

      <section className="card" aria-labelledby="proof">
        <h2 id="proof">Proof packet</h2>
        {a.proof ? (
          <>
            <p>
              <button
                type="button"
                onClick={() => {
                  setProofMsg('Downloading…');
                  void download(`/api/v1/claims/${encodeURIComponent(c.id)}/proof.pdf`, `clario-proof-${c.id}.pdf`).then((r) =>
                    setProofMsg(r.ok ? `Downloaded (${Math.ceil(r.data.size / 1024)} KB).` : r.status === 404 ? 'Proof packets are not available yet in this build.' : r.message),
                  );
                }}
              >
                Download the proof packet (PDF)
              </button>{' '}
              <span role="status" className="small">
                {proofMsg}
              </span>
            </p>
            <p className="small muted">
              SHA-256 <code className="hash">{a.proof.sha256}</code> · {a.proof.size_bytes.toLocaleString()} bytes · reimbursement {amazonReimbursementId(a.proof.payout_id)}
            </p>
          </>
        ) : (
          <p className="muted">A proof packet is made when Amazon pays this claim.</p>
        )}
      </section>

      {a.replies && a.replies.length > 0 && (
        <section className="card" aria-labelledby="replies">
          <h2 id="replies">Amazon's replies</h2>
          <ol className="steps" data-testid="replies">
            {a.replies.map((r) => (
              <li key={r.id}>
                <time dateTime={r.received_at}>{formatDate(r.received_at)}</time> <strong>{REPLY_READ[r.outcome]}</strong>
                {r.amount && ` (${formatMoney({ minor: r.amount.amount_minor, currency: r.amount.currency })})`}
                {r.reimbursement_ids.length > 0 && <span className="muted small"> · reimbursement {r.reimbursement_ids.join(', ')}</span>}
                <blockquote className="amazon-text">{r.text}</blockquote>
              </li>
            ))}
          </ol>
        </section>
      )}

      <section className="card" aria-labelledby="timeline">
        <h2 id="timeline">Timeline</h2>
        {a.timeline.length === 0 ? (
          <p className="muted">Nothing has happened to this claim yet.</p>
        ) : (
          <ol className="steps">
            {a.timeline.map((t) => (
              <li key={t.id}>
                <time dateTime={t.at}>{formatDate(t.at)}</time> Phase {t.phase} ({PHASES[t.phase as PhaseNumber]?.name ?? ''}): {t.from ?? 'new'} → {t.to}
                {t.error && <span className="error"> — {t.error.message}</span>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

/**
 * Uploads the documents a held claim waits for, here on its page (a held claim has no smart
 * prompt): stored as the seller's evidence, which Clario matches to claims and scores again, then
 * the page reloads to show the claim's new score and status.
 */
function UploadDocuments({ claimId, userId, documents, onUploaded }: { claimId: string; userId: string | undefined; documents: ReadonlyArray<{ kind: DocumentKind; label: string; noun: string }>; onUploaded: (message: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const upload = async (kind: DocumentKind, input: HTMLInputElement) => {
    const files = input.files;
    if (!files || files.length === 0) return;
    const form = new FormData();
    if (userId) form.append('user_id', userId);
    form.append('kind', kind);
    for (const f of files) form.append('file', f);
    setBusy(true);
    setError('');
    const r = await call<{ files: UploadedFile[] }>('/api/v1/evidence', { method: 'POST', body: form });
    setBusy(false);
    // The same file chosen again after an error must fire a change.
    input.value = '';
    if (!r.ok) {
      setError(r.status === 404 && /no route/.test(r.message) ? 'Uploading evidence is not available yet in this build.' : `Not uploaded: ${r.message}`);
      return;
    }
    onUploaded(uploadOutcome(claimId, r.data.files));
  };
  return (
    <section className="card" aria-labelledby="upload">
      <h2 id="upload">Add the evidence</h2>
      <p className="small">PDF or CSV, as your supplier or carrier sent it. Clario reads its lines, matches them to this claim and scores it again.</p>
      <div className="actions">
        {documents.map((d) => (
          <span key={d.kind}>
            <label htmlFor={`upload-${d.kind}`} className="button">
              {d.label}
            </label>
            <input
              id={`upload-${d.kind}`}
              className="file"
              type="file"
              accept=".pdf,.csv,.txt,application/pdf,text/csv"
              disabled={busy}
              onChange={(e) => void upload(d.kind, e.currentTarget)}
            />
          </span>
        ))}
        {busy && <span className="small">Uploading…</span>}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
