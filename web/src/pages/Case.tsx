// One case to file by hand: where in Seller Central, the form's fields with Copy buttons, the
// case text, the evidence in one download; then the case id Amazon gave, and Amazon's replies
// pasted back for Clario to read.
import { useState } from 'react';
import { download } from '../lib/api.js';
import { formatDate, label } from '../lib/format.js';
import { fieldGroups, reopeningPlace, type FilingAnswer, type Kit } from '../lib/filing.js';
import { onLinkClick } from '../lib/router.js';
import { PasteReply, Replies } from '../components/AmazonReplies.js';
import { CopyButton } from '../components/CopyButton.js';
import { RecordCase } from '../components/RecordCase.js';
import { DetailPage, Facts } from '../components/Detail.js';
import { Badge } from '../components/Status.js';

export function CasePage({ id }: { id: string }) {
  return (
    <DetailPage<FilingAnswer> url={`/api/v1/filings/${encodeURIComponent(id)}`} back={{ href: '/file-today', label: 'File today' }} title="Case" what="the case">
      {(f, reload) => <Case f={f} reload={reload} />}
    </DetailPage>
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
      <Facts
        items={[
          ['Claims', f.claim_ids.length],
          ["Amazon's case id", f.case_id ?? 'Not recorded yet'],
          ['Filed', formatDate(f.filed_at)],
          ['Decided', formatDate(f.decided_at)],
        ]}
      />
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
