/**
 * Reports API 2021-06-30: createReport → poll getReport → getReportDocument → download the
 * presigned URL (gunzip when compressionAlgorithm is GZIP), exposed as a stream of lines.
 * The steps are public too, so a sync can store the reportId and resume polling after a crash.
 */
import { NonRetryableError, type PhaseErrorCode } from '../domain/errors.js';
import { charsetOf, streamLines } from './report-lines.js';
import type { SpApiTransport } from './transport.js';

const BASE = '/reports/2021-06-30';

export type ProcessingStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';

export interface CreateReportSpecification {
  readonly reportType: string;
  /** 1 to 25 marketplace ids. */
  readonly marketplaceIds: readonly string[];
  /** ISO 8601 date-times. */
  readonly dataStartTime?: string;
  readonly dataEndTime?: string;
  readonly reportOptions?: Readonly<Record<string, string>>;
}

export interface Report {
  readonly reportId: string;
  readonly reportType: string;
  readonly processingStatus: ProcessingStatus;
  readonly createdTime: string;
  readonly marketplaceIds?: readonly string[];
  readonly dataStartTime?: string;
  readonly dataEndTime?: string;
  readonly reportScheduleId?: string;
  readonly processingStartTime?: string;
  readonly processingEndTime?: string;
  /** Present once DONE (and, for FATAL, sometimes an error document). */
  readonly reportDocumentId?: string;
}

export interface ReportDocument {
  readonly reportDocumentId: string;
  /** Presigned; expires 5 minutes after getReportDocument answered. */
  readonly url: string;
  readonly compressionAlgorithm?: 'GZIP';
}

export interface PollOptions {
  /** First wait between polls (default 5 s), growing ×1.5 up to `maxIntervalMs` (default 60 s). */
  readonly initialIntervalMs?: number;
  readonly maxIntervalMs?: number;
  /** Give up after this long (default 2 h): a retryable error, the report can be polled again. */
  readonly timeoutMs?: number;
}

export interface ReportLinesOptions extends PollOptions {
  /** Told about each status seen, for progress ("requested", "in progress", "downloading"). */
  readonly onReport?: (report: Report) => void;
}

/** Amazon could not produce the report (FATAL). Retryable: a new request often succeeds. */
export class ReportFailedError extends Error {
  override readonly name = 'ReportFailedError';
  readonly code = 'amazon_report_fatal' satisfies PhaseErrorCode;
  constructor(readonly report: Report) {
    super(`Amazon could not produce report ${report.reportId} (${report.reportType}): FATAL`);
  }
}

/** Polling outlasted its timeout. Retryable: Amazon may just be slow today. */
export class ReportTimeoutError extends Error {
  override readonly name = 'ReportTimeoutError';
  readonly code = 'amazon_report_timeout' satisfies PhaseErrorCode;
  constructor(readonly reportId: string) {
    super(`report ${reportId} was still not done when polling gave up`);
  }
}

export class ReportsApi {
  constructor(private readonly transport: SpApiTransport) {}

  async createReport(spec: CreateReportSpecification): Promise<string> {
    if (spec.marketplaceIds.length < 1 || spec.marketplaceIds.length > 25) {
      throw new NonRetryableError('createReport needs 1 to 25 marketplaceIds', 'invalid_report_request');
    }
    const res = await this.transport.call<{ reportId: string }>({
      operation: 'createReport',
      method: 'POST',
      path: `${BASE}/reports`,
      body: spec,
    });
    return res.reportId;
  }

  getReport(reportId: string): Promise<Report> {
    return this.transport.call<Report>({ operation: 'getReport', method: 'GET', path: `${BASE}/reports/${encodeURIComponent(reportId)}` });
  }

  /** Polls until DONE, CANCELLED or FATAL (returned, not thrown: the caller decides). */
  async waitForReport(reportId: string, options: ReportLinesOptions = {}): Promise<Report> {
    const clock = this.transport.clock;
    const deadline = clock.now() + (options.timeoutMs ?? 2 * 3600_000);
    let interval = options.initialIntervalMs ?? 5_000;
    for (;;) {
      const report = await this.getReport(reportId);
      options.onReport?.(report);
      if (report.processingStatus === 'DONE' || report.processingStatus === 'CANCELLED' || report.processingStatus === 'FATAL') return report;
      if (clock.now() + interval > deadline) throw new ReportTimeoutError(reportId);
      await this.transport.pause(interval);
      interval = Math.min(options.maxIntervalMs ?? 60_000, Math.ceil(interval * 1.5));
    }
  }

  getReportDocument(reportDocumentId: string): Promise<ReportDocument> {
    return this.transport.call<ReportDocument>({
      operation: 'getReportDocument',
      method: 'GET',
      path: `${BASE}/documents/${encodeURIComponent(reportDocumentId)}`,
    });
  }

  /** The document's lines (header first), streamed; fetches a fresh URL if the old one expired. */
  async *documentLines(reportDocumentId: string): AsyncGenerator<string> {
    let document = await this.getReportDocument(reportDocumentId);
    let res: Response;
    try {
      res = await this.transport.download(document.url);
    } catch (err) {
      if (!(err instanceof NonRetryableError) || err.code !== 'ExpiredUrl') throw err;
      document = await this.getReportDocument(reportDocumentId);
      res = await this.transport.download(document.url);
    }
    if (!res.body) return;
    const charset = charsetOf(res.headers.get('content-type'));
    yield* streamLines(res.body, { gzip: document.compressionAlgorithm === 'GZIP', ...(charset ? { charset } : {}) });
  }

  /**
   * The whole flow for one report. CANCELLED means "no data" and yields nothing; FATAL throws
   * ReportFailedError.
   */
  async *reportLines(spec: CreateReportSpecification, options: ReportLinesOptions = {}): AsyncGenerator<string> {
    const reportId = await this.createReport(spec);
    const report = await this.waitForReport(reportId, options);
    if (report.processingStatus === 'CANCELLED') return;
    if (report.processingStatus === 'FATAL' || !report.reportDocumentId) throw new ReportFailedError(report);
    yield* this.documentLines(report.reportDocumentId);
  }
}
