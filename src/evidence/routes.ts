// The evidence and smart-prompt endpoints. A seller acts for themself; the service token acts for
// the seller named by `user_id`. Another seller's files and prompts answer 404, as if absent.
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Currency } from '../domain/money.js';
import type { RoutingThresholds } from '../domain/routing.js';
import type { LearnedSource } from './match-claims.js';
import { requireAuthenticated, requireSubject, SERVICE_SEES_ALL, type Principal } from '../http/auth.js';
import { claimJson } from '../http/claim-json.js';
import { ApiError } from '../http/errors.js';
import { ErrorBody, Id } from '../http/schemas.js';
import type { Db } from '../store/db.js';
import type { PromptRow } from '../store/prompt-rows.js';
import { claims } from '../store/schema/claims-tables.js';
import { evidenceFiles, prompts } from '../store/schema/evidence-tables.js';
import { answerMeasurement } from '../routing/answer-measurement.js';
import { answerPrompt } from '../routing/answer-prompt.js';
import { MeasurementsBody } from '../routing/measurements-body.js';
import { rescoreAndRoute } from '../routing/rescore.js';
import { isPhoto, type EvidenceContentType } from './read/read-evidence.js';
import type { EvidenceReader } from './read/read-off-thread.js';
import { readBlob } from './blob-store.js';
import { receiveUpload, refuseDeclaredOversize } from './receive-upload.js';
import { claimsOfFiles, fileBySha, filesOfUser, itemsOfFile, kindOf, storeFile, UnsupportedFileError, type EvidenceFileRow } from './store-evidence.js';

export interface EvidenceRouteDeps {
  readonly db: Db;
  readonly learned: LearnedSource;
  readonly thresholds: RoutingThresholds;
  readonly maxFileBytes: number;
  /** The whole upload, all files together (EVIDENCE_MAX_REQUEST_BYTES). */
  readonly maxRequestBytes: number;
  readonly defaultCurrency: Currency;
  /** Reads files off the event loop, bounded (read-off-thread.ts). */
  readonly reader: EvidenceReader;
  /** Sends committed outbox rows on at once (the engine's relay). */
  readonly afterCommit: () => void;
}

const MAX_FILES = 20;
const Kind = z.enum(['invoice', 'proof_of_delivery', 'measurement_photo']);

/** What uploadEvidence answers: fileJson() of each file. */
const Uploaded = z.object({
  files: z.array(
    z.object({
      id: z.string(),
      filename: z.string(),
      sha256: z.string(),
      kind: z.enum(['invoice', 'proof_of_delivery', 'measurement_photo', 'other']),
      content_type: z.string(),
      size_bytes: z.number(),
      status: z.enum(['parsed', 'partial', 'unreadable']),
      report: z.record(z.string(), z.unknown()),
      matched_claims: z.array(z.string()),
      created_at: z.string(),
    }),
  ),
});

function fileJson(f: EvidenceFileRow, matched: readonly string[]) {
  return {
    id: f.id,
    filename: f.filename,
    sha256: f.sha256,
    kind: f.kind,
    content_type: f.contentType,
    size_bytes: f.sizeBytes,
    status: f.status,
    report: f.report,
    matched_claims: [...matched],
    created_at: f.createdAt.toISOString(),
  };
}

/**
 * An answer: confirm, upload (file_ids), dismiss, or measure (a fee claim's SKU: `measurements`
 * in cm or in and g, kg, oz or lb, checked and converted to whole mm and g here; file_ids: the
 * measurement photos, at least one).
 */
const AnswerBody = z
  .object({
    action: z.enum(['confirm', 'upload', 'dismiss', 'measure']),
    file_ids: z.array(Id).max(MAX_FILES).optional(),
    note: z.string().max(2000).optional(),
    measurements: MeasurementsBody.optional(),
  })
  .refine((b) => b.action !== 'upload' || (b.file_ids?.length ?? 0) > 0, { message: 'upload needs file_ids', path: ['file_ids'] })
  .refine((b) => b.action !== 'measure' || b.measurements !== undefined, { message: 'measure needs measurements', path: ['measurements'] })
  .refine((b) => b.action !== 'measure' || (b.file_ids?.length ?? 0) > 0, { message: 'measure needs the photos as file_ids (upload them with kind measurement_photo)', path: ['file_ids'] })
  .refine((b) => b.action === 'measure' || b.measurements === undefined, { message: 'measurements go with action measure', path: ['measurements'] });

function promptJson(p: PromptRow) {
  return { id: p.id, claim_id: p.claimId, status: p.status, asks: p.asks, answer: p.answer, created_at: p.createdAt.toISOString(), answered_at: p.answeredAt?.toISOString() ?? null };
}

export function evidenceRoutes(d: EvidenceRouteDeps) {
  return async (app: FastifyInstance, principal: (r: unknown) => Principal): Promise<void> => {
    // Another capability may have registered the parser already; registering twice fails.
    if (!app.hasContentTypeParser('multipart/form-data')) await app.register(multipart);
    const limits = { maxFileBytes: d.maxFileBytes, maxRequestBytes: d.maxRequestBytes, maxFiles: MAX_FILES };
    /** An evidence file the caller may see: another seller's is "not found", as if absent. */
    const visibleFile = async (p: Principal, id: string): Promise<EvidenceFileRow> => {
      const subject = requireSubject(p, undefined, SERVICE_SEES_ALL);
      const [file] = await d.db.select().from(evidenceFiles).where(subject === null ? eq(evidenceFiles.id, id) : and(eq(evidenceFiles.id, id), eq(evidenceFiles.userId, subject)));
      if (!file) throw new ApiError('not_found', `no evidence file ${id}`);
      return file;
    };

    app.post(
      '/api/v1/evidence',
      {
        schema: { operationId: 'uploadEvidence', summary: 'Upload supplier invoices, proofs of delivery or measurement photos (multipart: file parts, optional kind, user_id for the service)', description: 'Uploads supplier invoices or proofs of delivery (PDF or CSV: their line items are read and matched to claims) or measurement photos (JPEG or PNG of at least 100 pixels a side, kind measurement_photo: kept as sent, for a fee claim\'s measurement). Multipart: file parts, an optional kind, and user_id when the service uploads.', tags: ['evidence'], response: { 201: Uploaded, 413: ErrorBody, 415: ErrorBody } },
        // Before the body is read: an upload that says it is too large is refused unread.
        onRequest: (request, _reply, done) => {
          try {
            refuseDeclaredOversize(request, limits);
            done();
          } catch (err) {
            done(err as Error);
          }
        },
      },
      async (request, reply) => {
        requireAuthenticated(principal(request));
        const upload = await receiveUpload(request, limits).catch((err: unknown) => {
          // The rest of an oversized body is never read: close the connection rather than drain it.
          if (err instanceof ApiError && err.code === 'payload_too_large') void reply.header('connection', 'close');
          throw err;
        });
        let answer;
        try {
          const { files, fields } = upload;
          const userIdField = fields.user_id === undefined ? undefined : Id.safeParse(fields.user_id);
          if (userIdField && !userIdField.success) throw new ApiError('invalid_request', 'user_id is not a valid id');
          const userId = requireSubject(principal(request), userIdField?.data);
          const kind = fields.kind === undefined ? undefined : Kind.safeParse(fields.kind);
          if (kind && !kind.success) throw new ApiError('invalid_request', 'kind must be invoice, proof_of_delivery or measurement_photo');
          if (files.length === 0) throw new ApiError('invalid_request', 'no `file` part in the upload');
          // Every file is checked before any is stored: an upload with a bad file stores nothing.
          const types: EvidenceContentType[] = [];
          for (const f of files) {
            try {
              types.push(await d.reader.check({ path: f.path, filename: f.filename, declaredType: f.mimetype }));
            } catch (err) {
              if (err instanceof UnsupportedFileError) throw new ApiError('unsupported_media_type', err.message);
              throw err;
            }
          }
          // Nothing is read from a photo, so it cannot stand for an invoice; and a measurement photo is a photo.
          for (const [i, f] of files.entries()) {
            if (isPhoto(types[i]!) && kind && kind.data !== 'measurement_photo') throw new ApiError('invalid_request', `${f.filename}: a photo is kept as a measurement photo; send an invoice or proof of delivery as PDF or CSV`);
            if (!isPhoto(types[i]!) && kind?.data === 'measurement_photo') throw new ApiError('invalid_request', `${f.filename}: a measurement photo is a JPEG or PNG image`);
          }
          // Then one file at a time: read off the event loop, stored, let go.
          const stored: EvidenceFileRow[] = [];
          for (const [i, f] of files.entries()) {
            const known = await fileBySha(d.db, userId, f.sha256);
            if (known) {
              stored.push(known);
              continue;
            }
            const read = await d.reader.read({ path: f.path, contentType: types[i]! }, d.defaultCurrency);
            const bytes = await readFile(f.path);
            const prepared = { filename: f.filename, bytes, sha256: f.sha256, contentType: types[i]!, kind: kindOf(read, f.filename, kind?.data, types[i]), read };
            stored.push((await storeFile(d.db, userId, prepared)).file);
          }
          // Stored: the temporary files are gone before anyone hears of the upload.
          await upload.discard();
          await rescoreAndRoute(d.db, { userId, learned: d.learned, thresholds: d.thresholds, now: new Date() });
          d.afterCommit();
          const matched = await claimsOfFiles(d.db, stored.map((f) => f.id));
          answer = { files: stored.map((f) => fileJson(f, matched.get(f.id) ?? [])) };
        } finally {
          await upload.discard();
        }
        return reply.status(201).send(answer);
      },
    );

    app.get('/api/v1/evidence', { schema: { operationId: 'listEvidence', summary: "A seller's evidence files (no bytes)", description: 'A seller\'s evidence files, without their bytes. A seller lists their own; the service names user_id.', tags: ['evidence'], querystring: z.object({ user_id: Id.optional() }) } }, async (request) => {
      const userId = requireSubject(principal(request), (request.query as { user_id?: string }).user_id);
      const files = await filesOfUser(d.db, userId);
      const matched = await claimsOfFiles(d.db, files.map((f) => f.id));
      return { files: files.map((f) => fileJson(f, matched.get(f.id) ?? [])) };
    });

    app.get('/api/v1/evidence/:id', { schema: { operationId: 'getEvidence', summary: 'One evidence file, its line items and the claims it supports', description: 'One evidence file, its line items and the claims it supports. A seller reads their own.', tags: ['evidence'], params: z.object({ id: Id }) } }, async (request) => {
      const { id } = request.params as { id: string };
      const file = await visibleFile(principal(request), id);
      const matched = (await claimsOfFiles(d.db, [file.id])).get(file.id) ?? [];
      const items = await itemsOfFile(d.db, file.id);
      return {
        file: fileJson(file, matched),
        items: items.map((i) => ({
          id: i.id,
          line: i.lineNo,
          document_ref: i.documentRef,
          supplier: i.supplier,
          sku: i.sku,
          product_name: i.productName,
          quantity: i.quantity,
          unit_cost: i.unitCostMinor !== null && i.currency ? { minor: i.unitCostMinor, currency: i.currency } : null,
          date: i.date,
        })),
        claims: matched,
      };
    });

    // The file itself, for the manual channel's "attachments" and the claim page: a seller gets
    // only their own (the session cookie works, so a link in the browser downloads it).
    app.get('/api/v1/evidence/:id/content', { schema: { operationId: 'downloadEvidence', answers: { 200: { description: 'The file, with the media type it was uploaded with', type: 'application/octet-stream' } }, summary: 'Download an evidence file as uploaded', description: 'An evidence file\'s bytes, as uploaded. A seller downloads their own.', tags: ['evidence'], params: z.object({ id: Id }) } }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const file = await visibleFile(principal(request), id);
      const blob = await readBlob(d.db, file.sha256);
      if (!blob) throw new Error(`evidence file ${id} has lost its bytes (sha256 ${file.sha256})`);
      const safeName = file.filename.replace(/[^\w.\- ]+/g, '_');
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${safeName}"`)
        .header('x-content-sha256', file.sha256)
        .header('x-content-type-options', 'nosniff')
        // A seller's own document: never kept by a shared cache or the browser's.
        .header('cache-control', 'private, no-store')
        .header('content-length', blob.size)
        // A piece at a time, each its own query: a large file never holds the database for long.
        .send(Readable.from(blob.pieces, { objectMode: false }));
    });

    app.get(
      '/api/v1/prompts',
      { schema: { operationId: 'listPrompts', summary: "A seller's smart prompts", description: 'A seller\'s smart prompts (what Clario asks them to confirm or upload), optionally by status. A seller lists their own.', tags: ['prompts'], querystring: z.object({ user_id: Id.optional(), status: z.enum(['open', 'answered', 'dismissed', 'superseded']).optional() }) } },
      async (request) => {
        const q = request.query as { user_id?: string; status?: PromptRow['status'] };
        const userId = requireSubject(principal(request), q.user_id);
        const rows = await d.db
          .select()
          .from(prompts)
          .where(and(eq(prompts.userId, userId), q.status ? eq(prompts.status, q.status) : undefined))
          // What the seller must do soonest first (the page pages through them in this order), so
          // the limit drops the prompts with the most time left, never the most pressing ones.
          .orderBy(
            sql`(SELECT ${claims.deadline} FROM ${claims} WHERE ${claims.id} = ${prompts.claimId}) ASC NULLS LAST`,
            sql`(SELECT ${claims.amountMinor} FROM ${claims} WHERE ${claims.id} = ${prompts.claimId}) DESC NULLS LAST`,
            desc(prompts.createdAt),
            desc(prompts.id),
          )
          .limit(1000);
        const byId = new Map(
          rows.length ? (await d.db.select().from(claims).where(inArray(claims.id, [...new Set(rows.map((r) => r.claimId))]))).map((c) => [c.id, c]) : [],
        );
        return {
          prompts: rows.map((r) => {
            const c = byId.get(r.claimId);
            return { ...promptJson(r), claim: c ? claimJson(c) : null };
          }),
        };
      },
    );

    app.post(
      '/api/v1/prompts/:id/answer',
      {
        schema: {
          operationId: 'answerPrompt', summary: 'Answer a smart prompt: confirm, upload (link evidence files), measure (a fee claim) or dismiss', description: "Answers a smart prompt: confirm, upload (link evidence files), dismiss, or measure: a fee claim's SKU measured by the seller (length, width, height in cm or in; weight in g, kg, oz or lb; kept as whole millimetres and grams) with its photos as file_ids (evidence files of kind measurement_photo). One measurement serves every open fee claim of the SKU. A seller answers their own.",
          tags: ['prompts'],
          params: z.object({ id: Id }),
          body: AnswerBody,
        },
      },
      async (request) => {
        const subject = requireSubject(principal(request), undefined, SERVICE_SEES_ALL);
        const { id } = request.params as { id: string };
        const body = request.body as z.infer<typeof AnswerBody>;
        // A seller answers as themself (another seller's prompt is then not found); the service
        // answers for whichever seller owns the prompt.
        const owner = subject ?? (await d.db.select({ userId: prompts.userId }).from(prompts).where(eq(prompts.id, id)))[0]?.userId;
        if (!owner) throw new ApiError('not_found', `no prompt ${id}`);
        if (body.action === 'measure') {
          const measured = await answerMeasurement(d.db, { promptId: id, userId: owner, measurements: body.measurements!, photoIds: body.file_ids ?? [], note: body.note, learned: d.learned, thresholds: d.thresholds, now: new Date() });
          if (!measured.ok) throw new ApiError(measured.code, measured.message);
          d.afterCommit();
          return { prompt: promptJson(measured.prompt), claim: { ...claimJson(measured.claim), score: measured.claim.score ?? null } };
        }
        const out = await answerPrompt(d.db, { promptId: id, userId: owner, action: body.action, fileIds: body.file_ids ?? [], note: body.note, learned: d.learned, thresholds: d.thresholds, now: new Date() });
        if (!out.ok) throw new ApiError(out.code, out.message);
        d.afterCommit();
        return { prompt: promptJson(out.prompt), claim: { ...claimJson(out.claim), score: out.claim.score ?? null } };
      },
    );
  };
}
