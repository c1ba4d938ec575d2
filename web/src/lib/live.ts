// The live feed: the seller's WebSocket. On a drop it reconnects with ?since=<last event> so the
// server replays what was missed, without gaps or repeats.
import { useEffect, useRef, useState } from 'react';
import { socketToken } from './session.js';
import type { LiveMessage } from './timeline.js';

export type { LiveMessage };


export type LiveState = 'connecting' | 'open' | 'closed';

export function useLive(userId: string | null, asService: boolean, onMessage: (m: LiveMessage) => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => {
    if (!userId) return;
    let ws: WebSocket | undefined;
    let stopped = false;
    let lastEvent: string | undefined;
    let delay = 500;
    let timer: number | undefined;
    const open = async () => {
      const token = await socketToken();
      if (stopped || !token) return;
      const url = new URL('/ws', window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('token', token);
      if (asService) url.searchParams.set('user_id', userId);
      if (lastEvent) url.searchParams.set('since', lastEvent);
      setState('connecting');
      ws = new WebSocket(url);
      ws.onopen = () => {
        delay = 500;
        setState('open');
      };
      ws.onmessage = (e: MessageEvent<string>) => {
        let m: LiveMessage;
        try {
          m = JSON.parse(e.data) as LiveMessage;
        } catch {
          return;
        }
        if ('event_id' in m && m.event_id) lastEvent = m.event_id;
        handler.current(m);
      };
      ws.onclose = () => {
        setState('closed');
        if (stopped) return;
        timer = window.setTimeout(() => void open(), delay);
        delay = Math.min(delay * 2, 15_000);
      };
    };
    void open();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      ws?.close();
    };
  }, [userId, asService]);
  return state;
}
