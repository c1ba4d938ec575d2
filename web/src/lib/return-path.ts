// Where a seller goes back to after signing in again: the page they were on when their session
// ended. Only a path of this dashboard counts: never another origin, never "//host" or "/\host"
// (which browsers read as another origin), never a server route (/api, /signin…). Pure.

/** The server's own prefixes: none is a dashboard page to come back to. */
const SERVER_PATHS = /^\/(api|ws|connect|signin|openapi|docs|metrics|healthz|readyz|assets)(\/|$|\.)/i;

/** `raw` as a same-origin path with its query (no fragment), or null when it is anything else. */
export function returnPath(raw: string | null | undefined, origin: string): string | null {
  if (!raw || raw.length > 2000 || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  // Control characters and backslashes have no place in a path the page itself wrote.
  for (const ch of raw) if (ch <= '\u001f' || ch === '\u007f' || ch === '\\') return null;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return null;
  }
  if (url.origin !== new URL(origin).origin) return null;
  if (url.pathname === '/' || SERVER_PATHS.test(url.pathname)) return null;
  return url.pathname + url.search;
}
