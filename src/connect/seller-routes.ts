// What sellers (or the service on their behalf) send Clario directly: their unit costs.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireSubject, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { Id } from '../http/schemas.js';
import type { Db } from '../store/db.js';
import { MAX_COSTS_BYTES, storeCosts, UploadError, UploadTooLargeError } from '../sync/seller-files.js';

const tooLarge = () => new ApiError('payload_too_large', `the costs file is larger than ${MAX_COSTS_BYTES} bytes`);

export function sellerRoutes(db: Db) {
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    // The body is handed on as a stream: storeCosts reads it line by line and counts its bytes, so
    // a large file never sits in memory; one that says it is too large is refused unread.
    app.addContentTypeParser('text/csv', (request, payload, done) => {
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > MAX_COSTS_BYTES) done(tooLarge(), undefined);
      else done(null, payload);
    });
    app.put(
      '/api/v1/sellers/:user_id/costs',
      { schema: { operationId: 'replaceUnitCosts', summary: "Replace a seller's unit costs (CSV: sku,unit_cost,currency)", description: 'Replaces a seller\'s unit costs with the CSV body (sku,unit_cost,currency), used to value lost and damaged inventory. A seller sets their own; the service sets anyone\'s.', tags: ['sellers'], params: z.object({ user_id: Id }) } },
      async (request, reply) => {
        const { user_id: userId } = request.params as { user_id: string };
        requireSubject(principal(request), userId);
        const body = request.body;
        if (!(body instanceof Readable)) throw new ApiError('unsupported_media_type', 'send the costs as text/csv');
        try {
          const r = await storeCosts(db, userId, body, MAX_COSTS_BYTES);
          return { upload_id: r.uploadId, rows: r.rows, problems: r.problems };
        } catch (err) {
          if (err instanceof UploadTooLargeError) {
            // The rest of the body is never read: close the connection rather than drain it.
            void reply.header('connection', 'close');
            throw tooLarge();
          }
          if (err instanceof UploadError) throw new ApiError('invalid_request', err.message);
          throw err;
        }
      },
    );
  };
}
