// Releasing a held claim over HTTP (see release-hold.ts): the seller for their own claim, the
// service for any. Another seller's claim answers 404, as if absent.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RoutingThresholds } from '../domain/routing.js';
import type { LearnedSource } from '../evidence/match-claims.js';
import { requireSubject, SERVICE_SEES_ALL, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { ErrorBody, Id } from '../http/schemas.js';
import type { Db } from '../store/db.js';
import { releaseHold } from './release-hold.js';

export function holdRoutes(deps: { db: Db; learned: LearnedSource; thresholds: RoutingThresholds; afterCommit: () => void }) {
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/api/v1/claims/:id/release-hold',
      {
        schema: {
          operationId: 'releaseClaimHold',
          summary: 'Release a claim Clario held for its type’s low approval rate, so it is filed after all',
          description:
            "Releases a claim Clario held because Amazon approved too few recent claims of its type (FILING_MIN_APPROVAL): the claim is routed again (ready when its evidence is enough) and is not held for that reason again. The release is kept in the claim's details (hold_released: who, when, why it was held). A fee claim waiting for its measurement is not released this way (409). A seller releases their own claims; the service any.",
          tags: ['filings'],
          params: z.object({ id: Id }),
          body: z.object({ note: z.string().max(2000).optional() }).strict().optional(),
          response: {
            200: z.object({ claim_id: z.string(), status: z.string(), hold_released: z.array(z.record(z.string(), z.unknown())) }),
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (request) => {
        const p = principal(request);
        const subject = requireSubject(p, undefined, SERVICE_SEES_ALL);
        const by = p.kind === 'seller' ? `seller:${p.userId}` : 'service';
        const out = await releaseHold(deps.db, { claimId: request.params.id, subject, by, note: request.body?.note, learned: deps.learned, thresholds: deps.thresholds, now: new Date() });
        if (!out.ok) throw new ApiError(out.code, out.message);
        deps.afterCommit();
        const released = out.claim.details?.hold_released;
        return { claim_id: out.claim.id, status: out.claim.status, hold_released: Array.isArray(released) ? (released as Array<Record<string, unknown>>) : [] };
      },
    );
  };
}
