// The learning model for operators: per claim type and evidence profile, the counts, the Beta
// posterior's mean and sd, and the history of changes, newest first. Service token only.
import { and, count, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { betaEstimate, PRIOR } from '../domain/scoring.js';
import { requireService, type Principal } from '../http/auth.js';
import { Id } from '../http/schemas.js';
import type { Db } from '../store/db.js';
import { learningHistory, learningStats } from '../store/schema/learning-tables.js';

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export async function readModel(q: Db, query: { claimType?: string | undefined; limit: number; before?: number | undefined }) {
  const statsWhere = query.claimType ? eq(learningStats.claimType, query.claimType) : undefined;
  const stats = await q.select().from(learningStats).where(statsWhere).orderBy(learningStats.claimType, learningStats.profile);
  // Why Amazon said no, per type and profile: which fixes would pay off most.
  const reasons = await q
    .select({ claimType: learningHistory.claimType, profile: learningHistory.profile, reasonCode: learningHistory.reasonCode, n: count() })
    .from(learningHistory)
    .where(and(eq(learningHistory.outcome, 'rejected'), query.claimType ? eq(learningHistory.claimType, query.claimType) : undefined))
    .groupBy(learningHistory.claimType, learningHistory.profile, learningHistory.reasonCode);
  const reasonsOf = (claimType: string, profile: string) =>
    Object.fromEntries(
      reasons
        .filter((r) => r.claimType === claimType && r.profile === profile)
        .map((r) => [r.reasonCode ?? 'unknown', Number(r.n)] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  const conditions: SQL[] = [];
  if (query.claimType) conditions.push(eq(learningHistory.claimType, query.claimType));
  if (query.before !== undefined) conditions.push(lt(learningHistory.id, query.before));
  const history = await q
    .select()
    .from(learningHistory)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(learningHistory.id))
    .limit(query.limit + 1);
  const page = history.slice(0, query.limit);
  return {
    prior: { ...PRIOR },
    models: stats.map((s) => {
      const e = betaEstimate(s.approved, s.rejected);
      return { claim_type: s.claimType, profile: s.profile, approved: s.approved, rejected: s.rejected, mean: round(e.mean), sd: round(e.sd), rejections_by_reason: reasonsOf(s.claimType, s.profile), updated_at: s.updatedAt.toISOString() };
    }),
    history: page.map((h) => {
      const e = betaEstimate(h.approvedAfter, h.rejectedAfter);
      return {
        id: h.id,
        claim_type: h.claimType,
        profile: h.profile,
        claim_id: h.claimId,
        case_id: h.caseId,
        outcome: h.outcome,
        reason_code: h.reasonCode,
        approved_after: h.approvedAfter,
        rejected_after: h.rejectedAfter,
        mean_after: round(e.mean),
        sd_after: round(e.sd),
        at: h.at.toISOString(),
      };
    }),
    next_before: history.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export function learningRoutes(db: Db) {
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/api/v1/learning/model',
      {
        schema: {
          operationId: 'getLearningModel', summary: 'The learning model: approval estimates per claim type and evidence profile, and their history (newest first)', description: 'The learning model: approval estimates per claim type and evidence profile, and their history, newest first.',
          tags: ['learning'],
          querystring: z.object({
            claim_type: Id.optional(),
            limit: z.coerce.number().int().min(1).max(500).default(50),
            before: z.coerce.number().int().min(1).optional().describe('History page: entries with an id below this (next_before of the previous page)'),
          }),
        },
      },
      async (request) => {
        requireService(principal(request));
        const { claim_type: claimType, limit, before } = request.query;
        return readModel(db, { claimType, limit, before });
      },
    );
  };
}
