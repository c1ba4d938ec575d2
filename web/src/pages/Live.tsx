// The 7 phases of the current sync as a timeline, updated from the WebSocket as they run: status,
// progress of long phases, and the reason when one fails. The status endpoint gives the starting
// point; every message moves it on without a reload.
import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { PHASES, PHASE_NUMBERS, type PhaseNumber } from '../../../src/domain/phase.js';
import { get } from '../lib/api.js';
import { formatDate, label, text } from '../lib/format.js';
import { useLive } from '../lib/live.js';
import { applyMessage, empty, fromStatus, progressOf, progressText, type LiveMessage, type PhaseView, type RunState, type StatusAnswer } from '../lib/timeline.js';
import { Badge } from '../components/Status.js';

const facts = (d: Record<string, unknown> | null | undefined) =>
  Object.entries(d ?? {}).filter(([, v]) => typeof v === 'number' || (typeof v === 'string' && v.length < 60));

export function LivePage({ userId }: { userId: string }) {
  const [run, setRun] = useState<RunState | null>(null);
  const [error, setError] = useState('');
  const [announce, setAnnounce] = useState('');
  const [log, setLog] = useState<LiveMessage[]>([]);
  const refetchTimer = useRef<number | undefined>(undefined);

  const load = useCallback(() => {
    void get<StatusAnswer>(`/api/v1/workflow/status/${encodeURIComponent(userId)}`).then((r) => {
      if (r.ok) {
        const fresh = fromStatus(r.data);
        // Keep what the socket already told us about a phase the status has not caught up with.
        setRun((cur) => (cur && cur.syncId === fresh.syncId ? { ...fresh, phases: { ...cur.phases, ...fresh.phases } } : fresh));
        setError('');
      } else setError(r.message);
    });
  }, [userId]);
  useEffect(load, [load]);

  const onMessage = useCallback(
    (m: LiveMessage) => {
      setLog((l) => [m, ...l].slice(0, 30));
      if (m.type === 'workflow.phase' || m.type === 'workflow.progress') {
        // Render each step as it comes, so a quick running→completed is still seen.
        flushSync(() => setRun((cur) => applyMessage(cur ?? empty, m)));
        if (m.type === 'workflow.phase' && m.phase && m.status !== 'pending') {
          setAnnounce(`Phase ${m.phase}, ${PHASES[m.phase as PhaseNumber]?.name ?? m.name}: ${m.status}`);
        }
        // Claim phases are counted by the status endpoint; refresh it once a burst of messages settles.
        if (m.phase >= 5) {
          window.clearTimeout(refetchTimer.current);
          refetchTimer.current = window.setTimeout(load, 300);
        }
      }
    },
    [load],
  );
  useEffect(() => () => window.clearTimeout(refetchTimer.current), []);
  const live = useLive(userId, false, onMessage);

  return (
    <main id="main" className="page">
      <h1 tabIndex={-1}>Live workflow</h1>
      <p className="muted">
        <span className={`dot dot-${live}`} aria-hidden="true" /> {live === 'open' ? 'Live: updates arrive as phases run.' : live === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        {run?.syncId && (
          <>
            {' '}
            Sync <code data-testid="sync-id">{run.syncId}</code>
            {run.createdAt && <> started {formatDate(run.createdAt)}</>}.
          </>
        )}
      </p>
      <p className="sr-only" aria-live="polite" role="status">
        {announce}
      </p>
      {error && (
        <p className="error" role="alert">
          Could not load the workflow: {error}
        </p>
      )}
      {run && !run.syncId && <p className="muted">No sync has run yet. One starts when you connect your Amazon account.</p>}
      <ol className="timeline" aria-label="Phases">
        {PHASE_NUMBERS.map((n) => (
          <PhaseRow key={n} n={n} view={run?.phases[n]} counts={n >= 5 ? run?.claimPhases[String(n)] : undefined} />
        ))}
      </ol>
      <details className="card">
        <summary>Recent messages ({log.length})</summary>
        <ul className="log">
          {log.map((m, i) => (
            <li key={`${'seq' in m ? (m.seq ?? '') : ''}-${i}`}>
              <code>{'at' in m ? new Date(m.at).toLocaleTimeString() : ''}</code> {m.type} {'phase' in m ? `phase ${m.phase}` : ''} {'status' in m ? m.status : ''}
            </li>
          ))}
        </ul>
      </details>
    </main>
  );
}

function PhaseRow({ n, view, counts }: { n: PhaseNumber; view: PhaseView | undefined; counts: Record<string, number> | undefined }) {
  const def = PHASES[n];
  let status = view?.status ?? null;
  if (n >= 5 && counts) status = counts.failed ? 'failed' : counts.running ? 'running' : counts.pending ? 'pending' : counts.completed ? 'completed' : null;
  const prog = status === 'running' ? progressOf(view?.progress) : null;
  return (
    <li className={`phase phase-${status ?? 'waiting'}`} data-phase={n} data-status={status ?? 'waiting'}>
      <span className="marker" aria-hidden="true">
        {status === 'completed' ? '✓' : status === 'failed' ? '!' : n}
      </span>
      <div className="body">
        <h2>
          <span className="muted">Phase {n}</span> {def.name} <Badge status={status} />
        </h2>
        <p className="muted small">{def.trigger}</p>
        {prog && (
          <div className="progress">
            <label htmlFor={`progress-${n}`}>
              {progressText(view?.progress)}
            </label>
            <progress id={`progress-${n}`} value={prog.done} max={prog.total} />
          </div>
        )}
        {status === 'running' && !prog && view?.progress && <p className="small">{facts(view.progress).map(([k, v]) => `${label(k)}: ${text(v)}`).join(' · ')}</p>}
        {status === 'completed' && view?.data && facts(view.data).length > 0 && (
          <p className="small facts">{facts(view.data).slice(0, 6).map(([k, v]) => `${label(k)}: ${typeof v === 'number' ? v.toLocaleString() : text(v)}`).join(' · ')}</p>
        )}
        {n >= 5 && counts && (
          <p className="small">
            {Object.entries(counts)
              .map(([s, c]) => `${c} ${s}`)
              .join(' · ')}{' '}
            (claims)
          </p>
        )}
        {status === 'failed' && view?.last_error && (
          <p className="error reason" data-testid={`reason-${n}`}>
            Stopped: {view.last_error.message} <span className="muted">({view.last_error.code})</span>
          </p>
        )}
        {status === 'pending' && view?.last_error && <p className="small muted">Retrying after: {view.last_error.message}</p>}
      </div>
    </li>
  );
}
