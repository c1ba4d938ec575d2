// The frame of a page about one thing (a claim, a case): a way back, then the thing once loaded;
// and the grid of short facts such pages and the ops page open with.
import type { ReactNode } from 'react';
import { onLinkClick } from '../lib/router.js';
import { useApi } from '../lib/use-api.js';
import { Pending } from './Status.js';

export function DetailPage<T>(p: { url: string; back: { href: string; label: string }; title: string; what: string; children: (data: T, reload: () => void) => ReactNode }) {
  const [res, reload] = useApi<T>(p.url);
  return (
    <main id="main" className="page">
      <p>
        <a href={p.back.href} onClick={onLinkClick}>
          ← {p.back.label}
        </a>
      </p>
      {res.state !== 'ready' && (
        <>
          <h1 tabIndex={-1}>{p.title}</h1>
          <Pending res={res} what={p.what} />
        </>
      )}
      {res.state === 'ready' && p.children(res.data, reload)}
    </main>
  );
}

/** Short facts as a definition list: [what, value] pairs. */
export function Facts({ items }: { items: ReadonlyArray<readonly [string, ReactNode]> }) {
  return (
    <dl className="facts-grid">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
