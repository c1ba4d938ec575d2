// What the claim page adds to a hold's waiting text (the text itself is the server's, from
// details.hold): for a low approval rate, a button that releases the claim so it is filed
// anyway; for a fee claim waiting for its measurement, the way to the prompt; and the
// measurement once given.
import { useState } from 'react';
import { post } from '../lib/api.js';
import { onLinkClick } from '../lib/router.js';

type Measured = { length_mm?: unknown; width_mm?: unknown; height_mm?: unknown; weight_g?: unknown };

export function HoldNote({ claimId, status, details, onReleased }: { claimId: string; status: string; details: Record<string, unknown> | null; onReleased: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const code = details?.hold && typeof details.hold === 'object' ? (details.hold as { code?: unknown }).code : undefined;
  const m = details?.measurements && typeof details.measurements === 'object' ? (details.measurements as Measured) : undefined;
  const release = async () => {
    setBusy(true);
    setError('');
    const r = await post<{ status: string }>(`/api/v1/claims/${encodeURIComponent(claimId)}/release-hold`, {});
    setBusy(false);
    if (r.ok) onReleased();
    else setError(r.message);
  };
  return (
    <>
      {status === 'held' && code === 'low_approval' && (
        <p data-testid="release-hold">
          <button type="button" disabled={busy} onClick={() => void release()}>
            Release and file it anyway
          </button>
        </p>
      )}
      {status === 'prompted' && code === 'needs_measurements' && (
        <p>
          <a href="/prompts" onClick={onLinkClick}>
            Measure it on Smart prompts
          </a>
        </p>
      )}
      {m && typeof m.length_mm === 'number' && (
        <p className="muted small" data-testid="measurements">
          Your measurement: {String(m.length_mm)} × {String(m.width_mm)} × {String(m.height_mm)} mm, {String(m.weight_g)} g
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
