// Reading the workflow: a user's status (the dashboard's), one event, the audit log, queue stats,
// and replaying a parked event.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PHASES, isPhaseNumber } from '../../domain/phase.js';
import { PHASE_STATUSES } from '../../domain/phase-status.js';
import { QueueUnavailableError, type JobQueue } from '../../queue/job-queue.js';
import type { Db } from '../../store/db.js';
import { auditEntries, claimSummary, eventDetail, failedEventsOfUser, progressOfUser, runsOfUser, type AuditRow, type ProgressRow } from '../../store/read-status.js';
import type { Engine } from '../../workflow/engine.js';
import { covers, requireService, requireSubject, SERVICE_SEES_ALL, type Principal } from '../auth.js';
import { ApiError } from '../errors.js';
import { ErrorBody, Id } from '../schemas.js';
import { isoOrNull } from '../json.js';

export interface StatusRouteDeps {
  readonly db: Db;
  readonly engine: Engine;
  readonly queue: JobQueue;
  readonly principal: (request: unknown) => Principal;
  readonly websocketClients: () => number;
}


function phaseView(p: ProgressRow) {
  return {
    phase: p.phase,
    name: isPhaseNumber(p.phase) ? PHASES[p.phase].key : String(p.phase),
    status: p.status,
    event_id: p.eventId,
    attempts: p.attempts,
    started_at: isoOrNull(p.startedAt),
    completed_at: isoOrNull(p.completedAt),
    updated_at: isoOrNull(p.updatedAt),
    last_error: p.lastError ?? null,
    progress: p.progress ?? null,
  };
}

/**
 * When a run began: the earliest of phase 1's start, its sync_runs row and its progress rows. The
 * sync_runs row is written only as phase 1 completes, so its time alone is the sync's end (and a
 * run's time jumped from its start to its end as phase 1 completed).
 */
export function runBegan(times: ReadonlyArray<Date | null | undefined>): Date | undefined {
  return times.reduce<Date | undefined>((min, t) => (t && (!min || t < min) ? t : min), undefined);
}

export async function buildStatus(db: Db, userId: string) {
  const [progress, runs, summary, failed] = await Promise.all([
    progressOfUser(db, userId),
    runsOfUser(db, userId, 50),
    claimSummary(db, userId),
    failedEventsOfUser(db, userId, 50),
  ]);
  // A run is known from its sync_runs row or, before phase 1 completes, from its progress rows.
  const syncIds = new Set<string>(runs.map((r) => r.id));
  for (const p of progress) if (p.lane.startsWith('sync:') && p.syncId) syncIds.add(p.syncId);
  const created = new Map(runs.map((r) => [r.id, r.createdAt]));
  const runViews = [...syncIds].map((syncId) => {
    const own = progress.filter((p) => p.lane === `sync:${syncId}`);
    const claimPhases: Record<string, Record<string, number>> = {};
    for (const p of progress) {
      if (p.syncId !== syncId || !p.lane.startsWith('claim:')) continue;
      const byStatus = (claimPhases[String(p.phase)] ??= {});
      byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
    }
    const began = runBegan([own.find((p) => p.phase === 1)?.startedAt, created.get(syncId), ...own.map((p) => p.updatedAt)]);
    return {
      sync_id: syncId,
      created_at: isoOrNull(began),
      phases: [1, 2, 3, 4].map((n) => {
        const row = own.find((p) => p.phase === n);
        return row ? phaseView(row) : { phase: n, name: PHASES[n as 1].key, status: null };
      }),
      claim_phases: claimPhases,
    };
  });
  runViews.sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
  const unattached = progress.filter((p) => p.lane.startsWith('claim:') && !p.syncId).map(phaseView);
  const byStatus: Record<string, number> = {};
  const value: Record<string, Record<string, number>> = {};
  let total = 0;
  for (const s of summary) {
    const count = Number(s.count);
    total += count;
    byStatus[s.status] = (byStatus[s.status] ?? 0) + count;
    if (s.currency && s.minor !== null) {
      const cur = (value[s.currency] ??= {});
      cur[s.status] = (cur[s.status] ?? 0) + Number(s.minor);
    }
  }
  return {
    user_id: userId,
    runs: runViews,
    claims: { total, by_status: byStatus, amount_minor_by_currency: value, unattached_phases: unattached },
    failed_events: failed.map((e) => ({
      event_id: e.id,
      phase: e.phase,
      sync_id: e.syncId,
      claim_id: e.claimId,
      attempts: e.attempts,
      last_error: e.lastError ?? null,
      failed_at: isoOrNull(e.updatedAt),
    })),
  };
}

const count = z.number().int().nonnegative();
const QueueStatsBody = z.object({ driver: z.enum(['postgres', 'bullmq']), waiting: count, delayed: count, active: count, failed: count, websocket_clients: count });

export function statusRoutes(app: FastifyInstance, deps: StatusRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/workflow/status/:user_id',
    { schema: { operationId: 'getWorkflowStatus', summary: "A user's sync runs, each phase's status, and a claims summary", description: 'A user\'s sync runs (newest first), each phase\'s status and a claims summary. A seller reads their own; the service reads anyone\'s.', tags: ['workflow'], params: z.object({ user_id: Id }) } },
    async (request) => {
      return buildStatus(deps.db, requireSubject(deps.principal(request), request.params.user_id));
    },
  );

  r.get(
    '/api/v1/workflow/events/:id',
    { schema: { operationId: 'getPhaseEvent', summary: 'One phase event', description: 'One phase event (inbox row): its phase, status, attempts, times, payload, last error (why it failed or was parked) and result. A seller reads only their own events.', tags: ['workflow'], params: z.object({ id: z.string().max(100) }) } },
    async (request) => {
      const subject = requireSubject(deps.principal(request), undefined, SERVICE_SEES_ALL);
      // One read of the row: its status and its outcome (last error, result) as they are now.
      const e = await eventDetail(deps.db, request.params.id);
      // Someone else's event is "not found", so ids cannot be probed.
      if (!e || !covers(subject, e.userId)) throw new ApiError('not_found', 'no such event');
      return {
        event_id: e.id,
        phase: e.phase,
        name: isPhaseNumber(e.phase) ? PHASES[e.phase].key : String(e.phase),
        user_id: e.userId,
        sync_id: e.syncId,
        claim_id: e.claimId,
        case_id: e.caseId,
        status: e.status,
        attempts: e.attempts,
        max_attempts: e.maxAttempts,
        run_after: e.runAfter.toISOString(),
        created_at: e.createdAt.toISOString(),
        started_at: isoOrNull(e.startedAt),
        completed_at: isoOrNull(e.completedAt),
        updated_at: isoOrNull(e.updatedAt),
        payload: e.payload,
        // Why it failed or was parked (a parked event's reason is what to fix before a replay).
        last_error: e.lastError ?? null,
        result: e.result ?? null,
      };
    },
  );

  r.post(
    '/api/v1/workflow/events/:id/replay',
    { schema: { operationId: 'replayPhaseEvent', summary: 'Re-run a parked (failed) event', description: 'Puts a parked (failed) phase event back on the queue for another attempt. Service token only.', tags: ['operations'], params: z.object({ id: z.string().max(100) }), response: { 200: z.object({ event_id: z.string(), status: z.enum(PHASE_STATUSES) }), 409: ErrorBody } } },
    async (request) => {
      requireService(deps.principal(request));
      const replayed = await deps.engine.replay(request.params.id);
      if (!replayed) {
        const e = await deps.engine.findEvent(request.params.id);
        if (!e) throw new ApiError('not_found', 'no such event');
        throw new ApiError('not_parked', `only failed events can be replayed; this one is ${e.status}`);
      }
      return { event_id: replayed.id, status: replayed.status };
    },
  );

  r.get(
    '/api/v1/workflow/audit',
    {
      schema: {
        operationId: 'listAuditLog', summary: 'The phase audit log: one row per status change', description: 'The phase audit log, one row per status change of a phase event, newest first. A seller sees their own rows.',
        tags: ['workflow'],
        querystring: z.object({
          user_id: Id.optional(),
          sync_id: Id.optional(),
          claim_id: Id.optional(),
          event_id: z.string().max(100).optional(),
          after: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
        }),
      },
    },
    async (request) => {
      const q = request.query;
      // A seller reads their own log only, whatever else they filter by; the service may read everyone's.
      const userId = requireSubject(deps.principal(request), q.user_id, SERVICE_SEES_ALL) ?? undefined;
      const entries = await auditEntries(deps.db, { userId, syncId: q.sync_id, claimId: q.claim_id, eventId: q.event_id, after: q.after, limit: q.limit });
      return {
        entries: entries.map(auditEntryJson),
        next_after: entries.length === q.limit ? entries[entries.length - 1]?.id : null,
      };
    },
  );

  r.get('/api/v1/workflow/queue/stats', { schema: { operationId: 'getQueueStats', summary: 'Queue depth and connected WebSocket clients', description: 'Queue depth per state and the number of connected WebSocket clients. Service token only. 503 while the queue (Redis) cannot be read.', tags: ['operations'], response: { 200: QueueStatsBody, 503: ErrorBody } } }, async (request) => {
    requireService(deps.principal(request));
    const stats = await deps.queue.stats().catch((err: unknown) => {
      // Redis down: say so at once, for the caller to retry (stats() gives up within its bound).
      if (err instanceof QueueUnavailableError) throw new ApiError('unavailable', 'the queue cannot be read now; try again shortly');
      throw err;
    });
    return { driver: deps.queue.driver, ...stats, websocket_clients: deps.websocketClients() };
  });
}

/** An audit row as the API shows it (the audit search and a claim's timeline). */
export function auditEntryJson(a: AuditRow) {
  return {
    id: a.id,
    event_id: a.eventId,
    phase: a.phase,
    user_id: a.userId,
    sync_id: a.syncId,
    claim_id: a.claimId,
    from: a.fromStatus,
    to: a.toStatus,
    attempt: a.attempt,
    worker_id: a.workerId,
    duration_ms: a.durationMs,
    error: a.error ?? null,
    data: a.data ?? null,
    at: a.at.toISOString(),
  };
}
