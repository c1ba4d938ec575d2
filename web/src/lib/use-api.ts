// Loading a resource for a page: loading, loaded, failed, or not available in this build (404 on
// an endpoint another part of Clario provides).
import { useCallback, useEffect, useState } from 'react';
import { get } from './api.js';

export type Resource<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly data: T }
  | { readonly state: 'unavailable'; readonly message: string }
  | { readonly state: 'error'; readonly message: string };

export function useApi<T>(path: string | null, options: { notFoundMeansUnavailable?: boolean } = {}): [Resource<T>, () => void] {
  const [res, setRes] = useState<Resource<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const unavailable = options.notFoundMeansUnavailable ?? false;
  useEffect(() => {
    if (!path) return;
    let live = true;
    void get<T>(path).then((r) => {
      if (!live) return;
      if (r.ok) setRes({ state: 'ready', data: r.data });
      else if (unavailable && r.status === 404 && r.code === 'not_found' && /no route/.test(r.message)) setRes({ state: 'unavailable', message: r.message });
      else setRes({ state: 'error', message: r.message });
    });
    return () => {
      live = false;
    };
  }, [path, tick, unavailable]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return [res, reload];
}
