// The manual channel over HTTP: prepared cases to file in Seller Central, and the case id the
// seller records back, which starts phase 5 for every claim of that case.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { covers, requireSubject, SERVICE_SEES_ALL, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { ErrorBody, Id } from '../http/schemas.js';
import { findClaim } from '../store/claim-rows.js';
import type { Db } from '../store/db.js';
import { filings } from '../store/schema/filing-tables.js';
import type { Engine } from '../workflow/engine.js';
import { IdempotencyConflictError } from '../workflow/inbox.js';
import { caseKit } from './case-kit.js';
import { evidenceDownloadUrl } from './file-claims.js';
import { claimsOf, evidenceOf, findFiling, findFilingByCase, type FilingRow } from './filings.js';
import { KitJson } from './kit-routes.js';
import { recordCase } from './record-case.js';
import { repliesOf, replyJson } from './replies.js';
import { Reply } from './reply-routes.js';
import { isoOrNull } from '../http/json.js';

const Filing = z.object({
  id: z.string(),
  user_id: z.string(),
  channel: z.enum(['simulator', 'manual']),
  status: z.enum(['prepared', 'filed', 'approved', 'rejected']),
  case_id: z.string().nullable(),
  reopens_case_id: z.string().nullable().describe("A reply on this Amazon case (after its rejection or request for documents), not a new case"),
  claim_ids: z.array(z.string()),
  subject: z.string(),
  body: z.string(),
  attachments: z.array(z.record(z.string(), z.unknown())),
  filed_on: z.string(),
  created_at: z.string(),
  filed_at: z.string().nullable(),
  decided_at: z.string().nullable(),
  follow_up_at: z.string().nullable(),
  follow_up_reason: z.string().nullable(),
});


export function filingJson(f: FilingRow): z.infer<typeof Filing> {
  return {
    id: f.id,
    user_id: f.userId,
    channel: f.channel,
    status: f.status,
    case_id: f.caseId,
    reopens_case_id: f.reopensCaseId,
    claim_ids: f.claimIds,
    subject: f.subject,
    body: f.body,
    attachments: f.attachments,
    filed_on: f.filedOn,
    created_at: f.createdAt.toISOString(),
    filed_at: isoOrNull(f.filedAt),
    decided_at: isoOrNull(f.decidedAt),
    follow_up_at: isoOrNull(f.followUpAt),
    follow_up_reason: f.followUpReason,
  };
}

/** Amazon's case ids are digits; allow what Seller Central shows, nothing that could smuggle markup. */
const CaseId = z.string().regex(/^[A-Za-z0-9-]{3,40}$/, 'a case id as Seller Central shows it (letters, digits, -)');

export function filingRoutes(deps: { db: Db; engine: Engine }) {
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

    r.get(
      '/api/v1/filings',
      {
        schema: {
          operationId: 'listFilings', summary: 'Cases Clario prepared or filed (a seller sees their own; the service may filter by user_id)', description: 'Cases Clario prepared or filed, newest first. A seller sees their own; the service may filter by user_id.',
          tags: ['filings'],
          querystring: z.object({ status: z.enum(['prepared', 'filed', 'approved', 'rejected']).optional(), user_id: Id.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: { 200: z.object({ filings: z.array(Filing) }), ...errors },
        },
      },
      async (request) => {
        const userId = requireSubject(principal(request), request.query.user_id, SERVICE_SEES_ALL);
        const where: SQL[] = [];
        if (userId !== null) where.push(eq(filings.userId, userId));
        if (request.query.status) where.push(eq(filings.status, request.query.status));
        const found = await deps.db.select().from(filings).where(and(...where)).orderBy(desc(filings.createdAt)).limit(request.query.limit);
        return { filings: found.map(filingJson) };
      },
    );

    r.get(
      '/api/v1/filings/:id',
      {
        schema: {
          operationId: 'getFiling',
          summary: "One case: subject, text, attachments, claims, status, its filing kit and Amazon's replies",
          description:
            'One case: its subject, text, attachments, claims and status, and its kit for filing it by hand: where in Seller Central (place, steps, link), the fields the form asks for, the case text in Amazon\'s terms and the evidence download (null for a case whose claims are gone); and Amazon\'s replies pasted on it, oldest first. A seller reads their own.',
          tags: ['filings'],
          params: z.object({ id: Id }),
          response: { 200: Filing.extend({ kit: KitJson.nullable(), replies: z.array(Reply) }), ...errors },
        },
      },
      async (request) => {
        const subject = requireSubject(principal(request), undefined, SERVICE_SEES_ALL);
        const f = await findFiling(deps.db, request.params.id);
        // Not found and not yours look the same: ids are not to be probed.
        if (!f || !covers(subject, f.userId)) throw new ApiError('not_found', 'no such filing');
        const claims = await claimsOf(deps.db, f);
        const built = claims.length ? caseKit(f.id, claims, await evidenceOf(deps.db, f.claimIds), evidenceDownloadUrl) : null;
        // A reopening's text is the seller's reply on the same case, written when it was prepared.
        const kit = built && f.reopensCaseId ? { ...built, text: f.body } : built;
        return { ...filingJson(f), kit, replies: (await repliesOf(deps.db, { filingId: f.id })).map(replyJson) };
      },
    );

    r.post(
      '/api/v1/claims/:id/case',
      {
        schema: {
          operationId: 'recordCaseId', summary: 'Record the case id of a case filed in Seller Central: every claim of that case enters phase 5', description: 'Records the case id Amazon gave a case filed by hand in Seller Central: every claim of that case enters phase 5.',
          tags: ['filings'],
          params: z.object({ id: Id }),
          body: z.object({ case_id: CaseId }),
          response: {
            202: z.object({ filing_id: z.string(), case_id: z.string(), claims: z.array(z.object({ claim_id: z.string(), event_id: z.string(), duplicate: z.boolean() })) }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const subject = requireSubject(principal(request), undefined, SERVICE_SEES_ALL);
        const claim = await findClaim(deps.db, request.params.id);
        if (!claim || !covers(subject, claim.userId)) throw new ApiError('not_found', 'no such claim');
        const filing = claim.filingId ? await findFiling(deps.db, claim.filingId) : undefined;
        if (!filing) throw new ApiError('conflict', `claim ${claim.id} has no prepared case; it is ${claim.status}`);
        // A simulator-channel intent is being filed by Clario itself: a second, manual case would duplicate it.
        if (filing.channel !== 'manual') throw new ApiError('conflict', `claim ${claim.id} is filed by Clario through the ${filing.channel} channel`);
        const caseId = request.body.case_id;
        if (filing.caseId && filing.caseId !== caseId) throw new ApiError('conflict', `this case was recorded as ${filing.caseId}`);
        // A reopening is the seller's reply on the case Amazon answered: recording it says it was sent.
        if (filing.reopensCaseId && filing.reopensCaseId !== caseId) throw new ApiError('conflict', `this is a reply on case ${filing.reopensCaseId}: record that case id`);
        const other = filing.reopensCaseId ? undefined : await findFilingByCase(deps.db, filing.userId, caseId);
        if (other && other.id !== filing.id) throw new ApiError('conflict', `case ${caseId} is already recorded for other claims`);
        try {
          const recorded = await recordCase(deps, filing, caseId);
          return reply.status(202).send({ filing_id: filing.id, case_id: caseId, claims: recorded });
        } catch (err) {
          if (err instanceof IdempotencyConflictError) throw new ApiError('conflict', `this case was recorded with another case id`);
          throw err;
        }
      },
    );
  };
}
