// The manual channel's filing kit over HTTP: the day's cases to file by hand and the claims held
// back ("File today"), and each case's one download with its evidence. The kit itself rides on
// GET /api/v1/filings/:id (routes.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { covers, requireSubject, SERVICE_SEES_ALL, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { ErrorBody, Id } from '../http/schemas.js';
import type { Db } from '../store/db.js';
import { evidenceZip } from './evidence-zip.js';
import { evidenceDownloadUrl } from './file-claims.js';
import { casesToFile, heldClaims } from './file-today.js';
import { findFiling } from './filings.js';
import { utcDay } from './plan-cases.js';

const Amount = z.object({ amount_minor: z.number().int(), currency: z.string() });

export const KitJson = z.object({
  claim_type: z.string(),
  where: z.object({ place: z.string(), steps: z.array(z.string()), url: z.string() }),
  fields: z.array(z.object({ claim_id: z.string().nullable().describe('null: the field is the whole case\'s'), label: z.string(), value: z.string() })),
  text: z.string(),
  evidence_url: z.string(),
  evidence_files: z.array(z.object({ name: z.string(), kind: z.string() })),
});

const TodayCase = z.object({
  id: z.string(),
  user_id: z.string(),
  claim_type: z.string(),
  where: z.string().describe('The place in Seller Central, short'),
  claims: z.number().int(),
  units: z.number().int(),
  amount: Amount.nullable().describe('null when a claim\'s value is unknown'),
  deadline: z.string().nullable(),
  days_left: z.number().int().nullable(),
  reopens_case_id: z.string().nullable(),
});

const HeldClaim = z.object({
  claim_id: z.string(),
  user_id: z.string(),
  claim_type: z.string(),
  reason: z.string(),
  code: z.string(),
  deadline: z.string().nullable(),
});

export function kitRoutes(deps: { db: Db; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

    r.get(
      '/api/v1/filings/today',
      {
        schema: {
          operationId: 'fileToday',
          summary: 'Cases to file by hand in Seller Central today, nearest deadline first, and the claims held back',
          description:
            'The manual channel\'s prepared cases (nobody has recorded a case id yet), nearest deadline first (unknown last), then oldest, each with where in Seller Central it is filed; and the claims Clario holds back from filing, with the reason. A seller sees their own; the service sees every seller, or the one named by user_id.',
          tags: ['filings'],
          querystring: z.object({ user_id: Id.optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
          response: { 200: z.object({ day: z.string(), cases: z.array(TodayCase), held: z.array(HeldClaim) }), ...errors },
        },
      },
      async (request) => {
        const userId = requireSubject(principal(request), request.query.user_id, SERVICE_SEES_ALL);
        const day = utcDay(now());
        const cases = await casesToFile(deps.db, { userId, day, limit: request.query.limit });
        const held = await heldClaims(deps.db, { userId, limit: request.query.limit });
        return { day, cases, held };
      },
    );

    r.get(
      '/api/v1/filings/:id/evidence.zip',
      {
        schema: {
          operationId: 'downloadCaseEvidence',
          answers: { 200: { description: 'The case\'s evidence bundle', type: 'application/zip' } },
          summary: 'Download one case\'s evidence as a zip: summary.pdf, case-text.txt, report-lines.csv, evidence/…',
          description:
            'One zip with everything to attach when filing the case in Seller Central: summary.pdf (the case, its items, ids and amounts), case-text.txt, report-lines.csv (the Amazon report lines each item rests on, under each report\'s own column names, with the report\'s name) and every evidence file of its claims under evidence/. A seller downloads their own cases.',
          tags: ['filings'],
          params: z.object({ id: Id }),
        },
      },
      async (request, reply) => {
        const subject = requireSubject(principal(request), undefined, SERVICE_SEES_ALL);
        const filing = await findFiling(deps.db, request.params.id);
        // Not found and not yours look the same: ids are not to be probed.
        if (!filing || !covers(subject, filing.userId)) throw new ApiError('not_found', 'no such filing');
        const zip = await evidenceZip(deps.db, filing, evidenceDownloadUrl);
        const safeName = filing.id.replace(/[^A-Za-z0-9._-]/g, '_');
        return reply
          .header('content-type', 'application/zip')
          .header('content-disposition', `attachment; filename="case-${safeName}.zip"`)
          .header('cache-control', 'private, no-store')
          .header('x-content-type-options', 'nosniff')
          .send(zip.stream);
      },
    );
  };
}
