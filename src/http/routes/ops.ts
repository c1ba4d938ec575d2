// Liveness, readiness, Prometheus metrics and the OpenAPI document. All need a token.
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Registry } from 'prom-client';
import type { JobQueue } from '../../queue/job-queue.js';
import type { Db } from '../../store/db.js';
import { requireAuthenticated, requireService, type Principal } from '../auth.js';
import { errorBody } from '../errors.js';

export interface OpsDeps {
  readonly db: Db;
  readonly queue: JobQueue;
  readonly registry: Registry;
  readonly principal: (request: unknown) => Principal;
}

export function opsRoutes(app: FastifyInstance, deps: OpsDeps): void {
  app.get('/healthz', { schema: { summary: 'Liveness', tags: ['operations'] } }, (request) => {
    requireAuthenticated(deps.principal(request));
    return Promise.resolve({ status: 'ok' });
  });

  app.get('/readyz', { schema: { summary: 'Readiness: database and queue reachable', tags: ['operations'] } }, async (request, reply) => {
    requireAuthenticated(deps.principal(request));
    const check = async (f: () => Promise<unknown>) => {
      try {
        await f();
        return 'ok';
      } catch {
        return 'unreachable';
      }
    };
    const [database, queue] = await Promise.all([check(() => deps.db.execute(sql`SELECT 1`)), check(() => deps.queue.stats())]);
    const ready = database === 'ok' && queue === 'ok';
    if (!ready) return reply.status(503).send({ ...errorBody('unavailable', 'not ready'), database, queue });
    return { status: 'ready', database, queue };
  });

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['operations'] } }, async (request, reply) => {
    requireService(deps.principal(request));
    const text = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(text);
  });

  app.get('/docs/json', { schema: { summary: 'This OpenAPI document', tags: ['operations'] } }, (request) => {
    requireAuthenticated(deps.principal(request));
    return Promise.resolve(app.swagger());
  });
}
