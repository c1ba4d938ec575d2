// The live feed: the seller's WebSocket. On a drop it reconnects with ?since=<last event> so the
// server replays what was missed, without gaps or repeats. A close with 4401 is the server saying
// this session ended ("session ended; sign in again"): that ends the signed-in state, and nothing
// reconnects. A close with 1008 refuses this socket (its query): trying again would not help, so
// nothing reconnects either, but the session goes on.
import { useEffect, useRef, useState } from 'react';
import { sessionEnded } from './api.js';
import { socketToken } from './session.js';
import type { LiveMessage } from './timeline.js';

export type { LiveMessage };


export type LiveState = 'connecting' | 'open' | 'closed';

/** The close code the server ends a socket with when its session ended. */
export const SESSION_ENDED_CLOSE = 4401;
/** The close code of the server refusing this socket (a bad query, another seller's id). */
export const POLICY_VIOLATION = 1008;

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
    const retry = () => {
      timer = window.setTimeout(() => void open(), delay);
      delay = Math.min(delay * 2, 15_000);
    };
    const open = async () => {
      const token = await socketToken();
      if (stopped) return;
      // No token: either the session ended (the page is told, and this hook goes away) or the
      // network failed on the way to a new one, which is worth another try later.
      if (!token) {
        setState('closed');
        retry();
        return;
      }
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
        if (stopped) return;
        let m: LiveMessage;
        try {
          m = JSON.parse(e.data) as LiveMessage;
        } catch {
          return;
        }
        if ('event_id' in m && m.event_id) lastEvent = m.event_id;
        handler.current(m);
      };
      ws.onclose = (e: CloseEvent) => {
        setState('closed');
        if (stopped) return;
        if (e.code === SESSION_ENDED_CLOSE) {
          stopped = true;
          sessionEnded();
          return;
        }
        if (e.code === POLICY_VIOLATION) {
          stopped = true;
          return;
        }
        retry();
      };
    };
    void open();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      // Closing a socket still connecting makes the browser log an error: close it once open.
      if (ws?.readyState === WebSocket.CONNECTING) {
        const pending = ws;
        pending.onopen = () => pending.close();
        pending.onmessage = null;
      } else ws?.close();
    };
  }, [userId, asService]);
  return state;
}
