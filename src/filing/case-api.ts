// The case API over HTTP (the bundled simulator's stand-in for Seller Central's case log): file a
// case with an Idempotency-Key, find it again by that key, read it. Same base URL and access
// token as SP-API. A 4xx is Amazon refusing (not retried); a 5xx or a network failure is retried
// by the caller's loop.
import type { AccessTokenSource } from '../amazon/lwa.js';
import { NonRetryableError } from '../domain/errors.js';
import type { CaseItem } from './write-case.js';

export interface CaseRequest {
  readonly subject: string;
  readonly description: string;
  readonly items: readonly Omit<CaseItem, 'claim_id'>[];
}

export interface CaseApproval {
  readonly amount_minor: number;
  readonly currency: string;
  readonly reimbursement_id: string;
  readonly items?: ReadonlyArray<{ reimbursement_id: string; sku: string; fnsku: string; order_id: string; shipment_id?: string; quantity: number; amount_minor: number }>;
}

export interface CaseView {
  readonly case_id: string;
  readonly status: 'open' | 'approved' | 'rejected';
  readonly idempotency_key: string | null;
  readonly decision: null | { approved: CaseApproval } | { rejected: { reason: string } };
}

export interface CaseApi {
  file(request: CaseRequest, idempotencyKey: string): Promise<CaseView>;
  /** The case filed under this key, if any: how a crash between the call and our record is undone. */
  findByKey(idempotencyKey: string): Promise<CaseView | undefined>;
  get(caseId: string): Promise<CaseView>;
}

export class CaseApiError extends NonRetryableError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(`case API answered ${status} ${code}: ${message}`, 'case_api_refused');
  }
}

export interface CaseApiOptions {
  readonly baseUrl: string;
  readonly accessToken: AccessTokenSource;
  /** Bounds one exchange (default 30 s, PROVIDER_TIMEOUT_MS): a hung case API must not hold a filing round. */
  readonly timeoutMs?: number;
  /**
   * The caller's signal (a loop that is stopping, say): once aborted no request starts, the one in
   * flight is cancelled, and the call rejects with the signal's reason rather than a network error.
   */
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
}

export function createCaseApi(options: CaseApiOptions): CaseApi {
  const fetchFn = options.fetch ?? fetch;
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;

  /** One exchange, headers and body, under its own deadline and the caller's signal. */
  async function exchange(url: URL, init: RequestInit): Promise<{ res: Response; text: string }> {
    options.signal?.throwIfAborted();
    const deadline = AbortSignal.timeout(options.timeoutMs ?? 30_000);
    try {
      const res = await fetchFn(url, { ...init, signal: options.signal ? AbortSignal.any([options.signal, deadline]) : deadline });
      return { res, text: await res.text() };
    } catch (err) {
      // Stopped by the caller: its reason, not a network failure the filing loop would log and retry.
      options.signal?.throwIfAborted();
      throw err;
    }
  }

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    for (let refreshed = false; ; refreshed = true) {
      const token = await options.accessToken({ forceRefresh: refreshed });
      const { res, text } = await exchange(new URL(path, base), {
        method,
        headers: { 'x-amz-access-token': token, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (res.ok) return JSON.parse(text) as T;
      // An expired access token: one fresh one, then the refusal is real.
      if (res.status === 403 && !refreshed) continue;
      if (res.status >= 500 || res.status === 429) throw new Error(`case API answered ${res.status}`);
      let code = `http_${res.status}`;
      let message = '';
      try {
        const e = (JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> }).errors?.[0];
        code = e?.code ?? code;
        message = e?.message ?? '';
      } catch {
        // not Amazon's error body; the status says enough
      }
      throw new CaseApiError(res.status, code, message);
    }
  }

  return {
    file: (request, key) => call<CaseView>('POST', 'cases', request, { 'idempotency-key': key }),
    async findByKey(key) {
      const found = await call<{ cases: CaseView[] }>('GET', `cases?idempotency_key=${encodeURIComponent(key)}`);
      return found.cases[0];
    },
    get: (caseId) => call<CaseView>('GET', `cases/${encodeURIComponent(caseId)}`),
  };
}
