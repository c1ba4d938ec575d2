// File today: the cases to file by hand in Seller Central, nearest deadline first (grouped by
// seller for an operator), the claims Clario holds back and why, and the open reminders.
import { useState } from 'react';
import { post } from '../lib/api.js';
import { count, formatDate, formatMoney, label } from '../lib/format.js';
import { amountOf, bySeller, daysLeftText, REMINDER_KINDS, urgency, type HeldClaim, type Reminder, type TodayAnswer, type TodayCase } from '../lib/filing.js';
import { onLinkClick } from '../lib/router.js';
import { useApi } from '../lib/use-api.js';
import { useRefreshOn } from '../lib/use-refresh.js';
import type { LiveMessage } from '../lib/live.js';
import { CopyButton } from '../components/CopyButton.js';
import { Pending } from '../components/Status.js';

// Cases appear when the filer prepares them and leave when a case id is recorded (phase 5).
const filingMoved = (m: LiveMessage) => m.type === 'filing.reminder' || (m.type === 'workflow.phase' && (m.status === 'completed' || m.status === 'failed'));

export const caseHref = (id: string) => `/file-today/${encodeURIComponent(id)}`;

export function FileTodayPage({ userId, operator }: { userId: string | null; operator: boolean }) {
  const [today, reloadToday] = useApi<TodayAnswer>('/api/v1/filings/today', { notFoundMeansUnavailable: true });
  const [reminders, reloadReminders] = useApi<{ reminders: Reminder[] }>('/api/v1/reminders?open=true', { notFoundMeansUnavailable: true });
  useRefreshOn(operator ? null : userId, filingMoved, () => {
    reloadToday();
    reloadReminders();
  });
  return (
    <main id="main" className="page">
      <h1 tabIndex={-1}>File today</h1>
      <p className="muted">
        Amazon has no API that opens a reimbursement case: each case is filed by a person in Seller Central. Open a case for where to file it, the fields
        to copy, its text and its evidence; then record the case id Amazon gives and paste Amazon&apos;s reply when it comes.
      </p>
      <section className="card" aria-labelledby="to-file">
        <h2 id="to-file">To file{today.state === 'ready' ? ` (${count(today.data.cases.length, 'case')})` : ''}</h2>
        <Pending res={today} what="cases to file" />
        {today.state === 'ready' &&
          (today.data.cases.length === 0 ? (
            <p className="muted">Nothing to file today.</p>
          ) : operator ? (
            bySeller(today.data.cases).map((g) => (
              <section key={g.userId} aria-labelledby={`seller-${g.userId}`} className="seller-group">
                <h3 id={`seller-${g.userId}`}>
                  Seller <code>{g.userId}</code> <span className="muted small">({count(g.cases.length, 'case')})</span>
                </h3>
                <CaseTable cases={g.cases} caption={`Cases to file for ${g.userId}`} />
              </section>
            ))
          ) : (
            <CaseTable cases={today.data.cases} caption="Cases to file, nearest deadline first" />
          ))}
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="held">
          <h2 id="held">Held back</h2>
          <Pending res={today} what="held claims" />
          {today.state === 'ready' && <Held held={today.data.held} operator={operator} onReleased={reloadToday} />}
        </section>
        <section className="card" aria-labelledby="reminders">
          <h2 id="reminders">Reminders</h2>
          <Pending res={reminders} what="reminders" />
          {reminders.state === 'ready' && <Reminders reminders={reminders.data.reminders} operator={operator} onDismissed={reloadReminders} />}
        </section>
      </div>
    </main>
  );
}

function CaseTable({ cases, caption }: { cases: readonly TodayCase[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="claims today" data-testid="cases-to-file">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Where</th>
            <th scope="col" className="num">
              Claims
            </th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Deadline</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <tr key={c.id} data-case={c.id}>
              {/* One child per cell: at a phone's width each cell is a row of label and content. */}
              <td data-label="Case">
                <span>
                  <a href={caseHref(c.id)} onClick={onLinkClick}>
                    {label(c.claim_type)}
                  </a>
                  {c.reopens_case_id && <span className="badge badge-prompted reopen">Reopens case {c.reopens_case_id}</span>}
                </span>
              </td>
              <td data-label="Where">{c.where}</td>
              <td data-label="Claims" className="num">
                <span>
                  {c.claims} <span className="muted small">({count(c.units, 'unit')})</span>
                </span>
              </td>
              <td data-label="Amount" className="num">
                {formatMoney(amountOf(c.amount))}
              </td>
              <td data-label="Deadline">
                <span>
                  {formatDate(c.deadline)} <span className={`due ${urgency(c.days_left)}`}>{daysLeftText(c.days_left)}</span>
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Held({ held, operator, onReleased }: { held: readonly HeldClaim[]; operator: boolean; onReleased: () => void }) {
  const [said, setSaid] = useState<Record<string, string>>({});
  if (held.length === 0) return <p className="muted">Clario holds nothing back.</p>;
  const release = async (h: HeldClaim) => {
    setSaid((s) => ({ ...s, [h.claim_id]: 'Releasing…' }));
    const r = await post<{ status: string }>(`/api/v1/claims/${encodeURIComponent(h.claim_id)}/release-hold`, {});
    setSaid((s) => ({ ...s, [h.claim_id]: r.ok ? `Released: the claim is now ${label(r.data.status).toLowerCase()}.` : r.message }));
    if (r.ok) onReleased();
  };
  return (
    <ul className="held" data-testid="held">
      {held.map((h) => (
        <li key={h.claim_id} data-held={h.claim_id}>
          <a href={`/claims/${encodeURIComponent(h.claim_id)}`} onClick={onLinkClick}>
            {label(h.claim_type)}
          </a>
          {operator && <span className="muted small"> · {h.user_id}</span>}
          {h.deadline && <span className="muted small"> · deadline {formatDate(h.deadline)}</span>}
          <span className="why">{h.reason}</span>
          {h.code === 'low_approval' && (
            <button type="button" className="link" onClick={() => void release(h)}>
              Release it to file anyway<span className="sr-only"> ({label(h.claim_type).toLowerCase()} claim)</span>
            </button>
          )}
          {/* The reason names a document to upload (src/domain/claim-waiting.ts): the claim's page takes it. */}
          {h.code === 'needs_evidence' && !operator && /\bupload\b/i.test(h.reason) && (
            <a href={`/claims/${encodeURIComponent(h.claim_id)}`} onClick={onLinkClick} className="small">
              Upload it on the claim&apos;s page<span className="sr-only"> ({label(h.claim_type).toLowerCase()} claim)</span>
            </a>
          )}
          {h.code === 'needs_measurements' && !operator && (
            <a href="/prompts" onClick={onLinkClick} className="small">
              Measure it in Smart prompts
            </a>
          )}
          <span role="status" className="small">
            {said[h.claim_id] ?? ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Reminders({ reminders, operator, onDismissed }: { reminders: readonly Reminder[]; operator: boolean; onDismissed: () => void }) {
  const [error, setError] = useState('');
  if (reminders.length === 0) return <p className="muted">No reminders.</p>;
  const dismiss = async (r: Reminder) => {
    setError('');
    const done = await post(`/api/v1/reminders/${encodeURIComponent(r.id)}/dismiss`, {});
    if (done.ok) onDismissed();
    else setError(`Could not dismiss the reminder: ${done.message}`);
  };
  return (
    <ul className="reminders" data-testid="reminders">
      {reminders.map((r) => (
        <li key={r.id} data-reminder={r.id}>
          <strong>{REMINDER_KINDS[r.kind]}</strong>
          {operator && <span className="muted small"> · {r.user_id}</span>}
          {r.due && <span className="muted small"> · due {formatDate(r.due)}</span>}
          <span className="why">{r.message}</span>
          {r.text && (
            <div className="reminder-text">
              <pre id={`reminder-text-${r.id}`} className="case-text">
                {r.text}
              </pre>
              <CopyButton value={r.text} what={r.kind === 'reopen' ? 'the reopening text' : 'the follow-up text'} target={`reminder-text-${r.id}`} />
            </div>
          )}
          <span className="actions small">
            {r.filing_id ? (
              <a href={caseHref(r.filing_id)} onClick={onLinkClick}>
                Open the case
              </a>
            ) : (
              r.claim_id && (
                <a href={`/claims/${encodeURIComponent(r.claim_id)}`} onClick={onLinkClick}>
                  Open the claim
                </a>
              )
            )}
            <button type="button" className="link" onClick={() => void dismiss(r)}>
              Dismiss<span className="sr-only"> the reminder: {REMINDER_KINDS[r.kind].toLowerCase()}</span>
            </button>
          </span>
        </li>
      ))}
      {error && (
        <li className="error" role="alert">
          {error}
        </li>
      )}
    </ul>
  );
}
