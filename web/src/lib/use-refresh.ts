// Reloads a page's data when the live feed says something it shows has changed; a burst of
// messages causes one reload.
import { useCallback, useEffect, useRef } from 'react';
import { useLive, type LiveMessage } from './live.js';

export function useRefreshOn(userId: string | null, matters: (m: LiveMessage) => boolean, reload: () => void): void {
  const timer = useRef<number | undefined>(undefined);
  const onMessage = useCallback(
    (m: LiveMessage) => {
      if (!matters(m)) return;
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(reload, 400);
    },
    [matters, reload],
  );
  useEffect(() => () => window.clearTimeout(timer.current), []);
  useLive(userId, false, onMessage);
}
