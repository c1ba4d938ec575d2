// Clario's own origin, for requests that a browser authenticates with the session cookie: a
// cookie rides along on a cross-site WebSocket too (CSWSH), and only the Origin header tells
// the page that opened it.
import { isIP } from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

export type OriginCheck = (origin: string | undefined, hostHeader: string | undefined) => boolean;

/**
 * PUBLIC_URL's origin when set; else the listen address (any loopback spelling when listening on
 * loopback: a browser may say localhost or 127.0.0.1); when listening on every interface without
 * PUBLIC_URL, the origin must at least be the host the request was sent to.
 */
export function ownOriginCheck(options: { publicUrl: string | undefined; host: string; port: () => number | undefined }): OriginCheck {
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  return (origin, hostHeader) => {
    if (!origin) return false;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.origin !== origin) return false;
    if (publicOrigin) return origin === publicOrigin;
    if (WILDCARD.has(options.host)) return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === hostHeader;
    const port = options.port();
    if (url.protocol !== 'http:' || port === undefined || (url.port || '80') !== String(port)) return false;
    if (LOOPBACK.has(options.host)) return LOOPBACK.has(url.hostname);
    const host = isIP(options.host) === 6 ? `[${options.host}]` : options.host.toLowerCase();
    return url.hostname === host;
  };
}
