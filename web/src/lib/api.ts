// Talking to the API: every call carries the page's bearer token; errors come back as values the
// pages can show. A 404 on an endpoint that another part of Clario provides means "not available
// in this build", which pages show as such instead of as a failure.

export type ApiResult<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string; readonly detail?: string };

import { detailOf } from './error-detail.js';

export type { Amount } from './format.js';

type TokenSource = () => Promise<string | null>;
type Renew = () => Promise<string | null>;

let currentToken: TokenSource = () => Promise.resolve(null);
let renewToken: Renew = () => Promise.resolve(null);
/** Whether a session is signed in (so that its end is said once, and a sign-out is no "end"). */
let signedIn = false;
let onEnded: () => void = () => undefined;

/** Sets where calls get their bearer token, and how to get a new one after a 401. */
export function useTokens(source: TokenSource, renew: Renew): void {
  currentToken = source;
  renewToken = renew;
  signedIn = true;
}

/** What the page does when the server ends the session (a 401 that no renewal cures, a socket closed 4401). */
export function whenSessionEnds(f: () => void): void {
  onEnded = f;
}

/** The server no longer knows this session: forget its tokens and tell the page, once. */
export function sessionEnded(): void {
  currentToken = () => Promise.resolve(null);
  renewToken = () => Promise.resolve(null);
  if (!signedIn) return;
  signedIn = false;
  onEnded();
}

/** Signing out on purpose: the 401s that follow are no news. */
export function forgetSession(): void {
  signedIn = false;
  currentToken = () => Promise.resolve(null);
  renewToken = () => Promise.resolve(null);
}

async function errorOf(res: Response): Promise<ApiResult<never>> {
  let code = res.status === 404 ? 'not_found' : 'http_error';
  let message = `${res.status} ${res.statusText}`;
  let detail = '';
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
    detail = detailOf(body.error?.details);
  } catch {
    // not JSON: keep the status line
  }
  // The detail goes with the message, so that no page drops it.
  return detail ? { ok: false, status: res.status, code, message: `${message} (${detail})`, detail } : { ok: false, status: res.status, code, message };
}

export async function call<T>(path: string, init: RequestInit = {}, retried = false): Promise<ApiResult<T>> {
  const token = await currentToken();
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (init.body !== undefined && typeof init.body === 'string') headers.set('content-type', 'application/json');
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  } catch (err) {
    return { ok: false, status: 0, code: 'network', message: err instanceof Error ? err.message : 'the network failed' };
  }
  if (res.status === 401) {
    if (!retried && (await renewToken())) return call<T>(path, init, true);
    // Renewing failed too: the session is over (expired, signed out elsewhere, revoked).
    sessionEnded();
  }
  if (!res.ok) return errorOf(res);
  if (res.status === 204) return { ok: true, data: undefined as T };
  return { ok: true, data: (await res.json()) as T };
}

export const get = <T,>(path: string) => call<T>(path);
export const post = <T,>(path: string, body: unknown) => call<T>(path, { method: 'POST', body: JSON.stringify(body) });

/** A file download with the bearer token (a plain link would carry only the cookie). */
export async function download(path: string, filename: string): Promise<ApiResult<{ size: number; type: string }>> {
  const token = await currentToken();
  let res: Response;
  try {
    res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'same-origin' });
  } catch (err) {
    return { ok: false, status: 0, code: 'network', message: err instanceof Error ? err.message : 'the network failed' };
  }
  if (res.status === 401) sessionEnded();
  if (!res.ok) return errorOf(res);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { ok: true, data: { size: blob.size, type: blob.type } };
}

export const qs = (params: Record<string, string | number | undefined | null>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};
