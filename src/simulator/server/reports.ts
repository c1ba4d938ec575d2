/**
 * Reports API 2021-06-30 over a seller folder. A report walks IN_QUEUE → IN_PROGRESS → DONE
 * over successive getReport polls (CANCELLED when the folder has no such file: Amazon's "no
 * data"). Documents are GZIP-compressed behind a signed URL that expires after 5 minutes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { gzippedDocument, reportFile } from './report-content.js';
import { DOCUMENT_URL_TTL_S, type SimReport, type SimulatorState } from './state.js';
import { guard, invalidInput, sendErrors, type GuardOptions } from './wire.js';

export interface ReportsOptions extends GuardOptions {
  /** getReport polls answered before the final status (default 2: IN_QUEUE, IN_PROGRESS). */
  readonly reportPolls: number;
  /** Public origin for document URLs; default: the origin the request came to. */
  readonly baseUrl?: string;
}

const isoDateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time');
const CreateReportSpecification = z.object({
  reportType: z.string().min(1),
  marketplaceIds: z.array(z.string().min(1)).min(1).max(25),
  dataStartTime: isoDateTime.optional(),
  dataEndTime: isoDateTime.optional(),
  reportOptions: z.record(z.string(), z.string()).optional(),
});

const DOCUMENT_PATH = '/_simulator/report-documents/';

function origin(req: FastifyRequest, configured: string | undefined): string {
  return (configured ?? `${req.protocol}://${req.host}`).replace(/\/$/, '');
}

function describe(report: SimReport, reportPolls: number): Record<string, unknown> {
  const status = report.polls <= Math.floor(reportPolls / 2) && reportPolls > 0 ? 'IN_QUEUE' : report.final && report.polls > reportPolls ? report.final : 'IN_PROGRESS';
  return {
    reportId: report.reportId,
    reportType: report.reportType,
    marketplaceIds: report.marketplaceIds,
    ...(report.dataStartTime ? { dataStartTime: report.dataStartTime } : {}),
    ...(report.dataEndTime ? { dataEndTime: report.dataEndTime } : {}),
    createdTime: report.createdTime,
    processingStatus: status,
    ...(status !== 'IN_QUEUE' && report.processingStartTime ? { processingStartTime: report.processingStartTime } : {}),
    ...(status === 'DONE' || status === 'CANCELLED' ? { processingEndTime: report.processingEndTime } : {}),
    ...(status === 'DONE' ? { reportDocumentId: report.reportDocumentId } : {}),
  };
}

export function registerReports(app: FastifyInstance, options: ReportsOptions): void {
  const { state } = options;

  app.post('/reports/2021-06-30/reports', async (req, reply) => {
    const sellerId = guard(req, reply, options, 'createReport');
    if (!sellerId) return reply;
    const spec = CreateReportSpecification.safeParse(req.body);
    if (!spec.success) return invalidInput(reply, spec.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    if (!/^GET_[A-Z0-9_]+$/.test(spec.data.reportType)) return invalidInput(reply, `Invalid reportType: ${spec.data.reportType}`);
    const { dataStartTime, dataEndTime } = spec.data;
    if (dataStartTime && dataEndTime && Date.parse(dataStartTime) > Date.parse(dataEndTime)) return invalidInput(reply, 'dataStartTime must be before dataEndTime');
    const reportId = state.nextNumber(50_000_000_000);
    const seller = state.sellers.get(sellerId);
    const hasData = (seller && reportFile(seller.folder, spec.data.reportType)) || (spec.data.reportType === 'GET_FBA_REIMBURSEMENTS_DATA' && (state.addedReimbursements.get(sellerId)?.length ?? 0) > 0);
    const now = state.nowIso();
    const report: SimReport = {
      sellerId,
      reportId,
      reportType: spec.data.reportType,
      marketplaceIds: spec.data.marketplaceIds,
      ...(dataStartTime ? { dataStartTime } : {}),
      ...(dataEndTime ? { dataEndTime } : {}),
      createdTime: now,
      processingStartTime: now,
      processingEndTime: now,
      polls: 0,
      final: hasData ? 'DONE' : 'CANCELLED',
    };
    if (hasData) {
      report.reportDocumentId = `amzn1.spdoc.1.4.na.${reportId}.T${state.token('').slice(0, 12)}`;
      state.documents.set(report.reportDocumentId, {
        sellerId,
        reportType: report.reportType,
        ...(dataStartTime ? { start: Date.parse(dataStartTime) } : {}),
        ...(dataEndTime ? { end: Date.parse(dataEndTime) } : {}),
      });
    }
    state.reports.set(reportId, report);
    return reply.code(202).send({ reportId });
  });

  app.get('/reports/2021-06-30/reports/:reportId', async (req, reply) => {
    const sellerId = guard(req, reply, options, 'getReport');
    if (!sellerId) return reply;
    const { reportId } = req.params as { reportId: string };
    const report = state.reports.get(reportId);
    if (!report || report.sellerId !== sellerId) return sendErrors(reply, 404, 'NotFound', `Report ${reportId} not found`);
    report.polls += 1;
    return reply.send(describe(report, options.reportPolls));
  });

  app.get('/reports/2021-06-30/documents/:documentId', async (req, reply) => {
    const sellerId = guard(req, reply, options, 'getReportDocument');
    if (!sellerId) return reply;
    const { documentId } = req.params as { documentId: string };
    const document = state.documents.get(documentId);
    if (!document || document.sellerId !== sellerId) return sendErrors(reply, 404, 'NotFound', `Report document ${documentId} not found`);
    const expires = Math.floor(state.clock.now() / 1000) + DOCUMENT_URL_TTL_S;
    const url = new URL(`${DOCUMENT_PATH}${encodeURIComponent(documentId)}`, `${origin(req, options.baseUrl)}/`);
    url.searchParams.set('X-Amz-Expires', String(expires));
    url.searchParams.set('X-Amz-Signature', state.sign(`${documentId}|${expires}`));
    return reply.send({ reportDocumentId: documentId, url: url.toString(), compressionAlgorithm: 'GZIP' });
  });

  // Stands in for S3: no access token, only the URL's signature and expiry count.
  app.get(`${DOCUMENT_PATH}:documentId`, async (req, reply) => {
    const { documentId } = req.params as { documentId: string };
    const q = req.query as Record<string, string | undefined>;
    const expires = Number(q['X-Amz-Expires']);
    const document = state.documents.get(documentId);
    if (!document || q['X-Amz-Signature'] !== state.sign(`${documentId}|${q['X-Amz-Expires']}`)) return s3Error(reply, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    if (!(expires * 1000 > state.clock.now())) return s3Error(reply, 'AccessDenied', 'Request has expired');
    const seller = state.sellers.get(document.sellerId);
    if (!seller) return s3Error(reply, 'NoSuchKey', 'The specified key does not exist.');
    const source = { folder: seller.folder, reportType: document.reportType, extraRows: extraRows(state, document.sellerId, document.reportType), ...(document.start !== undefined ? { start: document.start } : {}), ...(document.end !== undefined ? { end: document.end } : {}) };
    // No Content-Encoding header, as on S3: the body *is* a .gz file and the client gunzips it
    // because getReportDocument said compressionAlgorithm=GZIP (fetch would otherwise inflate it).
    return reply.header('content-type', 'application/octet-stream').send(gzippedDocument(source));
  });
}

function extraRows(state: SimulatorState, sellerId: string, reportType: string): readonly Record<string, string>[] {
  return reportType === 'GET_FBA_REIMBURSEMENTS_DATA' ? (state.addedReimbursements.get(sellerId) ?? []) : [];
}

function s3Error(reply: FastifyReply, code: string, message: string): FastifyReply {
  return reply.code(403).header('content-type', 'application/xml').send(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
