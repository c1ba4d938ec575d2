import type { PhaseNumber } from '../domain/phase.js';
import type { PhaseStatus } from '../domain/phase-status.js';
import type { Db } from '../store/db.js';
import type { Effects } from './effects.js';

/** A trigger as the inbox stores it: from HTTP, or from a phase that completed. */
export interface TriggerInput {
  readonly phase: PhaseNumber;
  readonly userId: string;
  readonly sellerId?: string | undefined;
  readonly syncId?: string | undefined;
  readonly claimId?: string | undefined;
  readonly caseId?: string | undefined;
  /** The caller's whole body, extra fields included. */
  readonly payload: Record<string, unknown>;
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly source: 'http' | 'internal';
  /** The W3C traceparent to continue when the event runs (tracing on). */
  readonly traceParent?: string | undefined;
}

export interface PhaseEvent {
  readonly id: string;
  readonly phase: PhaseNumber;
  readonly userId: string;
  readonly sellerId: string | null;
  readonly syncId: string | null;
  readonly claimId: string | null;
  readonly caseId: string | null;
  readonly lane: string;
  readonly payload: Record<string, unknown>;
  readonly status: PhaseStatus;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly runAfter: Date;
  readonly createdAt: Date;
  /** The stored W3C traceparent: the attempt's span continues that trace. */
  readonly traceParent: string | null;
}

export interface AcceptedTrigger {
  readonly eventId: string;
  readonly phase: PhaseNumber;
  readonly userId: string;
  readonly syncId: string | null;
  readonly claimId: string | null;
  readonly duplicate: boolean;
  readonly runAfter: Date;
}

/** A trigger for the next phase, written in the same transaction as the completion. */
export interface NextTrigger {
  readonly phase: PhaseNumber;
  readonly syncId?: string | undefined;
  readonly claimId?: string | undefined;
  readonly caseId?: string | undefined;
  readonly payload?: Record<string, unknown>;
}

export interface PhaseContext {
  readonly event: PhaseEvent;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** For reads and idempotent writes; state that must move with the transition goes in `apply`. */
  readonly db: Db;
  readonly effects: Effects;
  /** Aborted when this worker loses the event (lease lost) or shuts down. */
  readonly signal: AbortSignal;
  /** Long phases say how far they are; shown in sync_progress and on the WebSocket. */
  reportProgress(progress: Record<string, unknown>): Promise<void>;
}

/** The loops of a claim's life (src/workflow/steps.ts): steps with no trigger of their own. */
export type LoopStep = 'filing' | 'payouts';

export interface PhaseOutcome {
  /** What the phase found or did: stored in the audit log and sent to the seller. */
  readonly data?: Record<string, unknown>;
  readonly next?: readonly NextTrigger[];
  /**
   * A loop that has work now because of this phase: it runs a round once the phase has committed
   * (its own poll is the safety net, so a crash between the two loses nothing).
   */
  readonly handOff?: LoopStep;
  /** Business state, written in the transition's transaction. */
  readonly apply?: (tx: Db) => Promise<void>;
}

export interface PhaseHandler {
  readonly phase: PhaseNumber;
  run(ctx: PhaseContext): Promise<PhaseOutcome>;
}

export type PhaseHandlers = Readonly<Record<PhaseNumber, PhaseHandler>>;
