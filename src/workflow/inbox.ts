// The inbox (phase_events): every state change of an event is a compare-and-set on its status,
// and every one clears the `postgres` driver's dispatch lease.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { isPhaseNumber } from '../domain/phase.js';
import type { PhaseStatus } from '../domain/phase-status.js';
import { rows, type Queryable, type Tx } from '../store/db.js';
import { phaseEvents } from '../store/schema.js';
import { laneFor } from './lane.js';
import { recordTransition } from './transitions.js';
import type { AcceptedTrigger, PhaseEvent, TriggerInput } from './types.js';

type Row = typeof phaseEvents.$inferSelect;

export function toPhaseEvent(r: Row): PhaseEvent {
  if (!isPhaseNumber(r.phase)) throw new Error(`corrupt phase_events row ${r.id}: phase ${r.phase}`);
  return {
    id: r.id,
    phase: r.phase,
    userId: r.userId,
    sellerId: r.sellerId,
    syncId: r.syncId,
    claimId: r.claimId,
    caseId: r.caseId,
    lane: r.lane,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    runAfter: r.runAfter,
    createdAt: r.createdAt,
  };
}

export class IdempotencyConflictError extends Error {
  override readonly name = 'IdempotencyConflictError';
  readonly code = 'idempotency_conflict';
  constructor(readonly eventId: string) {
    super('this Idempotency-Key was already used for a different request');
  }
}

function accepted(r: Row, duplicate: boolean): AcceptedTrigger {
  const e = toPhaseEvent(r);
  return { eventId: e.id, phase: e.phase, userId: e.userId, syncId: e.syncId, claimId: e.claimId, duplicate, runAfter: e.runAfter };
}

/**
 * Stores a trigger, once. A repeat of the same idempotency key returns the first event; the same key
 * with a different request is a conflict, never a silent overwrite.
 */
export async function insertTrigger(tx: Tx, t: TriggerInput, maxAttempts: number): Promise<AcceptedTrigger> {
  const lane = laneFor(t.phase, t);
  const now = new Date();
  const inserted = await tx
    .insert(phaseEvents)
    .values({
      id: randomUUID(),
      idempotencyKey: t.idempotencyKey,
      requestHash: t.requestHash,
      phase: t.phase,
      userId: t.userId,
      sellerId: t.sellerId ?? null,
      syncId: t.syncId ?? null,
      claimId: t.claimId ?? null,
      caseId: t.caseId ?? null,
      lane,
      payload: t.payload,
      source: t.source,
      status: 'pending',
      maxAttempts,
      runAfter: now,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: phaseEvents.idempotencyKey })
    .returning();
  const row = inserted[0];
  if (row) {
    await recordTransition(tx, { event: toPhaseEvent(row), from: null, to: 'pending', attempt: 0, data: { source: t.source } });
    return accepted(row, false);
  }
  const [existing] = await tx.select().from(phaseEvents).where(eq(phaseEvents.idempotencyKey, t.idempotencyKey));
  if (!existing) throw new Error('idempotency key vanished between insert and select');
  if (existing.requestHash !== t.requestHash) throw new IdempotencyConflictError(existing.id);
  return accepted(existing, true);
}

export async function findEvent(q: Queryable, id: string): Promise<PhaseEvent | undefined> {
  const [row] = await q.select().from(phaseEvents).where(eq(phaseEvents.id, id));
  return row ? toPhaseEvent(row) : undefined;
}

export type AcquireResult =
  | { readonly kind: 'acquired'; readonly event: PhaseEvent }
  /** Another event of the lane is running, or it is not due yet: try again at `at`. */
  | { readonly kind: 'later'; readonly at: Date }
  /** Finished, parked, missing or held by a live worker: nothing to do for this delivery. */
  | { readonly kind: 'skip'; readonly reason: string };

/**
 * Marks a pending event running for this worker. The lane's advisory lock makes the "nothing else
 * of this lane is running" check and the update one atomic step across processes.
 */
export async function acquire(tx: Tx, id: string, workerId: string, leaseMs: number, laneBusyDelayMs: number): Promise<AcquireResult> {
  const [current] = await tx.select().from(phaseEvents).where(eq(phaseEvents.id, id));
  if (!current) return { kind: 'skip', reason: 'missing' };
  if (current.status !== 'pending') return { kind: 'skip', reason: current.status };
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${current.lane}, 0))`);
  const acquired = await tx
    .update(phaseEvents)
    .set({
      status: 'running',
      attempts: sql`${phaseEvents.attempts} + 1`,
      lockedBy: workerId,
      lockedUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
      dispatchedUntil: null,
      startedAt: sql`coalesce(${phaseEvents.startedAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(phaseEvents.id, id),
        eq(phaseEvents.status, 'pending'),
        sql`${phaseEvents.runAfter} <= now()`,
        sql`NOT EXISTS (SELECT 1 FROM phase_events o WHERE o.lane = ${current.lane} AND o.status = 'running' AND o.id <> ${id})`,
      ),
    )
    .returning();
  const row = acquired[0];
  if (row) {
    const event = toPhaseEvent(row);
    await recordTransition(tx, { event, from: 'pending', to: 'running', attempt: row.attempts, workerId });
    return { kind: 'acquired', event };
  }
  const [again] = await tx.select().from(phaseEvents).where(eq(phaseEvents.id, id));
  if (!again || again.status !== 'pending') return { kind: 'skip', reason: again?.status ?? 'missing' };
  const notDue = again.runAfter.getTime() > Date.now();
  const at = notDue ? again.runAfter : new Date(Date.now() + laneBusyDelayMs);
  // Hand it back to the poller at that time.
  await tx.update(phaseEvents).set({ dispatchedUntil: null, runAfter: at }).where(eq(phaseEvents.id, id));
  return { kind: 'later', at };
}

/** Extends this worker's lease; false when the event is no longer ours. */
export async function renewLease(q: Queryable, id: string, workerId: string, leaseMs: number): Promise<boolean> {
  const r = await q
    .update(phaseEvents)
    .set({ lockedUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
    .where(and(eq(phaseEvents.id, id), eq(phaseEvents.status, 'running'), eq(phaseEvents.lockedBy, workerId)))
    .returning({ id: phaseEvents.id });
  return r.length > 0;
}

/** Compare-and-set from `running` (held by this worker) to the outcome. False when we lost it. */
export async function settle(
  tx: Tx,
  id: string,
  workerId: string,
  to: Exclude<PhaseStatus, 'running'>,
  fields: { runAfter?: Date; lastError?: { code: string; message: string } | null; result?: Record<string, unknown> | null },
): Promise<boolean> {
  const r = await tx
    .update(phaseEvents)
    .set({
      status: to,
      lockedBy: null,
      lockedUntil: null,
      dispatchedUntil: null,
      updatedAt: sql`now()`,
      ...(fields.runAfter ? { runAfter: fields.runAfter } : {}),
      ...(fields.lastError !== undefined ? { lastError: fields.lastError } : {}),
      ...(fields.result !== undefined ? { result: fields.result } : {}),
      ...(to === 'completed' ? { completedAt: sql`now()` } : {}),
    })
    .where(and(eq(phaseEvents.id, id), eq(phaseEvents.status, 'running'), eq(phaseEvents.lockedBy, workerId)))
    .returning({ id: phaseEvents.id });
  return r.length > 0;
}

/** Events whose worker vanished (lease expired): back to pending, or parked if out of attempts. */
export async function reclaimExpired(tx: Tx, limit: number): Promise<Array<{ event: PhaseEvent; to: PhaseStatus }>> {
  const expired = await rows<{ id: string }>(
    tx,
    sql`SELECT id FROM phase_events WHERE status = 'running' AND locked_until < now()
        ORDER BY locked_until LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );
  const out: Array<{ event: PhaseEvent; to: PhaseStatus }> = [];
  for (const { id } of expired) {
    const [row] = await tx.select().from(phaseEvents).where(eq(phaseEvents.id, id));
    if (!row) continue;
    const to: PhaseStatus = row.attempts >= row.maxAttempts ? 'failed' : 'pending';
    const error = { code: 'worker_lost', message: `worker ${row.lockedBy ?? '?'} stopped while running this phase` };
    const [updated] = await tx
      .update(phaseEvents)
      .set({ status: to, lockedBy: null, lockedUntil: null, dispatchedUntil: null, runAfter: sql`now()`, lastError: error, updatedAt: sql`now()` })
      .where(and(eq(phaseEvents.id, id), eq(phaseEvents.status, 'running')))
      .returning();
    if (!updated) continue;
    const event = toPhaseEvent(updated);
    await recordTransition(tx, { event, from: 'running', to, attempt: updated.attempts, error });
    out.push({ event, to });
  }
  return out;
}

/** A parked event goes back to pending with a fresh set of attempts. */
export async function replayFailed(tx: Tx, id: string): Promise<PhaseEvent | undefined> {
  const [row] = await tx
    .update(phaseEvents)
    .set({ status: 'pending', attempts: 0, runAfter: sql`now()`, dispatchedUntil: null, updatedAt: sql`now()` })
    .where(and(eq(phaseEvents.id, id), eq(phaseEvents.status, 'failed')))
    .returning();
  if (!row) return undefined;
  const event = toPhaseEvent(row);
  await recordTransition(tx, { event, from: 'failed', to: 'pending', attempt: 0, data: { replayed: true } });
  return event;
}

/** Pending events that are due and were not touched for a while: their queue message may be lost. */
export async function staleDue(q: Queryable, olderThanMs: number, limit: number): Promise<Array<{ id: string; runAfter: Date }>> {
  const r = await rows<{ id: string; run_after: Date | string }>(
    q,
    sql`SELECT id, run_after FROM phase_events WHERE status = 'pending' AND run_after <= now()
        AND updated_at < now() - ${`${olderThanMs} milliseconds`}::interval ORDER BY run_after LIMIT ${limit}`,
  );
  return r.map((x) => ({ id: x.id, runAfter: new Date(x.run_after) }));
}
