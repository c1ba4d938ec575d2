// Who is signed in. Sellers arrive from Amazon's consent with the session cookie, which the API
// honours for reads only; GET /api/v1/session trades it for a short-lived bearer token that the
// page uses for changes and the WebSocket. Operators paste a token, kept in sessionStorage only.
import { forgetSession, sessionEnded, useTokens, type ApiResult } from './api.js';

export interface Session {
  readonly userId: string | null;
  readonly role: 'seller' | 'service';
  /** How the page authenticates: from the cookie (renewable) or a pasted token. */
  readonly via: 'cookie' | 'token';
}

interface SessionAnswer {
  user_id: string | null;
  role: 'seller' | 'service';
  token: string | null;
  expires_at: string | null;
}

const KEY = 'clario.token';
/** How the current session authenticates, or null once it ended. */
let via: Session['via'] | null = null;
let pageToken: string | null = null;
let pageTokenExpires = 0;

async function ask(token: string | null): Promise<ApiResult<SessionAnswer>> {
  let res: Response;
  try {
    res = await fetch('/api/v1/session', { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'same-origin' });
  } catch (err) {
    return { ok: false, status: 0, code: 'network', message: err instanceof Error ? err.message : 'the network failed' };
  }
  if (!res.ok) return { ok: false, status: res.status, code: 'unauthorized', message: res.status === 401 ? 'not signed in' : `${res.status}` };
  return { ok: true, data: (await res.json()) as SessionAnswer };
}

async function fromCookie(): Promise<SessionAnswer | null> {
  const r = await ask(null);
  if (!r.ok) {
    // 401: the cookie's session is over (expired, signed out in another tab, revoked). Said once
    // to the page, which shows the sign-in view; anything else (the network) is worth a retry.
    if (r.status === 401) {
      pageToken = null;
      sessionEnded();
    }
    return null;
  }
  pageToken = r.data.token;
  pageTokenExpires = r.data.expires_at ? Date.parse(r.data.expires_at) : 0;
  return r.data;
}

const pasted = () => {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
};

/** The signed-in session, or null. Wires the API calls' token accordingly. */
export async function loadSession(): Promise<Session | null> {
  const token = pasted();
  if (token) {
    const r = await ask(token);
    if (r.ok) {
      useTokens(() => Promise.resolve(token), () => Promise.resolve(null));
      via = 'token';
      return { userId: r.data.user_id, role: r.data.role, via: 'token' };
    }
    window.sessionStorage.removeItem(KEY);
  }
  const s = await fromCookie();
  if (!s) return null;
  useTokens(
    async () => {
      // Renew a minute early so a long page never sends an expired token.
      if (!pageToken || Date.now() > pageTokenExpires - 60_000) await fromCookie();
      return pageToken;
    },
    async () => ((await fromCookie()) ? pageToken : null),
  );
  via = 'cookie';
  return { userId: s.user_id, role: s.role, via: 'cookie' };
}

/** Checks a pasted token and keeps it for this tab. */
export async function signInWithToken(token: string): Promise<ApiResult<Session>> {
  const t = token.trim();
  const r = await ask(t);
  if (!r.ok) return { ok: false, status: r.status, code: 'unauthorized', message: r.status === 401 ? 'That token is not valid.' : `The server answered ${r.status}.` };
  window.sessionStorage.setItem(KEY, t);
  useTokens(() => Promise.resolve(t), () => Promise.resolve(null));
  via = 'token';
  return { ok: true, data: { userId: r.data.user_id, role: r.data.role, via: 'token' } };
}

/** The token for /ws?token= (the browser cannot set headers on a WebSocket). */
export async function socketToken(): Promise<string | null> {
  const t = pasted();
  if (t) return t;
  if (via !== 'cookie') return null;
  if (!pageToken || Date.now() > pageTokenExpires - 60_000) await fromCookie();
  return pageToken;
}

export async function signOut(how: Session['via']): Promise<void> {
  // A sign-out on purpose: the 401s of calls still under way are not a session that "ended".
  forgetSession();
  via = null;
  window.sessionStorage.removeItem(KEY);
  if (how === 'cookie' && pageToken) {
    await fetch('/api/v1/session', { method: 'DELETE', headers: { authorization: `Bearer ${pageToken}` }, credentials: 'same-origin' }).catch(() => undefined);
  }
  pageToken = null;
}

/** The server ended the session: a pasted token is dropped too (it no longer opens anything). */
export function endedSession(): void {
  via = null;
  pageToken = null;
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // storage unavailable: nothing kept
  }
}
