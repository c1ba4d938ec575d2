// The answer to a fee claim's "measure" prompt: the SKU's length, width and height with their unit,
// its weight with its unit, and photos (on the scale, beside a ruler). The photos are uploaded as
// measurement photos first, then the answer names them.
import { useState } from 'react';
import { call, post } from '../lib/api.js';
import { measurementsBody, type MeasurementDraft } from '../lib/prompts.js';

export interface Measured {
  readonly claimStatus: string;
}

export function MeasureForm({ promptId, onDone }: { promptId: string; onDone: (m: Measured) => void }) {
  const [draft, setDraft] = useState<MeasurementDraft>({ length: '', width: '', height: '', dimensionUnit: 'cm', weight: '', weightUnit: 'g' });
  const [photos, setPhotos] = useState<FileList | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = (name: string) => `measure-${promptId}-${name}`;
  const set = (k: keyof MeasurementDraft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  const submit = async () => {
    setError('');
    const body = measurementsBody(draft);
    if (!body.ok) return setError(body.message);
    if (!photos || photos.length === 0) return setError('Add at least one photo of the item on the scale or beside a ruler.');
    setBusy(true);
    const form = new FormData();
    for (const f of photos) form.append('file', f);
    form.append('kind', 'measurement_photo');
    const up = await call<{ files: Array<{ id: string }> }>('/api/v1/evidence', { method: 'POST', body: form });
    if (!up.ok) {
      setBusy(false);
      return setError(up.message);
    }
    const r = await post<{ claim: { status: string } }>(`/api/v1/prompts/${encodeURIComponent(promptId)}/answer`, {
      action: 'measure',
      measurements: body.value,
      file_ids: up.data.files.map((f) => f.id),
    });
    setBusy(false);
    if (r.ok) onDone({ claimStatus: r.data.claim.status });
    else setError(r.message);
  };

  return (
    <form
      className="measure"
      data-testid="measure-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset disabled={busy}>
        <legend>Your measurement of the item, as packed</legend>
        {(['length', 'width', 'height'] as const).map((k) => (
          <label key={k} htmlFor={id(k)}>
            {k[0]!.toUpperCase() + k.slice(1)}{' '}
            <input id={id(k)} name={k} type="number" inputMode="decimal" min="0" step="any" required value={draft[k]} onChange={set(k)} />
          </label>
        ))}
        <label htmlFor={id('dimension-unit')}>
          Length unit{' '}
          <select id={id('dimension-unit')} name="dimension_unit" value={draft.dimensionUnit} onChange={set('dimensionUnit')}>
            <option value="cm">cm</option>
            <option value="in">in</option>
          </select>
        </label>
        <label htmlFor={id('weight')}>
          Weight <input id={id('weight')} name="weight" type="number" inputMode="decimal" min="0" step="any" required value={draft.weight} onChange={set('weight')} />
        </label>
        <label htmlFor={id('weight-unit')}>
          Weight unit{' '}
          <select id={id('weight-unit')} name="weight_unit" value={draft.weightUnit} onChange={set('weightUnit')}>
            <option value="g">g</option>
            <option value="kg">kg</option>
            <option value="oz">oz</option>
            <option value="lb">lb</option>
          </select>
        </label>
        <label htmlFor={id('photos')} className="measure-photos">
          Photos (JPEG or PNG){' '}
          <input id={id('photos')} name="photos" type="file" multiple accept="image/jpeg,image/png" onChange={(e) => setPhotos(e.target.files)} />
        </label>
        <button type="submit" className="primary">
          Send measurements
        </button>
      </fieldset>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
