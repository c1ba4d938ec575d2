// Liveness, readiness, Prometheus metrics and the OpenAPI document. The probes are open: load
// balancers and Kubernetes send no token, so they answer a bare status and reveal nothing else
// (not which dependency is down, not the version). The document is open too; metrics need a token.
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Registry } from 'prom-client';
import type { JobQueue } from '../../queue/job-queue.js';
import type { Db } from '../../store/db.js';
import { requireService, type Principal } from '../auth.js';

/** A probe that waits longer than this counts the dependency as down: a hung pool must not hang the probe. */
export const READINESS_TIMEOUT_MS = 2_000;

/** Resolves true when `f` settles successfully within `ms`. */
async function answers(f: () => Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([f().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the database and the queue both answer within `ms`: /readyz, of an API process or a worker. */
export async function dependenciesAnswer(db: Db, queue: JobQueue, ms = READINESS_TIMEOUT_MS): Promise<boolean> {
  const [database, queued] = await Promise.all([answers(() => db.execute(sql`SELECT 1`), ms), answers(() => queue.stats(), ms)]);
  return database && queued;
}

export interface OpsDeps {
  readonly db: Db;
  readonly queue: JobQueue;
  readonly registry: Registry;
  readonly principal: (request: unknown) => Principal;
  readonly readinessTimeoutMs?: number;
}

/** Open to everyone (the OpenAPI document marks every public route `security: []`, see openapi.ts). */
const probe = { config: { public: true } } as const;
/** Probes are also outside the rate limit: a load balancer or kubelet probes every process from one
 * address, and with REDIS_URL the processes share the budget, so probes alone could exhaust it. */
const health = { config: { public: true, rateLimit: false } } as const;
const ProbeBody = z.object({ status: z.enum(['ok', 'unavailable']) });

export function opsRoutes(app: FastifyInstance, deps: OpsDeps): void {
  app.get(
    '/healthz',
    { ...health, schema: { operationId: 'checkLiveness', summary: 'Liveness (no token needed)', description: 'Answers 200 while the process runs. No token needed; reveals nothing else.', tags: ['operations'], response: { 200: ProbeBody } } },
    () => Promise.resolve({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      ...health,
      schema: {
        operationId: 'checkReadiness', summary: 'Readiness: database and queue reachable (no token needed)', description: 'Answers 200 when the database and the queue answer within the readiness timeout, 503 otherwise. No token needed; does not say which is down.',
        tags: ['operations'],
        response: { 200: ProbeBody, 503: ProbeBody },
      },
    },
    async (_request, reply) => {
      if (!(await dependenciesAnswer(deps.db, deps.queue, deps.readinessTimeoutMs))) return reply.status(503).send({ status: 'unavailable' });
      return { status: 'ok' };
    },
  );

  app.get('/metrics', { schema: { operationId: 'getMetrics', answers: { 200: { description: 'The metrics', type: 'text/plain' } }, summary: 'Prometheus metrics', description: 'Prometheus metrics in the text exposition format. Service token only.', tags: ['operations'] } }, async (request, reply) => {
    requireService(deps.principal(request));
    const text = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(text);
  });

  // Open like the probes: it describes the API, it reveals no data.
  app.get('/docs/json', { ...probe, schema: { operationId: 'getApiDocument', summary: 'This OpenAPI document (no token needed)', description: 'This OpenAPI 3 document. No token needed: it describes the API and reveals no data.', tags: ['operations'] } }, () =>
    Promise.resolve(app.swagger()),
  );
}
