// Recording a status change: one audit row, the sync_progress row and an outbox message, always
// together and always inside the caller's transaction.
import { sql } from 'drizzle-orm';
import { PHASES, type PhaseNumber } from '../domain/phase.js';
import type { PhaseStatus } from '../domain/phase-status.js';
import type { Tx } from '../store/db.js';
import { outbox, phaseAudit, syncProgress } from '../store/schema.js';

export interface TransitionRecord {
  readonly event: {
    readonly id: string;
    readonly phase: PhaseNumber;
    readonly userId: string;
    readonly syncId: string | null;
    readonly claimId: string | null;
    readonly lane: string;
  };
  readonly from: PhaseStatus | null;
  readonly to: PhaseStatus;
  readonly attempt: number;
  readonly workerId?: string | undefined;
  readonly durationMs?: number | undefined;
  readonly error?: { code: string; message: string } | undefined;
  readonly data?: Record<string, unknown> | undefined;
  /** For a retry: when the next attempt is due. */
  readonly retryAt?: Date | undefined;
}

export const WORKFLOW_MESSAGE = 'workflow.phase';

export async function recordTransition(tx: Tx, t: TransitionRecord): Promise<void> {
  const { event } = t;
  const now = new Date();
  await tx.insert(phaseAudit).values({
    eventId: event.id,
    phase: event.phase,
    userId: event.userId,
    syncId: event.syncId,
    claimId: event.claimId,
    lane: event.lane,
    fromStatus: t.from,
    toStatus: t.to,
    attempt: t.attempt,
    workerId: t.workerId ?? null,
    durationMs: t.durationMs ?? null,
    error: t.error ?? null,
    data: t.data ?? null,
    at: now,
  });

  await tx
    .insert(syncProgress)
    .values({
      lane: event.lane,
      phase: event.phase,
      userId: event.userId,
      syncId: event.syncId,
      claimId: event.claimId,
      eventId: event.id,
      status: t.to,
      attempts: t.attempt,
      lastError: t.error ?? null,
      startedAt: t.to === 'running' ? now : null,
      completedAt: t.to === 'completed' ? now : null,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [syncProgress.lane, syncProgress.phase],
      set: {
        eventId: event.id,
        status: t.to,
        attempts: t.attempt,
        syncId: sql`coalesce(excluded.sync_id, ${syncProgress.syncId})`,
        lastError: t.to === 'completed' ? null : (t.error ?? sql`${syncProgress.lastError}`),
        startedAt: t.to === 'running' ? sql`coalesce(${syncProgress.startedAt}, excluded.started_at)` : sql`${syncProgress.startedAt}`,
        completedAt: t.to === 'completed' ? now : null,
        updatedAt: now,
      },
    });

  await tx.insert(outbox).values({
    userId: event.userId,
    eventId: event.id,
    type: WORKFLOW_MESSAGE,
    payload: {
      type: WORKFLOW_MESSAGE,
      event_id: event.id,
      phase: event.phase,
      name: PHASES[event.phase].key,
      status: t.to,
      user_id: event.userId,
      sync_id: event.syncId,
      claim_id: event.claimId,
      attempt: t.attempt,
      data: {
        ...(t.data ?? {}),
        ...(t.error ? { error: t.error } : {}),
        ...(t.retryAt ? { retry_at: t.retryAt.toISOString() } : {}),
      },
      at: now.toISOString(),
    },
    createdAt: now,
  });
}

/** A progress report of a running phase: sync_progress and the seller's WebSocket, no audit row. */
export async function recordProgress(
  tx: Tx,
  event: TransitionRecord['event'],
  progress: Record<string, unknown>,
): Promise<void> {
  const now = new Date();
  await tx
    .update(syncProgress)
    .set({ progress, updatedAt: now })
    .where(sql`${syncProgress.lane} = ${event.lane} AND ${syncProgress.phase} = ${event.phase}`);
  await tx.insert(outbox).values({
    userId: event.userId,
    eventId: event.id,
    type: 'workflow.progress',
    payload: {
      type: 'workflow.progress',
      event_id: event.id,
      phase: event.phase,
      name: PHASES[event.phase].key,
      status: 'running',
      user_id: event.userId,
      sync_id: event.syncId,
      claim_id: event.claimId,
      data: progress,
      at: now.toISOString(),
    },
    createdAt: now,
  });
}
