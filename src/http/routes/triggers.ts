// Both seed documents' trigger contracts: `POST /api/v1/workflow/phase/:phaseNumber` and the
// second document's webhooks. A trigger is answered only after it is stored.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PHASES, PHASE_NUMBERS, parsePhaseNumber, type PhaseNumber } from '../../domain/phase.js';
import type { Db } from '../../store/db.js';
import { creditParkedLine, ParkedLineMismatchError } from '../../store/parked-payouts.js';
import { AmbiguousCaseError } from '../../workflow/accept-trigger.js';
import { IdempotencyConflictError } from '../../workflow/inbox.js';
import type { Engine } from '../../workflow/engine.js';
import { requireService, type Principal } from '../auth.js';
import { ApiError } from '../errors.js';
import { inboxKey, requestHash } from '../idempotency.js';
import { Accepted, AnyPhaseBody, ErrorBody, IdempotencyKey, PhaseBodies } from '../schemas.js';

export interface TriggerRouteDeps {
  readonly engine: Engine;
  readonly db: Db;
  readonly principal: (request: unknown) => Principal;
}

const Headers = z.looseObject({ 'idempotency-key': IdempotencyKey.optional() });
const responses = { 200: Accepted, 202: Accepted, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** What every trigger route declares (the body is checked per phase, once the phase is known). */
const triggerSchema = (operationId: string, summary: string, description: string, tag: string) => ({
  operationId,
  summary,
  description: `${description} Service token only. Answers 202 when stored, 200 when it repeats an earlier trigger (same Idempotency-Key, or the same body).`,
  tags: [tag],
  headers: Headers,
  body: AnyPhaseBody.optional(),
  response: responses,
});

/** `sync/complete` → `notifySyncComplete`: the webhook's operation id, stable as its path. */
const webhookOperationId = (webhook: string) =>
  `notify${webhook
    .split(/[/-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}`;

/** Route validation is attached rather than thrown so that a bad phase number is reported first. */
function rethrowValidation(err: Error | undefined): void {
  if (err) throw err;
}

export function triggerRoutes(app: FastifyInstance, deps: TriggerRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function accept(phase: PhaseNumber, rawBody: unknown, idempotencyHeader: string | undefined, traceParent?: unknown) {
    const parsed = PhaseBodies[phase].safeParse(rawBody ?? {});
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: `/${i.path.join('/')}`, message: i.message }));
      throw new ApiError('invalid_request', `the body is not a valid phase ${phase} trigger`, details);
    }
    const body = parsed.data as Record<string, unknown> & { user_id: string };
    const hash = requestHash(phase, body);
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k]) : undefined);
    let undo: (() => Promise<void>) | undefined;
    try {
      // An operator crediting a parked payout: the line is on the claim before phase 7 runs.
      const claimId = str('claim_id');
      const payoutId = str('payout_id');
      if (phase === 7 && claimId && payoutId && typeof body.amount_minor === 'number' && typeof body.currency === 'string') {
        undo = await creditParkedLine(deps.db, { userId: body.user_id, claimId, payoutId, amountMinor: body.amount_minor, currency: body.currency });
      }
      const a = await deps.engine.accept({
        phase,
        userId: body.user_id,
        sellerId: str('seller_id'),
        syncId: str('sync_id'),
        claimId: str('claim_id'),
        caseId: str('case_id'),
        payload: body,
        idempotencyKey: inboxKey(body.user_id, hash, idempotencyHeader),
        requestHash: hash,
        source: 'http',
        // The caller's W3C trace context, continued by the trigger's span (tracing on); only the
        // span's own traceparent is stored.
        traceParent: typeof traceParent === 'string' ? traceParent : undefined,
      });
      return {
        status: a.duplicate ? (200 as const) : (202 as const),
        body: {
          event_id: a.eventId,
          phase: a.phase,
          user_id: a.userId,
          sync_id: a.syncId,
          claim_id: a.claimId,
          status: 'accepted' as const,
          duplicate: a.duplicate,
        },
      };
    } catch (err) {
      // Not stored: the line goes back to the operator's list.
      await undo?.();
      if (err instanceof ParkedLineMismatchError) throw new ApiError('conflict', err.message);
      if (err instanceof IdempotencyConflictError) {
        throw new ApiError('idempotency_conflict', err.message, { event_id: err.eventId });
      }
      if (err instanceof AmbiguousCaseError) throw new ApiError('ambiguous_case', `case ${err.caseId} holds several claims; send claim_id`, { case_id: err.caseId });
      throw err;
    }
  }

  r.post(
    '/api/v1/workflow/phase/:phaseNumber',
    {
      schema: { ...triggerSchema('triggerPhase', 'Trigger a phase (1–7) of the workflow', 'Stores a trigger of the phase for the user in the body; a worker runs it.', 'workflow'), params: z.object({ phaseNumber: z.string() }) },
      attachValidation: true,
    },
    async (request, reply) => {
      requireService(deps.principal(request));
      const phase = parsePhaseNumber(request.params.phaseNumber);
      if (!phase) throw new ApiError('invalid_phase', 'phaseNumber must be an integer from 1 to 7', { allowed: PHASE_NUMBERS });
      rethrowValidation(request.validationError);
      const { status, body } = await accept(phase, request.body, request.headers['idempotency-key'], request.headers.traceparent);
      return reply.status(status).send(body);
    },
  );

  for (const phase of PHASE_NUMBERS) {
    const def = PHASES[phase];
    if (!def.webhook) continue;
    r.post(
      `/api/v1/workflow/${def.webhook}`,
      {
        schema: triggerSchema(
          webhookOperationId(def.webhook),
          `${def.trigger}: triggers phase ${phase} (${def.name})`,
          `The seed document's webhook for "${def.trigger}": stores a trigger of phase ${phase}; a worker runs it.`,
          'webhooks',
        ),
        attachValidation: true,
      },
      async (request, reply) => {
        requireService(deps.principal(request));
        rethrowValidation(request.validationError);
        const { status, body } = await accept(phase, request.body, request.headers['idempotency-key'], request.headers.traceparent);
        return reply.status(status).send(body);
      },
    );
  }
}
