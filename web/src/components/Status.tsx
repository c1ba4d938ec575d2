// Small shared pieces: a loading/error/unavailable box and a status badge.
import type { Resource } from '../lib/use-api.js';
import { label } from '../lib/format.js';

export function Pending<T>({ res, what }: { res: Resource<T>; what: string }) {
  if (res.state === 'loading') return <p className="muted" aria-busy="true">Loading {what}…</p>;
  if (res.state === 'unavailable')
    return (
      <p className="notice" role="status">
        {label(what)} {what.endsWith('s') ? 'are' : 'is'} not available yet in this build of Clario.
      </p>
    );
  if (res.state === 'error')
    return (
      <p className="error" role="alert">
        Could not load {what}: {res.message}
      </p>
    );
  return null;
}

export function Badge({ status }: { status: string | null | undefined }) {
  const s = status ?? 'waiting';
  return <span className={`badge badge-${s}`}>{label(s)}</span>;
}
