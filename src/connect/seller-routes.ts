// What sellers (or the service on their behalf) send Clario directly: their manufacturing costs
// and their removal receipts, as CSV files.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireSubject, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { Id } from '../http/schemas.js';
import type { Db } from '../store/db.js';
import { MAX_COSTS_BYTES, MAX_RECEIPTS_BYTES, storeCosts, storeRemovalReceipts, UploadError, UploadTooLargeError, type UploadReport } from '../sync/seller-files.js';

/** Both files share the text/csv parser, so it refuses unread what neither could take. */
const MAX_CSV_BYTES = Math.max(MAX_COSTS_BYTES, MAX_RECEIPTS_BYTES);
const tooLarge = (what: string, max: number) => new ApiError('payload_too_large', `the ${what} file is larger than ${max} bytes`);

const UploadAnswer = z.object({
  upload_id: z.string(),
  rows: z.number().int().describe('Lines stored'),
  problems: z.array(z.object({ line: z.number().int(), message: z.string() })).describe('Lines refused, with why (line 0: how many more)'),
});

type Store = (db: Db, userId: string, input: AsyncIterable<Uint8Array | string>, maxBytes: number) => Promise<UploadReport>;

export function sellerRoutes(db: Db) {
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    // The body is handed on as a stream: the store reads it line by line and counts its bytes, so
    // a large file never sits in memory; one that says it is too large is refused unread.
    app.addContentTypeParser('text/csv', (request, payload, done) => {
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > MAX_CSV_BYTES) done(tooLarge('CSV', MAX_CSV_BYTES), undefined);
      else done(null, payload);
    });
    const upload = (what: string, store: Store, max: number) => async (request: { params: unknown; body: unknown }, reply: { header: (k: string, v: string) => unknown }) => {
      const { user_id: userId } = request.params as { user_id: string };
      requireSubject(principal(request), userId);
      const body = request.body;
      if (!(body instanceof Readable)) throw new ApiError('unsupported_media_type', `send the ${what} as text/csv`);
      try {
        const r = await store(db, userId, body, max);
        return { upload_id: r.uploadId, rows: r.rows, problems: r.problems };
      } catch (err) {
        if (err instanceof UploadTooLargeError) {
          // The rest of the body is never read: close the connection rather than drain it.
          void reply.header('connection', 'close');
          throw tooLarge(what, max);
        }
        if (err instanceof UploadError) throw new ApiError('invalid_request', err.message);
        throw err;
      }
    };
    app.put(
      '/api/v1/sellers/:user_id/costs',
      {
        schema: {
          operationId: 'replaceUnitCosts',
          summary: "Replace a seller's manufacturing costs (CSV: sku,manufacturing_cost,currency)",
          description:
            "Replaces a seller's manufacturing costs with the CSV body (sku,manufacturing_cost,currency; the older header unit_cost is read the same): what one unit cost to make or buy, without shipping, handling or duties, which is what Amazon pays lost and damaged stock at. A seller sets their own; the service sets anyone's.",
          tags: ['sellers'],
          params: z.object({ user_id: Id }),
          response: { 200: UploadAnswer },
        },
      },
      upload('costs', storeCosts, MAX_COSTS_BYTES),
    );
    app.put(
      '/api/v1/sellers/:user_id/removal-receipts',
      {
        schema: {
          operationId: 'replaceRemovalReceipts',
          summary: "Replace a seller's removal receipts (CSV: order_id,sku,tracking_number,received_quantity,received_date)",
          description:
            "Replaces a seller's removal receipts with the CSV body (order_id,sku,tracking_number,received_quantity,received_date): what arrived of each removal shipment Amazon sent back. A shipment the file has no row for counts as not arrived once it was due (shipped 15 days or more before the upload); a later one is asked about. A seller sets their own; the service sets anyone's.",
          tags: ['sellers'],
          params: z.object({ user_id: Id }),
          response: { 200: UploadAnswer },
        },
      },
      upload('removal receipts', storeRemovalReceipts, MAX_RECEIPTS_BYTES),
    );
  };
}
