// One signed webhook POST, to a destination checked by `destination.ts`. The outcome is a
// category, never the socket's own text: "connection refused" against "reset" against "timed out"
// would let whoever reads a subscription map which ports are open behind any address it can reach.
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, RefusedDestinationError, urlRefusal, type DestinationPolicy } from './destination.js';

export type DeliveryCode =
  | 'refused_address'
  | 'timeout'
  | 'dns_failed'
  | 'connection_failed'
  | 'tls'
  | 'http_3xx'
  | 'http_4xx'
  | 'http_5xx'
  | 'secret_unavailable';

export interface DeliveryError {
  readonly code: DeliveryCode;
  readonly message: string;
}

/** A refusal may carry the endpoint's Retry-After (raw; the delivery loop reads it with its clock). */
export type Outcome = { ok: true } | { ok: false; error: DeliveryError; retryAfter?: string };

const MESSAGES: Record<Exclude<DeliveryCode, `http_${string}` | 'refused_address'>, string> = {
  timeout: 'no answer in time',
  dns_failed: 'the host name does not resolve',
  connection_failed: 'could not connect to the endpoint',
  tls: 'the TLS handshake failed (certificate or protocol)',
  secret_unavailable: 'the signing secret cannot be opened with the configured keys',
};

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

function failure(code: DeliveryCode, message?: string): Outcome {
  return { ok: false, error: { code, message: message ?? MESSAGES[code as keyof typeof MESSAGES] } };
}

/** What went wrong, as one of a few categories. */
function categorize(err: unknown, signal: AbortSignal): Outcome {
  if (err instanceof RefusedDestinationError) return failure('refused_address', `refused: ${err.message}`);
  if (signal.aborted) return failure('timeout');
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err).code) : '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return failure('dns_failed');
  if (TLS_CODE.test(code)) return failure('tls');
  return failure('connection_failed');
}

export function statusOutcome(status: number): Outcome {
  if (status >= 200 && status < 300) return { ok: true };
  // A redirect is a failure: following it would send the signed event somewhere unconfigured
  // (and past the address check).
  if (status >= 300 && status < 400) return failure('http_3xx', `the endpoint answered ${status}; redirects are not followed`);
  if (status >= 400 && status < 500) return failure('http_4xx', `the endpoint answered ${status}`);
  return failure('http_5xx', `the endpoint answered ${status}`);
}

/** POSTs `body` to `url`, connecting only to addresses `policy` allows; never follows a redirect. */
export function postWebhook(url: string, headers: Record<string, string>, body: string, options: { policy: DestinationPolicy; timeoutMs: number; signal?: AbortSignal }): Promise<Outcome> {
  const refused = urlRefusal(url, options.policy);
  if (refused) return Promise.resolve(failure('refused_address', `refused: ${refused}`));
  const target = new URL(url);
  // `options.signal`: a shutdown that cannot wait any longer cuts the POST.
  const signal = options.signal ? AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.signal]) : AbortSignal.timeout(options.timeoutMs);
  const send = target.protocol === 'https:' ? https.request : http.request;
  return new Promise<Outcome>((resolve) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        // A fresh connection per POST, resolved through the guard: no pooled socket from before a
        // DNS change, and the socket connects to the very address that was checked.
        agent: false,
        lookup: guardedLookup(options.policy),
        signal,
      },
      (res) => {
        // Only the status matters; the body is not read (an endless one must not hold the worker).
        res.destroy();
        const outcome = statusOutcome(res.statusCode ?? 0);
        const retryAfter = res.headers['retry-after'];
        resolve(!outcome.ok && typeof retryAfter === 'string' ? { ...outcome, retryAfter } : outcome);
      },
    );
    req.on('error', (err) => resolve(categorize(err, signal)));
    req.end(body);
  });
}
