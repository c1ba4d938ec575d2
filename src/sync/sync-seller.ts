// One sync run of one seller: each source in turn, resumable (a source done in this run is not
// fetched again after a crash), progress reported as it goes. Runs inside phase 1's attempt, so
// the workflow's lease, retries and recovery cover it.
import { sql } from 'drizzle-orm';
import type { PollOptions } from '../amazon/reports.js';
import type { SpApiClient } from '../amazon/sp-api.js';
import { type Db, rows } from '../store/db.js';
import { buyerColumnCut, type BuyerColumnCut } from './drop-buyer-columns.js';
import { financeLines } from './finance-lines.js';
import { SYNC_SOURCES, windows, type SyncSource } from './sources.js';
import { lineWriter } from './store-lines.js';

export interface SyncContext {
  readonly db: Db;
  readonly client: SpApiClient;
  readonly marketplaceIds: readonly string[];
  readonly now: Date;
  readonly signal: AbortSignal;
  readonly progress: (p: Record<string, unknown>) => Promise<void>;
  /** How far back a first sync reaches (18 months), and how much later syncs overlap. */
  readonly firstSyncDays?: number;
  readonly overlapDays?: number;
  /** How often to poll a report in progress (Amazon's take minutes; the simulator's, moments). */
  readonly reportPoll?: PollOptions;
}

const DAY = 86_400_000;

/** One line of a source, with the document it came from; `key` as in lineWriter's add. */
export interface SourceLine {
  readonly line: string;
  readonly documentId: string;
  readonly header?: boolean;
  readonly key?: string;
}

/** Done in this sync: the source's file, or its fallback's when this sync used that. */
async function isDone(db: Db, syncId: string, source: SyncSource): Promise<boolean> {
  const files = [source.file, ...(source.fallback ? [source.fallback] : [])];
  const found = await rows<{ status: string }>(db,
    sql`SELECT status FROM sync_sources WHERE sync_id = ${syncId} AND source IN (${sql.join(files.map((f) => sql`${f}`), sql`, `)}) AND status = 'done'`);
  return found.length > 0;
}

/** Where the fetch of `file` starts: after its last completed sync, with overlap. */
async function startOf(db: Db, userId: string, source: SyncSource, file: string, ctx: SyncContext): Promise<Date> {
  const first = new Date(ctx.now.getTime() - (source.lookbackDays ?? ctx.firstSyncDays ?? 548) * DAY);
  if (source.snapshot) return first;
  const [row] = await rows<{ last: Date | string | null }>(db,
    sql`SELECT max(updated_at) AS last FROM sync_sources WHERE user_id = ${userId} AND source = ${file} AND status = 'done'`,
  );
  if (!row?.last) return first;
  return new Date(Math.max(first.getTime(), new Date(row.last).getTime() - (ctx.overlapDays ?? 3) * DAY));
}

async function* sourceLines(source: SyncSource, ctx: SyncContext, start: Date): AsyncGenerator<SourceLine> {
  const end = ctx.now;
  if (source.kind === 'report' && source.reportType) {
    for (const w of source.snapshot ? [{ start, end }] : windows(start, end, source.maxDays)) {
      let documentId = 'unknown';
      let first = true;
      const lines = ctx.client.reports.reportLines(
        {
          reportType: source.reportType,
          marketplaceIds: [...ctx.marketplaceIds],
          ...(source.snapshot ? {} : { dataStartTime: w.start.toISOString(), dataEndTime: w.end.toISOString() }),
        },
        { ...ctx.reportPoll, onReport: (r) => (documentId = r.reportDocumentId ?? r.reportId) },
      );
      for await (const line of lines) {
        if (ctx.signal.aborted) throw new Error('sync stopped: the worker lost its lease');
        yield { line, documentId, header: first };
        first = false;
      }
    }
  } else {
    for (const marketplaceId of ctx.marketplaceIds) {
      const query = { marketplaceId, lastUpdatedAfter: start, lastUpdatedBefore: end };
      for await (const shipments of ctx.client.inbound.getShipments(query)) {
        for (const s of shipments) yield { line: `shipments\t${JSON.stringify(s)}`, documentId: `inbound-${marketplaceId}` };
      }
      for await (const items of ctx.client.inbound.getShipmentItems(query)) {
        for (const i of items) yield { line: `items\t${JSON.stringify(i)}`, documentId: `inbound-${marketplaceId}` };
      }
    }
  }
}

export interface SyncSummary {
  readonly sources: number;
  readonly rows: number;
  readonly newRows: number;
}

export async function syncSeller(userId: string, syncId: string, ctx: SyncContext): Promise<SyncSummary> {
  const { db } = ctx;
  let rowCount = 0;
  let newRows = 0;
  let done = 0;
  for (const source of SYNC_SOURCES) {
    if (await isDone(db, syncId, source)) {
      done++;
      continue;
    }
    const startOfFile = (file: string) => startOf(db, userId, source, file, ctx);
    const { file, lines } = source.kind === 'finances'
      ? await financeLines(source, ctx, startOfFile)
      : { file: source.file, lines: sourceLines(source, ctx, await startOfFile(source.file)) };
    await rows(db,
      sql`INSERT INTO sync_sources (sync_id, source, user_id, status) VALUES (${syncId}, ${file}, ${userId}, 'pending')
          ON CONFLICT (sync_id, source) DO NOTHING`,
    );
    let header: string | undefined;
    let cut: BuyerColumnCut | undefined;
    let lineNo = 0;
    let writer: ReturnType<typeof lineWriter> | undefined;
    let documentId = '';
    const totals = { rows: 0, newRows: 0 };
    try {
      for await (const l of lines) {
        // One writer for the source, whatever the number of documents: a Finances page is a
        // document of a hundred lines, and a batch per page made a round trip (and commit) per page.
        writer ??= lineWriter(db, { userId, source: file, syncId, documentId: l.documentId, perSync: source.snapshot === true });
        if (l.documentId !== documentId) {
          documentId = l.documentId;
          lineNo = 0;
        }
        lineNo++;
        if (l.header) {
          // Each report document has its header: buyer columns are cut from it and its lines alike.
          cut = buyerColumnCut(l.line);
          header = cut?.header ?? l.line;
          continue;
        }
        const line = cut ? cut.line(l.line) : l.line;
        if (line !== undefined) await writer.add(line, lineNo, l.key, documentId);
      }
    } catch (err) {
      // The lines read before the failure are stored (the resumed sync meets them, nothing is
      // stored twice), and no batch is still writing once this sync has answered. Storing them
      // fails only as a consequence (the database gone, say): the first error is the one reported.
      await writer?.finish().catch(() => undefined);
      throw err;
    }
    if (writer) {
      const t = await writer.finish();
      totals.rows += t.rows;
      totals.newRows += t.newRows;
    }
    await rows(db,
      sql`UPDATE sync_sources SET status = 'done', header = ${header ?? null}::text, document_id = ${documentId || null}::text,
          rows = ${totals.rows}::integer, new_rows = ${totals.newRows}::integer, updated_at = now()
          WHERE sync_id = ${syncId} AND source = ${file}`,
    );
    rowCount += totals.rows;
    newRows += totals.newRows;
    done++;
    await ctx.progress({ source: file, sources_done: done, sources_total: SYNC_SOURCES.length, rows: totals.rows, new_rows: totals.newRows });
  }
  return { sources: SYNC_SOURCES.length, rows: rowCount, newRows };
}
