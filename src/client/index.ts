// `clario/client`: the typed client for services that trigger Clario's phases and read its state.
// Bodies are checked with the server's own zod schemas before sending; calls are retried on no
// answer, 429 and 5xx with the same Idempotency-Key, so a retried trigger is processed once.
// Only zod, pure domain modules and node built-ins are imported: no server code is loaded.
import { randomUUID } from 'node:crypto';
import { PHASES, isPhaseNumber, type PhaseNumber } from '../domain/phase.js';
import type { BackoffPolicy } from '../domain/retry.js';
import { IdempotencyKey, PhaseBodies } from '../http/schemas.js';
import { ClarioValidationError } from './errors.js';
import { defaultSleep, send, type TransportOptions } from './transport.js';
import {
  AcceptedAnswer,
  AuditAnswer,
  EventAnswer,
  ReplayAnswer,
  StatusAnswer,
  type AuditFilter,
  type AuditPage,
  type ClarioEvent,
  type ClarioStatus,
  type PhaseBody,
  type ReplayResult,
  type TriggerOptions,
  type TriggerResult,
} from './types.js';

export * from './errors.js';
export { parseRetryAfter } from '../domain/retry.js';
export type * from './types.js';
export type { PhaseNumber } from '../domain/phase.js';

export interface ClarioClientOptions {
  /** Where Clario listens, e.g. `http://127.0.0.1:3001`. */
  readonly baseUrl: string;
  /** The service token (or a seller's token for status/event/audit), or a function that returns it. */
  readonly token: string | (() => string | Promise<string>);
  /** Per attempt, in milliseconds. Default 10 000. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt. Default 5. */
  readonly retries?: number;
  /** Exponential backoff with full jitter between retries. Default 200 ms doubling to 10 s. */
  readonly backoff?: BackoffPolicy;
  /** A server's Retry-After is honoured up to this. Default 60 000. */
  readonly maxRetryAfterMs?: number;
  readonly fetch?: typeof fetch;
  /** In [0, 1); for the jitter. Default Math.random. */
  readonly random?: () => number;
  /** How to wait between attempts (tests inject one that does not wait). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Epoch ms, to read a Retry-After given as an HTTP date. Default Date.now. */
  readonly now?: () => number;
  /** Aborting it cancels every call of this client: the request in flight and any wait before a retry. */
  readonly signal?: AbortSignal;
}

/** The seed document's webhooks, one method each; paths come from PHASES[phase].webhook. */
const WEBHOOK_METHODS = {
  syncComplete: 2,
  detectionComplete: 3,
  evidenceMatchingComplete: 4,
  claimSubmitted: 5,
  claimRejected: 6,
  payoutReceived: 7,
} as const satisfies Record<string, PhaseNumber>;

type WebhookMethods = {
  readonly [M in keyof typeof WEBHOOK_METHODS]: (body: PhaseBody<(typeof WEBHOOK_METHODS)[M]>, options?: TriggerOptions) => Promise<TriggerResult>;
};

export interface ClarioClient extends WebhookMethods {
  /** `POST /api/v1/workflow/phase/:phase`. 202 when stored; `duplicate: true` for a repeat. */
  triggerPhase<P extends PhaseNumber>(phase: P, body: PhaseBody<P>, options?: TriggerOptions): Promise<TriggerResult>;
  /** Where a seller's workflows stand (service token or that seller's token). */
  status(userId: string): Promise<ClarioStatus>;
  /** One phase event. */
  event(eventId: string): Promise<ClarioEvent>;
  /**
   * Re-runs a parked (failed) event. Retried like every call: if an earlier attempt's answer was
   * lost, the retry reports `409 not_parked` because the first one already went through.
   */
  replay(eventId: string): Promise<ReplayResult>;
  /** One page of the audit log, oldest first; pass `nextAfter` as `after` for the next page. */
  audit(filter?: AuditFilter): Promise<AuditPage>;
}

export function createClarioClient(options: ClarioClientOptions): ClarioClient {
  const transport: TransportOptions = {
    baseUrl: options.baseUrl,
    token: options.token,
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 5,
    backoff: options.backoff ?? { baseMs: 200, maxMs: 10_000 },
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    fetch: options.fetch ?? globalThis.fetch,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? defaultSleep,
    now: options.now ?? Date.now,
    userAgent: 'clario-client',
    ...(options.signal ? { signal: options.signal } : {}),
  };

  async function trigger(phase: PhaseNumber, path: string, body: unknown, opts: TriggerOptions = {}): Promise<TriggerResult> {
    // The same check as the server's, so a bad body fails here with every issue, before a request.
    const parsed = PhaseBodies[phase].safeParse(body);
    if (!parsed.success) throw ClarioValidationError.fromZod(`not a valid phase ${phase} trigger`, parsed.error);
    const key = opts.idempotencyKey ?? randomUUID();
    const keyCheck = IdempotencyKey.safeParse(key);
    if (!keyCheck.success) throw new ClarioValidationError('not a valid Idempotency-Key', [{ path: '/idempotencyKey', message: keyCheck.error.issues[0]?.message ?? 'invalid' }]);
    const a = await send(transport, { method: 'POST', path, body: parsed.data, headers: { 'idempotency-key': key }, schema: AcceptedAnswer });
    if (!isPhaseNumber(a.phase)) throw new Error(`unreachable: phase ${a.phase}`); // AcceptedAnswer bounds it
    return { eventId: a.event_id, phase: a.phase, userId: a.user_id, syncId: a.sync_id, claimId: a.claim_id, duplicate: a.duplicate, idempotencyKey: key };
  }

  const webhooks = Object.fromEntries(
    Object.entries(WEBHOOK_METHODS).map(([method, phase]) => {
      const path = `api/v1/workflow/${PHASES[phase].webhook ?? ''}`;
      return [method, (body: unknown, opts?: TriggerOptions) => trigger(phase, path, body, opts)];
    }),
  ) as unknown as WebhookMethods;

  return {
    ...webhooks,
    triggerPhase: (phase, body, opts) => {
      // Checked here too: plain JavaScript callers get no compile-time check of the phase.
      if (!isPhaseNumber(phase)) return Promise.reject(new ClarioValidationError('not a phase', [{ path: '/phase', message: 'an integer from 1 to 7' }]));
      return trigger(phase, `api/v1/workflow/phase/${phase}`, body, opts);
    },
    status: (userId) => send(transport, { method: 'GET', path: `api/v1/workflow/status/${encodeURIComponent(userId)}`, schema: StatusAnswer }),
    event: (eventId) => send(transport, { method: 'GET', path: `api/v1/workflow/events/${encodeURIComponent(eventId)}`, schema: EventAnswer }),
    replay: async (eventId) => {
      const r = await send(transport, { method: 'POST', path: `api/v1/workflow/events/${encodeURIComponent(eventId)}/replay`, schema: ReplayAnswer });
      return { eventId: r.event_id, status: r.status };
    },
    audit: async (filter = {}) => {
      const q = new URLSearchParams();
      const put = (k: string, v: string | number | undefined) => v !== undefined && q.set(k, String(v));
      put('user_id', filter.userId);
      put('sync_id', filter.syncId);
      put('claim_id', filter.claimId);
      put('event_id', filter.eventId);
      put('after', filter.after);
      put('limit', filter.limit);
      const query = q.size > 0 ? `?${q.toString()}` : '';
      const r = await send(transport, { method: 'GET', path: `api/v1/workflow/audit${query}`, schema: AuditAnswer });
      return { entries: r.entries, nextAfter: r.next_after ?? null };
    },
  };
}
