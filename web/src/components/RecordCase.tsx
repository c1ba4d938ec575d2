// Recording the case id Amazon gave a case filed by hand (POST /api/v1/claims/:id/case with the
// case's first claim): every claim of the case enters phase 5. A reopening is recorded on the case
// Amazon already has, so it needs no typing.
import { useEffect, useRef, useState } from 'react';
import { post } from '../lib/api.js';
import type { FilingAnswer } from '../lib/filing.js';

export function RecordCase({ f, onRecorded }: { f: FilingAnswer; onRecorded: () => void }) {
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
      // The server says what a case id looks like (its `details`): that is what to change.
      setError(r.status === 400 ? `That does not look like a case id: ${r.detail ? r.detail.replace(/^case_id: /, '') : r.message}.`.replace(/\.\.$/, '.') : r.message);
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
