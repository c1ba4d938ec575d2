// What sellers (or the service on their behalf) send Clario directly: their manufacturing costs
// and their removal receipts, as CSV files.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireSubject, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { ErrorBody, Id } from '../http/schemas.js';
import type { Db } from '../store/db.js';
import { answerRemovalShipment, removalReceipts, type RemovalShipment } from '../sync/removal-shipments.js';
import { MAX_COSTS_BYTES, MAX_RECEIPTS_BYTES, storeCosts, storeRemovalReceipts, UploadError, UploadTooLargeError, type UploadReport } from '../sync/seller-files.js';

/** Both files share the text/csv parser, so it refuses unread what neither could take. */
const MAX_CSV_BYTES = Math.max(MAX_COSTS_BYTES, MAX_RECEIPTS_BYTES);
const tooLarge = (what: string, max: number) => new ApiError('payload_too_large', `the ${what} file is larger than ${max} bytes`);

const UploadAnswer = z.object({
  upload_id: z.string(),
  rows: z.number().int().describe('Lines stored'),
  problems: z.array(z.object({ line: z.number().int(), message: z.string() })).describe('Lines refused, with why (line 0: how many more)'),
});

function shipmentJson(s: RemovalShipment) {
  return {
    id: s.id,
    order_id: s.orderId,
    sku: s.sku,
    fnsku: s.fnsku ?? null,
    carrier: s.carrier ?? null,
    tracking_number: s.trackingNumber,
    shipment_date: s.shipmentDate,
    shipped_quantity: s.shipped,
    state: s.state,
    received_quantity: s.received,
    answer: s.answer ? { answer: s.answer.answer, answered_at: s.answer.answeredAt.toISOString() } : null,
  };
}

const STATES = ['awaiting', 'answered', 'uploaded', 'not_in_upload'] as const;
const Shipment = z.object({
  id: z.string(),
  order_id: z.string(),
  sku: z.string(),
  fnsku: z.string().nullable(),
  carrier: z.string().nullable(),
  tracking_number: z.string(),
  shipment_date: z.string().describe('YYYY-MM-DD, the first shipment date'),
  shipped_quantity: z.number().int(),
  state: z.enum(STATES).describe('awaiting: asked, not yet answered (detection does not judge it); answered; uploaded: a row of the latest receipts file; not_in_upload: shipped before the latest upload and not in it, so nothing arrived (it can still be answered)'),
  received_quantity: z.number().int().nullable().describe('Units received as recorded; null while awaiting'),
  answer: z.object({ answer: z.enum(['all', 'some', 'none']), answered_at: z.string() }).nullable(),
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
            "Replaces a seller's removal receipts with the CSV body (order_id,sku,tracking_number,received_quantity,received_date): what arrived of each removal shipment Amazon sent back. A removal shipment that shipped on or before the upload day and has no row counts as not arrived (its claim waits 15 days after shipping, as Amazon does); one shipped later is asked about. A seller sets their own; the service sets anyone's.",
          tags: ['sellers'],
          params: z.object({ user_id: Id }),
          response: { 200: UploadAnswer },
        },
      },
      upload('removal receipts', storeRemovalReceipts, MAX_RECEIPTS_BYTES),
    );
    app.get(
      '/api/v1/sellers/:user_id/removal-shipments',
      {
        schema: {
          operationId: 'listRemovalShipments',
          summary: "A seller's removal shipments and what arrived of each; those awaiting an answer first",
          description:
            "The removal shipments Amazon sent back to a seller (from the synced removal shipment report), each with what is known of its arrival; ?state=awaiting lists the smart prompts: shipments nobody has answered for yet. A seller reads their own.",
          tags: ['prompts'],
          params: z.object({ user_id: Id }),
          querystring: z.object({ state: z.enum(STATES).optional() }),
          response: { 200: z.object({ shipments: z.array(Shipment) }) },
        },
      },
      async (request) => {
        const { user_id: userId } = request.params as { user_id: string };
        requireSubject(principal(request), userId);
        const { state } = request.query as { state?: (typeof STATES)[number] };
        const view = await removalReceipts(db, userId);
        return { shipments: view.shipments.filter((s) => !state || s.state === state).map(shipmentJson) };
      },
    );
    app.post(
      '/api/v1/sellers/:user_id/removal-shipments/:shipment_id/answer',
      {
        schema: {
          operationId: 'answerRemovalShipment',
          summary: 'Answer "did these units arrive?" for one removal shipment: all, some (with how many) or none',
          description:
            'Records what arrived of one removal shipment: all of it, some (received_quantity, fewer than shipped) or none. The next detection reads it as a receipt line; a shipment answered "some" or "none" becomes a removal_lost_in_transit claim for the units missing. Answered once; upload removal-receipts.csv to change it. A seller answers their own.',
          tags: ['prompts'],
          params: z.object({ user_id: Id, shipment_id: Id }),
          body: z
            .object({ answer: z.enum(['all', 'some', 'none']), received_quantity: z.number().int().min(1).optional() })
            .refine((b) => b.answer !== 'some' || b.received_quantity !== undefined, { message: 'some needs received_quantity', path: ['received_quantity'] }),
          response: { 200: z.object({ shipment: Shipment }), 409: ErrorBody },
        },
      },
      async (request) => {
        const { user_id: userId, shipment_id: shipmentId } = request.params as { user_id: string; shipment_id: string };
        requireSubject(principal(request), userId);
        const body = request.body as { answer: 'all' | 'some' | 'none'; received_quantity?: number };
        const out = await answerRemovalShipment(db, { userId, shipmentId, answer: body.answer, received: body.received_quantity });
        if (!out.ok) throw new ApiError(out.code, out.message);
        return { shipment: shipmentJson(out.shipment) };
      },
    );
  };
}
