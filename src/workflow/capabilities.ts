// The capabilities the phases call: one port each (sync, detection, evidence, routing, payouts,
// learning, settlement, proof), wired in src/main.ts. A Clario started without them (a test that
// brings only some) gets ports that fail loudly with `not_available`, which parks the phase where
// the status shows it: never a fake success.
import { NotAvailableError } from '../domain/errors.js';
import type { Money } from '../domain/money.js';
import type { ClaimRow } from '../store/claim-rows.js';
import type { Db } from '../store/db.js';
import type { Effects } from './effects.js';
import type { PhaseEvent } from './types.js';

export interface CapabilityContext {
  readonly event: PhaseEvent;
  readonly db: Db;
  readonly effects: Effects;
  readonly signal: AbortSignal;
  reportProgress(progress: Record<string, unknown>): Promise<void>;
}

export interface CapabilityResult {
  readonly data?: Record<string, unknown>;
  /** State written in the phase's commit transaction. */
  readonly apply?: (tx: Db) => Promise<void>;
}

export interface SyncRef {
  readonly userId: string;
  readonly sellerId: string | null;
  readonly syncId: string;
}

export interface Capabilities {
  readonly sync: {
    /** Starts the seller's sync. `completed` when it finished within the call (phase 2 follows at once). */
    start(ctx: CapabilityContext, run: SyncRef): Promise<CapabilityResult & { readonly completed: boolean }>;
  };
  readonly detection: { detect(ctx: CapabilityContext, run: SyncRef): Promise<CapabilityResult> };
  readonly evidence: {
    match(ctx: CapabilityContext, run: SyncRef): Promise<CapabilityResult & { readonly matches?: readonly unknown[] }>;
  };
  readonly routing: {
    route(ctx: CapabilityContext, run: SyncRef & { readonly matches: readonly unknown[] | undefined }): Promise<CapabilityResult>;
  };
  readonly payouts: { monitor(ctx: CapabilityContext, input: { claim: ClaimRow; caseId: string }): Promise<CapabilityResult> };
  readonly learning: {
    /** Phase 6: Amazon rejected the case; why, and what the seller is asked next. */
    learn(
      ctx: CapabilityContext,
      input: {
        claim: ClaimRow;
        caseId: string | null;
        reason: string | null;
        /** Which submission on the case was answered: '' the first, else the reopening's filing id. */
        round?: string;
        /** Amazon asks for documents and keeps the case open: the seller is asked, the model counts nothing. */
        moreInformation?: boolean;
      },
    ): Promise<CapabilityResult>;
    /** Phase 7, after the fee: Amazon approved the case; the model counts it once. */
    recordApproval(ctx: CapabilityContext, input: { claim: ClaimRow; caseId: string }): Promise<CapabilityResult>;
  };
  readonly settlement: {
    settle(
      ctx: CapabilityContext,
      input: {
        claim: ClaimRow;
        caseId: string;
        payoutId: string;
        amount: Money;
        /** A reversal (negative amount) takes back `reverses`, an earlier payout of the claim. */
        kind?: 'reimbursement' | 'reversal';
        reverses?: string;
      },
    ): Promise<CapabilityResult>;
  };
  /** Phase 7, last in its commit (so the packet shows the fee and the payout): the claim's proof packet. */
  readonly proof: { build(ctx: CapabilityContext, input: { claim: ClaimRow; payoutId: string }): Promise<CapabilityResult> };
}

export function unavailableCapabilities(): Capabilities {
  const fail = (name: string) => () => Promise.reject(new NotAvailableError(name));
  return {
    sync: { start: fail('Amazon sync') },
    detection: { detect: fail('detection') },
    evidence: { match: fail('evidence matching') },
    routing: { route: fail('claim routing') },
    payouts: { monitor: fail('payout monitoring') },
    learning: { learn: fail('learning'), recordApproval: fail('learning') },
    settlement: { settle: fail('settlement') },
    proof: { build: fail('proof packets') },
  };
}
