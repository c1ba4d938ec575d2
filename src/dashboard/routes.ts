// The dashboard's read API: the session (a short-lived bearer token for the page), the claims
// table and claim page, the money overview, and the connected WebSocket clients. A seller reads
// their own data only; the service reads anyone's by naming ?user_id=.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CLAIM_STATUSES } from '../domain/claim-status.js';
import { REJECTION_REASONS, rejectionNextStep, type RejectionCode } from '../domain/rejection.js';
import { requireAuthenticated, requireService, requireSubject, SERVICE_SEES_ALL, SESSION_COOKIE, type Auth, type Principal } from '../http/auth.js';
import { claimDetailJson, claimJson } from '../http/claim-json.js';
import { auditEntryJson, buildStatus } from '../http/routes/status.js';
import { ApiError } from '../http/errors.js';
import { Id } from '../http/schemas.js';
import type { Hub } from '../realtime/hub.js';
import type { Db } from '../store/db.js';
import { claimDetail, claimTypesOf, CursorError, listClaims } from './read-claims.js';
import { recentSecurityEvents } from '../connect/security-events.js';
import { parkedEvents, unmatchedPayouts } from './read-ops.js';
import { payoutId, reimbursementIdOf } from '../payouts/reimbursement-line.js';
import { moneyOverview } from './read-overview.js';
import { isoOrNull } from '../http/json.js';
import { approvalAwaitingPayout, replyJson } from '../filing/replies.js';

export interface DashboardRouteDeps {
  readonly db: Db;
  readonly hub: Hub;
  readonly auth: Auth;
  /** Lifetime of the bearer token the page gets for POSTs and /ws. */
  readonly pageTokenTtlSeconds: number;
}

const csvOf = (allowed: RegExp) =>
  z
    .string()
    .max(500)
    .regex(allowed, 'a comma-separated list')
    .transform((s) => s.split(',').filter(Boolean))
    .optional();

const ListQuery = z.object({
  user_id: Id.optional(),
  status: csvOf(/^[a-z_]+(,[a-z_]+)*$/).refine((xs) => !xs || xs.every((x) => (CLAIM_STATUSES as string[]).includes(x)), {
    message: `statuses: ${CLAIM_STATUSES.join(', ')}`,
  }),
  type: csvOf(/^[a-z0-9_]+(,[a-z0-9_]+)*$/),
  sort: z.enum(['action', 'deadline', 'value', 'confidence', 'created']).default('deadline'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export function dashboardRoutes(deps: DashboardRouteDeps) {
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get('/api/v1/session', { schema: { operationId: 'getSession', summary: 'Who is signed in, and a short-lived bearer token for the page', description: 'Who is signed in (from the session cookie or token), with a short-lived bearer token the dashboard page uses for the API.', tags: ['dashboard'] } }, async (request, reply) => {
      const p = principal(request);
      requireAuthenticated(p);
      void reply.header('cache-control', 'no-store');
      if (p.kind === 'service') return { user_id: null, role: 'service' as const, token: null, expires_at: null };
      // A token of the same session, never outliving it: refreshing cannot extend a session.
      const page = await deps.auth.pageToken(p.session, p.userId, deps.pageTokenTtlSeconds);
      return { user_id: p.userId, role: 'seller' as const, token: page.token, expires_at: new Date(page.expiresAt).toISOString() };
    });

    // Signing out needs the bearer token (a change), so a cross-site request cannot do it. It ends
    // the session itself: the cookie's token and every page token of it are refused from now on.
    r.delete('/api/v1/session', { schema: { operationId: 'endSession', summary: 'Sign out: ends the session and clears its cookie', description: 'Signs out: ends the session server-side and clears its cookie.', tags: ['dashboard'], answers: { 204: { description: 'Signed out' } } } }, async (request, reply) => {
      const p = principal(request);
      requireAuthenticated(p);
      if (p.kind === 'seller') await deps.auth.revoke(p.session.id);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    });

    r.get('/api/v1/claims', { schema: { operationId: 'listClaims', summary: "A seller's claims: filtered, sorted, a page at a time", description: 'A seller\'s claims, filtered, sorted and a page at a time. A seller lists their own.', tags: ['dashboard'], querystring: ListQuery } }, async (request) => {
      const q = request.query;
      const userId = requireSubject(principal(request), q.user_id);
      try {
        const page = await listClaims(deps.db, { userId, status: q.status, type: q.type, sort: q.sort, order: q.order, limit: q.limit, cursor: q.cursor });
        return {
          claims: page.rows.map(claimJson),
          next_cursor: page.nextCursor,
          types: q.cursor ? undefined : await claimTypesOf(deps.db, userId),
        };
      } catch (err) {
        if (err instanceof CursorError) throw new ApiError('invalid_request', err.message);
        throw err;
      }
    });

    r.get('/api/v1/claims/:id', { schema: { operationId: 'getClaim', summary: 'One claim: reasons, lineage, evidence, case, payouts, timeline, proof', description: 'One claim with its reasons, lineage, evidence, case, payouts, timeline and proof. A seller reads their own.', tags: ['dashboard'], params: z.object({ id: Id }) } }, async (request) => {
      const found = await claimDetail(deps.db, request.params.id, requireSubject(principal(request), undefined, SERVICE_SEES_ALL));
      // Someone else's claim is "not found", so ids cannot be probed.
      if (!found) throw new ApiError('not_found', 'no such claim');
      const { claim: c } = found;
      const replies = found.replies.map(replyJson);
      return {
        claim: claimDetailJson(c, approvalAwaitingPayout(replies, c.caseId, found.reimbursements.length)),
        evidence: found.evidence.map((e) => ({
          file_id: e.fileId,
          filename: e.filename,
          kind: e.kind,
          status: e.status,
          role: e.role,
          units: e.units,
          created_at: isoOrNull(e.createdAt),
        })),
        filing: found.filing
          ? {
              id: found.filing.id,
              channel: found.filing.channel,
              case_id: found.filing.caseId,
              status: found.filing.status,
              subject: found.filing.subject,
              claim_ids: found.filing.claimIds,
              filed_on: found.filing.filedOn,
              filed_at: isoOrNull(found.filing.filedAt),
              decided_at: isoOrNull(found.filing.decidedAt),
              follow_up_at: isoOrNull(found.filing.followUpAt),
              follow_up_reason: found.filing.followUpReason,
            }
          : null,
        // What phase 7 credited to this claim: the money the statement counts.
        reimbursements: found.reimbursements.map((x) => ({
          reimbursement_id: x.reimbursementId ?? reimbursementIdOf(x.payoutId),
          payout_id: x.payoutId,
          case_id: x.caseId,
          kind: x.kind === 'refund' ? ('reversal' as const) : ('reimbursement' as const),
          reason: x.reason,
          quantity: x.quantity,
          amount: { minor: x.amountMinor, currency: x.currency },
          approval_date: isoOrNull(x.approvalDate),
          credited_at: isoOrNull(x.creditedAt),
          // Phase 7 credits only payouts on cases Clario filed.
          attributed: true,
        })),
        timeline: found.timeline.map(auditEntryJson),
        replies,
        rejection: found.rejection
          ? {
              case_id: found.rejection.caseId,
              reason_code: found.rejection.reasonCode,
              reason: REJECTION_REASONS[found.rejection.reasonCode as RejectionCode] ?? REJECTION_REASONS.other,
              amazon_text: found.rejection.rawText,
              action: found.rejection.action,
              next_step: rejectionNextStep({
                code: found.rejection.reasonCode,
                rawText: found.rejection.rawText,
                claimType: c.type,
                claimStatus: c.status,
                reopensCaseId: found.filing?.status === 'prepared' ? found.filing.reopensCaseId : null,
              }),
              at: isoOrNull(found.rejection.at),
            }
          : null,
        proof: found.proof
          ? { sha256: found.proof.sha256, size_bytes: found.proof.sizeBytes, created_at: isoOrNull(found.proof.createdAt), payout_id: found.proof.payoutId }
          : null,
      };
    });

    r.get(
      '/api/v1/sellers/:user_id/overview',
      { schema: { operationId: 'getSellerOverview', summary: "A seller's money: recovered, pending, expected, fees; by month; next deadlines; the current sync", description: 'A seller\'s money: recovered, pending, expected and fees, by month; the next deadlines; the current sync. A seller reads their own.', tags: ['dashboard'], params: z.object({ user_id: Id }) } },
      async (request) => {
        const userId = requireSubject(principal(request), request.params.user_id);
        const [overview, status] = await Promise.all([moneyOverview(deps.db, userId), buildStatus(deps.db, userId)]);
        return { user_id: userId, ...overview, current_sync: status.runs[0] ?? null };
      },
    );

    r.get(
      '/api/v1/ops/failed',
      { schema: { operationId: 'listFailedEvents', summary: 'Parked (failed) phase events, newest first, for replay', description: 'Parked (failed) phase events, newest first, to replay. Service token only.', tags: ['operations'], querystring: z.object({ user_id: Id.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) } },
      async (request) => {
        requireService(principal(request));
        const found = await parkedEvents(deps.db, request.query.user_id, request.query.limit);
        return {
          events: found.map((e) => ({
            event_id: e.id,
            phase: e.phase,
            user_id: e.userId,
            sync_id: e.syncId,
            claim_id: e.claimId,
            attempts: e.attempts,
            last_error: e.lastError ?? null,
            failed_at: isoOrNull(e.updatedAt),
          })),
        };
      },
    );

    r.get(
      '/api/v1/ops/security-events',
      { schema: { operationId: 'listSecurityEvents', summary: 'Refused sign-in and connect attempts (a selling partner claimed by a second account), newest first', description: 'Refused sign-in and connect attempts (a selling partner claimed by a second account), newest first. Service token only.', tags: ['operations'], querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) } },
      async (request) => {
        requireService(principal(request));
        const found = await recentSecurityEvents(deps.db, request.query.limit);
        return { events: found.map((e) => ({ id: e.id, kind: e.kind, user_id: e.userId, selling_partner_id: e.sellingPartnerId, detail: e.detail ?? null, at: isoOrNull(e.at) })) };
      },
    );

    r.get(
      '/api/v1/ops/payouts/unmatched',
      {
        schema: {
          operationId: 'listUnmatchedPayouts', summary: "Amazon's payouts on Clario's cases that match no single claim: parked with the reason, nothing charged", description: 'Amazon\'s payouts on Clario\'s cases that match no single claim, parked with the reason; nothing was charged for them. Service token only.',
          tags: ['operations'],
          querystring: z.object({ user_id: Id.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        },
      },
      async (request) => {
        requireService(principal(request));
        const found = await unmatchedPayouts(deps.db, request.query.user_id, request.query.limit);
        return {
          payouts: found.map((r) => ({
            payout_id: payoutId(r.reimbursementId, r.lineKey),
            user_id: r.userId,
            reimbursement_id: r.reimbursementId,
            case_id: r.caseId,
            kind: r.kind,
            sku: r.sku,
            fnsku: r.fnsku,
            quantity: r.quantity,
            amount: { minor: r.amountMinor, currency: r.currency },
            reason: r.unmatchedReason,
            seen_at: isoOrNull(r.seenAt),
          })),
        };
      },
    );

    r.get('/api/v1/ops/clients', { schema: { operationId: 'listWebSocketClients', summary: 'Connected WebSocket clients of this process', description: 'The WebSocket clients connected to this process. Service token only.', tags: ['operations'] } }, (request) => {
      requireService(principal(request));
      const clients = deps.hub.clients().map((c) => ({ user_id: c.userId, connections: c.connections }));
      return Promise.resolve({ total: clients.reduce((n, c) => n + c.connections, 0), clients });
    });
  };
}
