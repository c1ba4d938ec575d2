// One sync run of one seller: each source in turn, resumable (a source done in this run is not
// fetched again after a crash), progress reported as it goes. Runs inside phase 1's attempt, so
// the workflow's lease, retries and recovery cover it.
import { sql } from 'drizzle-orm';
import type { PollOptions } from '../amazon/reports.js';
import type { SpApiClient } from '../amazon/sp-api.js';
import { type Db, rows } from '../store/db.js';
import { buyerColumnCut, type BuyerColumnCut } from './drop-buyer-columns.js';
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

async function sourceState(db: Db, syncId: string, file: string) {
  const [row] = await rows<{ status: string }>(db, sql`SELECT status FROM sync_sources WHERE sync_id = ${syncId} AND source = ${file}`);
  return row?.status;
}

/** Where this source's fetch starts: after the last completed sync of it, with overlap. */
async function startOf(db: Db, userId: string, source: SyncSource, ctx: SyncContext): Promise<Date> {
  const first = new Date(ctx.now.getTime() - (source.lookbackDays ?? ctx.firstSyncDays ?? 548) * DAY);
  if (source.snapshot) return first;
  const [row] = await rows<{ last: Date | string | null }>(db,
    sql`SELECT max(updated_at) AS last FROM sync_sources WHERE user_id = ${userId} AND source = ${source.file} AND status = 'done'`,
  );
  if (!row?.last) return first;
  return new Date(Math.max(first.getTime(), new Date(row.last).getTime() - (ctx.overlapDays ?? 3) * DAY));
}

async function* sourceLines(source: SyncSource, ctx: SyncContext, start: Date): AsyncGenerator<{ line: string; documentId: string; header?: boolean }> {
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
  } else if (source.kind === 'finances') {
    let page = 0;
    for await (const p of ctx.client.finances.listFinancialEvents({ postedAfter: start, postedBefore: end })) {
      page++;
      for (const [list, events] of Object.entries(p.financialEvents)) {
        for (const e of events ?? []) yield { line: `${list}\t${JSON.stringify(e)}`, documentId: `finances-page-${page}` };
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
    if ((await sourceState(db, syncId, source.file)) === 'done') {
      done++;
      continue;
    }
    const start = await startOf(db, userId, source, ctx);
    await rows(db,
      sql`INSERT INTO sync_sources (sync_id, source, user_id, status) VALUES (${syncId}, ${source.file}, ${userId}, 'pending')
          ON CONFLICT (sync_id, source) DO NOTHING`,
    );
    let header: string | undefined;
    let cut: BuyerColumnCut | undefined;
    let lineNo = 0;
    let writer: ReturnType<typeof lineWriter> | undefined;
    let documentId = '';
    const totals = { rows: 0, newRows: 0 };
    for await (const l of sourceLines(source, ctx, start)) {
      if (l.documentId !== documentId || !writer) {
        if (writer) {
          const t = await writer.finish();
          totals.rows += t.rows;
          totals.newRows += t.newRows;
        }
        documentId = l.documentId;
        writer = lineWriter(db, { userId, source: source.file, syncId, documentId, perSync: source.snapshot === true });
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
      if (line !== undefined) await writer.add(line, lineNo);
    }
    if (writer) {
      const t = await writer.finish();
      totals.rows += t.rows;
      totals.newRows += t.newRows;
    }
    await rows(db,
      sql`UPDATE sync_sources SET status = 'done', header = ${header ?? null}::text, document_id = ${documentId || null}::text,
          rows = ${totals.rows}::integer, new_rows = ${totals.newRows}::integer, updated_at = now()
          WHERE sync_id = ${syncId} AND source = ${source.file}`,
    );
    rowCount += totals.rows;
    newRows += totals.newRows;
    done++;
    await ctx.progress({ source: source.file, sources_done: done, sources_total: SYNC_SOURCES.length, rows: totals.rows, new_rows: totals.newRows });
  }
  return { sources: SYNC_SOURCES.length, rows: rowCount, newRows };
}
