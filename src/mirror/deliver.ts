// The event mirror's delivery loop: each active subscription receives the outbox's messages in
// seq order as signed webhooks. Strict order per subscription: a message that fails blocks the
// later ones until it is delivered or the subscription is switched off, which is the simplest way
// to keep "in order per seller". Runs in worker processes only, never on the request path.
import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { safeUrl } from '../observability/logger.js';
import { inSpan } from '../observability/tracing.js';
import type { Database } from '../store/db.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Log } from '../workflow/log.js';
import { secretKey, signWebhook } from './standard-webhooks.js';
import { advance, claimDue, outboxAfter, recordFailure, release, type Claimed, type DeliveryError, type OutboxRow } from './store.js';
import type { DestinationPolicy } from './destination.js';
import { postWebhook, type Outcome } from './post-webhook.js';
import { pollingLoop } from '../workflow/polling.js';
import { backoffDelay, parseRetryAfter } from '../domain/retry.js';

export interface RetryPolicy {
  /** The first retry's delay; each next one doubles, up to maxMs, with jitter. */
  readonly baseMs: number;
  readonly maxMs: number;
  /** How long a message may keep failing before the subscription is switched off. */
  readonly spanMs: number;
}

export interface MirrorOptions {
  readonly database: Database;
  readonly box: SecretBox;
  readonly log: Log;
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  /** Messages per subscription per lease. */
  readonly batch?: number;
  /** Subscriptions leased per round. */
  readonly concurrency?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** How long a hole in the outbox seq may be an uncommitted transaction (see `deliverable`). */
  readonly settleMs?: number;
  readonly now?: () => Date;
  readonly random?: () => number;
  /** Where webhooks may go (default: public https only; see destination.ts). */
  readonly destinations?: DestinationPolicy;
}

export interface Mirror {
  /** One round: leases the due subscriptions and delivers what each has waiting. */
  deliverOnce(): Promise<{ delivered: number; failed: number }>;
  start(): void;
  /** Stops; with `graceMs` (a bounded shutdown) a delivery still in flight then is cut and sent again later. */
  stop(graceMs?: number): Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 5_000, maxMs: 60 * 60_000, spanMs: 24 * 60 * 60_000 };

/** The delay before the next delivery attempt: the one backoff every outbound caller uses. */
export function retryDelay(attempts: number, policy: RetryPolicy, random: () => number): number {
  return backoffDelay(policy, attempts, random());
}

/**
 * Whether outbox message `m` may be sent after `prev` (shared by every sink). A hole in the seq
 * can be a transaction that has not committed yet, so a message past a hole waits until it is
 * older than `settleMs`; after that the hole is a rollback.
 */
export function settled(prev: number, m: Pick<OutboxRow, 'seq' | 'createdAt'>, at: Date, settleMs: number): boolean {
  return m.seq === prev + 1 || m.createdAt.getTime() <= at.getTime() - settleMs;
}

export function createMirror(options: MirrorOptions): Mirror {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const batch = options.batch ?? 20;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const settleMs = options.settleMs ?? 60_000;
  const db = options.database;
  const policy: DestinationPolicy = options.destinations ?? { allowInsecure: false };

  async function post(sub: Claimed, key: Buffer, m: OutboxRow): Promise<Outcome> {
    const body = JSON.stringify({ type: m.type, timestamp: m.createdAt.toISOString(), data: { ...m.payload, seq: m.seq } });
    // The id is the outbox seq, the same on every retry and replay, so receivers can deduplicate.
    const headers = signWebhook(key, `msg_${m.seq}`, now(), body);
    // The delivery continues the trace of the phase event that wrote the message (tracing on).
    const attributes = { 'clario.subscription_id': sub.id, 'clario.outbox_seq': m.seq, 'clario.event_type': m.type };
    return inSpan('clario.webhook.deliver', { parent: m.traceParent, kind: SpanKind.CLIENT, attributes }, async (span) => {
      const outcome = await postWebhook(sub.url, { 'content-type': 'application/json', 'user-agent': 'Clario-Webhooks/1', ...headers }, body, { policy, timeoutMs, signal: loop.signal });
      if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.code });
      return outcome;
    });
  }

  /**
   * Whether `m` may be delivered after `prev`. A hole in the seq can be a transaction that has not
   * committed yet (sequences are taken before commit), so a message past a hole waits until it
   * is older than any transition transaction lasts; after that the hole is a rollback.
   */
  function deliverable(prev: number, m: OutboxRow, at: Date): boolean {
    return settled(prev, m, at, settleMs);
  }

  async function fail(sub: Claimed, token: string, error: DeliveryError, seq: number | undefined, retryAfter?: string): Promise<void> {
    const at = now();
    const attempts = sub.attempts + 1;
    const firstFailedAt = sub.firstFailedAt ?? at;
    const exhausted = at.getTime() - firstFailedAt.getTime() >= retry.spanMs;
    // An endpoint that asks for time (429, 503 with Retry-After) gets at least that, up to maxMs;
    // never less than our own backoff, so "Retry-After: 0" cannot make a tight loop.
    const asked = parseRetryAfter(retryAfter, at.getTime(), retry.maxMs) ?? 0;
    const nextAttemptAt = new Date(at.getTime() + Math.max(asked, retryDelay(attempts, retry, random)));
    const disable = exhausted ? `${seq === undefined ? 'delivery' : `message msg_${seq}`} failed ${attempts} times since ${firstFailedAt.toISOString()}: ${error.message}` : undefined;
    await recordFailure(db.db, sub.id, token, { attempts, firstFailedAt, nextAttemptAt, error, ...(disable ? { disable } : {}) });
    if (disable) options.log.warn({ subscriptionId: sub.id, url: safeUrl(sub.url), error }, `webhook subscription disabled: ${disable}`);
  }

  async function deliverSubscription(sub: Claimed, token: string, leaseUntil: Date): Promise<{ delivered: number; failed: number }> {
    let key: Buffer | undefined;
    try {
      key = secretKey(options.box.open(sub.sealedSecret, `subscription:${sub.id}`));
    } catch {
      key = undefined;
    }
    if (!key) {
      await fail(sub, token, { code: 'secret_unavailable', message: 'the signing secret cannot be opened with the configured keys' }, undefined);
      return { delivered: 0, failed: 1 };
    }
    const messages = await outboxAfter(db.db, sub.lastSeq, batch);
    let cursor = sub.lastSeq;
    let delivered = 0;
    for (const m of messages) {
      if (loop.stopped() || !deliverable(cursor, m, now())) break;
      // Never start a POST that could outlive the lease: another worker may take over then.
      if (now().getTime() + timeoutMs >= leaseUntil.getTime()) break;
      const wanted = sub.eventTypes.length === 0 || sub.eventTypes.includes(m.type);
      if (wanted) {
        const outcome = await post(sub, key, m);
        // Cut by a shutdown: not the endpoint's failure; the message goes again after the restart.
        if (!outcome.ok && loop.signal.aborted) break;
        if (!outcome.ok) {
          // Write the cursor reached so far first, so the failure is about this message.
          if (cursor !== sub.lastSeq && !(await advance(db.db, sub.id, token, cursor, undefined))) return { delivered, failed: 0 };
          // A message after the one that failed before is a new message: its retries start afresh.
          const current = cursor === sub.lastSeq ? sub : { ...sub, lastSeq: cursor, attempts: 0, firstFailedAt: null };
          await fail(current, token, outcome.error, m.seq, outcome.retryAfter);
          return { delivered, failed: 1 };
        }
        delivered++;
      }
      cursor = m.seq;
      // One write per delivered message keeps repeats after a crash to at most one message.
      if (wanted && !(await advance(db.db, sub.id, token, cursor, now()))) return { delivered, failed: 0 };
    }
    if (cursor !== sub.lastSeq && !(await advance(db.db, sub.id, token, cursor, undefined))) return { delivered, failed: 0 };
    await release(db.db, sub.id, token, now());
    return { delivered, failed: 0 };
  }

  async function deliverOnce(): Promise<{ delivered: number; failed: number }> {
    const token = randomUUID();
    const at = now();
    const leaseUntil = new Date(at.getTime() + timeoutMs * (batch + 2));
    const claimed = await claimDue(db.db, { now: at, leaseUntil, token, limit: options.concurrency ?? 10 });
    const results = await Promise.all(
      claimed.map((sub) =>
        deliverSubscription(sub, token, leaseUntil).catch(async (err: unknown) => {
          options.log.error({ err, subscriptionId: sub.id }, 'webhook delivery failed; will retry');
          await release(db.db, sub.id, token, now()).catch(() => undefined);
          return { delivered: 0, failed: 1 };
        }),
      ),
    );
    return results.reduce((a, r) => ({ delivered: a.delivered + r.delivered, failed: a.failed + r.failed }), { delivered: 0, failed: 0 });
  }

  const loop = pollingLoop(deliverOnce, {
    intervalMs: options.intervalMs ?? 1_000,
    onError: (err: unknown) => options.log.error({ err: err }, 'webhook delivery round failed; will retry'),
  });

  return {
    deliverOnce,
    start: () => loop.start(),
    async stop(graceMs) {
      await loop.stop(graceMs);
    },
  };
}
