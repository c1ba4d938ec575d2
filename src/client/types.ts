// What the client's calls return. Triggers and replays are camelCase results; the read views
// (status, event, audit) are Clario's JSON as documented in the README, the same field names that
// curl, Python callers and the WebSocket messages see.
import { z } from 'zod';
import type { PhaseError } from '../domain/errors.js';
import type { PhaseNumber } from '../domain/phase.js';
import type { PhaseStatus } from '../domain/phase-status.js';
import { Accepted, type PhaseBodies } from '../http/schemas.js';

// The messages Clario sends (WebSocket frames, webhook `data`, EventBridge `detail`) and its phase
// errors, as the server defines them. Type-only: the client loads none of the server's code.
export type {
  ClarioMessage,
  MessageOf,
  MessageType,
  PhaseMessage,
  ProgressMessage,
  ClaimRoutedMessage,
  PromptOpenedMessage,
  PromptAnsweredMessage,
  ClaimRejectedMessage,
  ReminderMessage,
  SocketError,
  SocketFrame,
} from '../workflow/messages.js';
export type { ForeignErrorCode, PhaseError, PhaseErrorCode } from '../domain/errors.js';
export type { PhaseStatus } from '../domain/phase-status.js';

/** The body of a phase-`P` trigger, typed from the server's own schema (extra fields allowed). */
export type PhaseBody<P extends PhaseNumber> = z.input<(typeof PhaseBodies)[P]>;

export interface TriggerOptions {
  /** Sent on every attempt; one is generated when absent, so a retried trigger runs once. */
  readonly idempotencyKey?: string;
}

export interface TriggerResult {
  readonly eventId: string;
  readonly phase: PhaseNumber;
  readonly userId: string;
  readonly syncId: string | null;
  readonly claimId: string | null;
  /** True when Clario had already stored this trigger (same key): nothing was done again. */
  readonly duplicate: boolean;
  /** The Idempotency-Key that was sent, to log or to reuse for a later resend. */
  readonly idempotencyKey: string;
}

export const AcceptedAnswer = Accepted.extend({ phase: z.number().int().min(1).max(7) });

/** One phase of a run as `status` reports it; `status: null` when the phase has not started. */
export interface PhaseView {
  readonly phase: number;
  /** The phase key: onboarding, discovery, evidence, routing, recovery, learning, transparency. */
  readonly name: string;
  /** Null when the phase has not started. */
  readonly status: PhaseStatus | null;
  readonly event_id?: string;
  readonly attempts?: number;
  readonly started_at?: string | null;
  readonly completed_at?: string | null;
  readonly updated_at?: string | null;
  /** Why the last attempt failed; cleared when the phase completes. */
  readonly last_error?: PhaseError | null;
  /** How far a running phase is (a sync: sources done of total, rows). */
  readonly progress?: Record<string, unknown> | null;
}

/**
 * `GET /api/v1/workflow/status/:user_id`: every sync run (newest first) with phases 1–4, the
 * claim phases counted by status, a claims summary (counts and minor units per currency) and the
 * parked (failed) events that can be replayed. Typed loosely: fields may be added.
 */
export interface ClarioStatus {
  readonly user_id: string;
  readonly runs: readonly {
    readonly sync_id: string;
    readonly created_at: string | null;
    readonly phases: readonly PhaseView[];
    /** phase → status → count, for the claims of this run. */
    readonly claim_phases: Record<string, Record<string, number>>;
  }[];
  readonly claims: {
    readonly total: number;
    readonly by_status: Record<string, number>;
    readonly amount_minor_by_currency: Record<string, Record<string, number>>;
    readonly unattached_phases: readonly PhaseView[];
  };
  readonly failed_events: readonly {
    readonly event_id: string;
    readonly phase: number;
    readonly sync_id: string | null;
    readonly claim_id: string | null;
    readonly attempts: number;
    readonly last_error: PhaseError | null;
    readonly failed_at: string | null;
  }[];
}

// Only the fields callers branch on are checked; the rest passes through (looseObject).
export const StatusAnswer = z.looseObject({
  user_id: z.string(),
  runs: z.array(z.looseObject({ sync_id: z.string(), phases: z.array(z.looseObject({ phase: z.number(), status: z.string().nullable() })) })),
  claims: z.looseObject({ total: z.number() }),
  failed_events: z.array(z.looseObject({ event_id: z.string() })),
}) as unknown as z.ZodType<ClarioStatus>;

/** `GET /api/v1/workflow/events/:id`. `status` is pending | running | completed | failed. */
export const EventAnswer = z.looseObject({
  event_id: z.string(),
  phase: z.number().int(),
  name: z.string(),
  user_id: z.string(),
  sync_id: z.string().nullable(),
  claim_id: z.string().nullable(),
  case_id: z.string().nullable(),
  status: z.string(),
  attempts: z.number(),
  max_attempts: z.number(),
  run_after: z.string(),
  created_at: z.string(),
  /** Why it failed or was parked (absent from servers before it was served). */
  last_error: z.looseObject({ code: z.string(), message: z.string() }).nullable().optional(),
});
export type ClarioEvent = z.infer<typeof EventAnswer>;

export interface ReplayResult {
  readonly eventId: string;
  readonly status: string;
}
export const ReplayAnswer = z.looseObject({ event_id: z.string(), status: z.string() });

export interface AuditFilter {
  readonly userId?: string;
  readonly syncId?: string;
  readonly claimId?: string;
  readonly eventId?: string;
  /** The `nextAfter` of the previous page. */
  readonly after?: number;
  /** 1–1000, default 200. */
  readonly limit?: number;
}

/** One status change of one event (`from` is null for the first). */
export const AuditEntry = z.looseObject({
  id: z.number(),
  event_id: z.string(),
  phase: z.number(),
  user_id: z.string(),
  sync_id: z.string().nullable(),
  claim_id: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string(),
  attempt: z.number().nullable(),
  worker_id: z.string().nullable(),
  duration_ms: z.number().nullable(),
  error: z.unknown(),
  data: z.unknown(),
  at: z.string(),
});
export type ClarioAuditEntry = z.infer<typeof AuditEntry>;
export const AuditAnswer = z.object({ entries: z.array(AuditEntry), next_after: z.number().nullable().optional() });

export interface AuditPage {
  readonly entries: readonly ClarioAuditEntry[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly nextAfter: number | null;
}
