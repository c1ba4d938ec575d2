// The text a proof packet (and a case kit) shows for each line a claim cites: read by seq when the
// claim recorded it, by document and line for claims detected before, and only ever the seller's own
// line as the cited document holds it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceLines } from '../../src/proof/gather-proof.js';
import { type Database, rows } from '../../src/store/db.js';
import { openPglite } from '../support/infra.js';
import { storeLine } from '../support/report-lines.js';

const LEDGER = 'GET_LEDGER_DETAIL_VIEW_DATA.tsv';
const FINANCES = 'transactions.json';

describe('sourceLines', () => {
  let database: Database;
  const seq: Record<string, number> = {};
  beforeAll(async () => {
    database = await openPglite();
    const put = async (name: string, userId: string, source: string, documentId: string, lineNo: number, line: string, key?: string) => {
      seq[name] = await storeLine(database.db, { userId, source, syncId: 'sync_1', documentId, lineNo, line, ...(key ? { key } : {}) });
    };
    await put('a1', 'seller_a', LEDGER, 'doc-1', 7, 'ledger seven');
    await put('a2', 'seller_a', LEDGER, 'doc-1', 9, 'ledger nine');
    await put('fin', 'seller_a', FINANCES, 'doc-f', 3, 'refund three', 'refund-key');
    await put('b1', 'seller_b', LEDGER, 'doc-1', 7, 'another seller');
  });
  afterAll(() => database?.close());

  const claim = (sources: unknown[]) => ({ userId: 'seller_a', details: { sources } });

  it('reads lines cited with their seq, across sources, and a claim\'s older citations by document and line', async () => {
    const lines = await sourceLines(database.db, claim([
      { file: LEDGER, document_id: 'doc-1', line: 7, sync_id: 'sync_1', seq: seq.a1 },
      { file: FINANCES, document_id: 'doc-f', line: 3, sync_id: 'sync_1', seq: seq.fin },
      { file: LEDGER, document_id: 'doc-1', line: 9, sync_id: 'sync_1' },
      { file: 'costs.csv', line: 2 },
    ]));
    expect(lines.map((l) => [l.file, l.documentId, l.line, l.text])).toEqual([
      [LEDGER, 'doc-1', 7, 'ledger seven'],
      [FINANCES, 'doc-f', 3, 'refund three'],
      [LEDGER, 'doc-1', 9, 'ledger nine'],
      ['costs.csv', null, 2, null],
    ]);
  });

  it('never shows another seller\'s line, whatever seq a claim names', async () => {
    const lines = await sourceLines(database.db, claim([{ file: LEDGER, document_id: 'doc-1', line: 7, sync_id: 'sync_1', seq: seq.b1 }]));
    expect(lines.map((l) => l.text)).toEqual([null]);
  });

  it('does not show a line under a document that no longer holds it (a later report restated it)', async () => {
    const cited = { file: FINANCES, document_id: 'doc-f', line: 3, sync_id: 'sync_1', seq: seq.fin };
    expect((await sourceLines(database.db, claim([cited])))[0]?.text).toBe('refund three');
    await rows(database.db, sql`UPDATE report_lines SET document_id = 'doc-g', line_no = 1, line = 'refund restated' WHERE seq = ${seq.fin}`);
    expect((await sourceLines(database.db, claim([cited])))[0]?.text).toBeNull();
    expect((await sourceLines(database.db, claim([{ ...cited, document_id: 'doc-g', line: 1 }])))[0]?.text).toBe('refund restated');
  });

  it('ignores a seq that is not a positive whole number and reads by document and line instead', async () => {
    const lines = await sourceLines(database.db, claim([{ file: LEDGER, document_id: 'doc-1', line: 9, sync_id: 'sync_1', seq: 'x' }, { file: LEDGER, document_id: 'doc-1', line: 7, seq: -4 }]));
    expect(lines.map((l) => l.text)).toEqual(['ledger nine', 'ledger seven']);
  });
});

// A report fetched in windows is several documents with one header; sync_sources keeps each (sync,
// source)'s header beside its last document only. A line of an earlier window was shown, in case
// kits and proof packets, as one cell without its columns.
describe('sourceLines: the header of a line from an earlier window of a report', () => {
  let database: Database;
  const SHIPMENTS = 'GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL.tsv';
  beforeAll(async () => {
    database = await openPglite();
    const put = (userId: string, syncId: string, documentId: string, lineNo: number, line: string) =>
      storeLine(database.db, { userId, source: SHIPMENTS, syncId, documentId, lineNo, line });
    await put('seller_a', 'sync_1', 'win-1', 2, '111-1\tSKU-A\t2');
    await put('seller_a', 'sync_1', 'win-1', 3, '111-2\tSKU-B');
    await put('seller_a', 'sync_2', 'win-9', 2, '111-9\tSKU-C\t1');
    const source = (userId: string, syncId: string, documentId: string, header: string, at: string) =>
      rows(database.db, sql`INSERT INTO sync_sources (sync_id, source, user_id, status, header, document_id, updated_at)
        VALUES (${syncId}, ${SHIPMENTS}, ${userId}, 'done', ${header}, ${documentId}, ${at}::timestamptz)`);
    // The sync's last window is win-6; win-1 came before it, so no row names win-1.
    await source('seller_a', 'sync_1', 'win-6', 'order-id\tsku\tquantity', '2026-11-01T00:00:00Z');
    await source('seller_a', 'sync_3', 'win-12', 'order-id\tmerchant-sku\tquantity-shipped', '2026-12-01T00:00:00Z');
    await source('seller_b', 'sync_9', 'win-1', 'NOT\tTHIS\tSELLER', '2026-12-02T00:00:00Z');
  });
  afterAll(() => database?.close());

  const cite = (sync_id: string | undefined, document_id: string, line: number) => ({
    userId: 'seller_a',
    details: { sources: [{ file: SHIPMENTS, document_id, line, ...(sync_id ? { sync_id } : {}) }] },
  });

  it("takes the header its own sync read for that report, never another seller's", async () => {
    const [l] = await sourceLines(database.db, cite('sync_1', 'win-1', 2));
    expect(l).toMatchObject({ text: '111-1\tSKU-A\t2', header: 'order-id\tsku\tquantity' });
  });

  it("takes the seller's newest header for the report when its sync kept none", async () => {
    const [l] = await sourceLines(database.db, cite('sync_2', 'win-9', 2));
    expect(l).toMatchObject({ text: '111-9\tSKU-C\t1', header: 'order-id\tmerchant-sku\tquantity-shipped' });
    const [unnamed] = await sourceLines(database.db, cite(undefined, 'win-9', 2));
    expect(unnamed?.header).toBe('order-id\tmerchant-sku\tquantity-shipped');
  });

  it('shows a line without a header rather than under names that do not fit it', async () => {
    const [l] = await sourceLines(database.db, cite('sync_1', 'win-1', 3));
    expect(l).toMatchObject({ text: '111-2\tSKU-B', header: null });
  });
});
