// What sellers (or the service on their behalf) send Clario directly: their unit costs.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireUser, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { Id } from '../http/schemas.js';
import type { Runner } from '../store/db.js';
import { storeCosts, UploadError } from '../sync/seller-files.js';

export function sellerRoutes(db: Runner) {
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) => done(null, body));
    app.put(
      '/api/v1/sellers/:user_id/costs',
      { schema: { summary: "Replace a seller's unit costs (CSV: sku,unit_cost,currency)", tags: ['sellers'], params: z.object({ user_id: Id }) } },
      async (request) => {
        const { user_id: userId } = request.params as { user_id: string };
        requireUser(principal(request), userId);
        if (typeof request.body !== 'string') throw new ApiError('unsupported_media_type', 'send the costs as text/csv');
        try {
          const r = await storeCosts(db, userId, request.body);
          return { upload_id: r.uploadId, rows: r.rows, problems: r.problems };
        } catch (err) {
          if (err instanceof UploadError) throw new ApiError('invalid_request', err.message);
          throw err;
        }
      },
    );
  };
}
