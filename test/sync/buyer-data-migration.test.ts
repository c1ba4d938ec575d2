// Buyer data stored before the sync cut it out is purged when the migration runs: the stored
// shipments lines and their headers lose the buyer columns, and detection's columns stay.
import { describe, expect, it } from 'vitest';
import { databaseBefore } from '../support/migrations-before.js';
import type { Db } from '../../src/store/db.js';
import { buyerColumnCut } from '../../src/sync/drop-buyer-columns.js';
import { lineWriter } from '../../src/sync/store-lines.js';

const SHIPMENTS = 'GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL.tsv';
const HEADER = ['amazon-order-id', 'shipment-date', 'buyer-email', 'buyer-name', 'sku', 'quantity-shipped', 'currency', 'item-price', 'recipient-name',
  'ship-address-1', 'ship-city', 'ship-postal-code', 'ship-country', 'ship-phone-number', 'bill-city', 'ship-service-level', 'carrier'].join('\t');
/** A shipments line for an order, with the buyer's details. */
const order = (id: string, buyer: string) =>
  [id, '2026-10-01T10:00:00+00:00', `${buyer}@example.com`, `${buyer} Doe`, 'SKU-1', '1', 'USD', '19.99', `${buyer} Doe`, '1 Main St', 'Springfield',
    '12345', 'US', '555-0100', 'Springfield', 'Standard', 'UPS'].join('\t');
const CUT = 'amazon-order-id\tshipment-date\tsku\tquantity-shipped\tcurrency\titem-price\tship-service-level\tcarrier';

describe('the buyer data migration', () => {
  it('cuts the buyer columns from stored lines and headers, and later syncs still store each line once', async () => {
    const { client, db, migrateRest } = await databaseBefore('buyer_cut');
    const insert = (sync: string, source: string, hash: string, line: string, lineNo: number) =>
      client.query(`INSERT INTO report_lines (user_id, source, line_hash, line, sync_id, document_id, line_no) VALUES ('u1', $1, $2, $3, $4, 'doc', $5)`, [source, hash, line, sync, lineNo]);
    await client.query(`INSERT INTO sync_sources (sync_id, source, user_id, status, header, updated_at) VALUES
      ('s1', $1, 'u1', 'done', $2, '2026-10-02'), ('s2', $1, 'u1', 'pending', NULL, '2026-10-03'),
      ('s1', 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', 'u1', 'done', 'Date\tFNSKU\tQuantity', '2026-10-02')`, [SHIPMENTS, HEADER]);
    await insert('s1', SHIPMENTS, 'h1', order('111-1', 'alice'), 2);
    // The same order item, the buyer's details since changed: after the cut it is the same line.
    await insert('s1', SHIPMENTS, 'h2', order('111-1', 'alicia'), 3);
    await insert('s1', SHIPMENTS, 'h3', `${order('111-3', 'carol')}\tstray`, 4);
    // A sync that crashed before it wrote its header: read against the latest one.
    await insert('s2', SHIPMENTS, 'h4', order('111-4', 'dave'), 2);
    await insert('s1', 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', 'h5', '10/01/2026\tX00\t-1', 2);

    await migrateRest();

    const { rows: lines } = await client.query<{ source: string; line: string; line_hash: string; sync_id: string; line_no: number }>(
      `SELECT source, line, line_hash, sync_id, line_no FROM report_lines ORDER BY seq`,
    );
    const { rows: headers } = await client.query<{ source: string; header: string | null }>(`SELECT source, header FROM sync_sources ORDER BY source, sync_id`);
    const everything = JSON.stringify([lines, headers]);
    for (const pii of ['alice', 'alicia', 'carol', 'dave', 'Doe', 'Main St', 'Springfield', '12345', '555-0100']) expect(everything).not.toContain(pii);
    const cut = buyerColumnCut(HEADER);
    expect(cut?.header).toBe(CUT);
    expect(headers).toEqual([
      { source: SHIPMENTS, header: CUT },
      { source: SHIPMENTS, header: null },
      { source: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', header: 'Date\tFNSKU\tQuantity' },
    ].sort((a, b) => a.source.localeCompare(b.source)));
    // The oldest copy of the order survives, the unreadable line is gone, the ledger is untouched.
    expect(lines.map((l) => [l.source, l.sync_id, l.line_no, l.line])).toEqual([
      [SHIPMENTS, 's1', 2, cut?.line(order('111-1', 'alice'))],
      [SHIPMENTS, 's2', 2, cut?.line(order('111-4', 'dave'))],
      ['GET_LEDGER_DETAIL_VIEW_DATA.tsv', 's1', 2, '10/01/2026\tX00\t-1'],
    ]);
    expect(lines[0]?.line).toBe('111-1\t2026-10-01T10:00:00+00:00\tSKU-1\t1\tUSD\t19.99\tStandard\tUPS');

    // A sync after the migration brings the same order, cut as the sync now cuts it: nothing new.
    const writer = lineWriter(db as unknown as Db, { userId: 'u1', source: SHIPMENTS, syncId: 's3', documentId: 'doc3' });
    await writer.add(cut?.line(order('111-1', 'alice')) ?? '', 2);
    await writer.add(cut?.line(order('111-4', 'dave')) ?? '', 3);
    expect(await writer.finish()).toEqual({ rows: 2, newRows: 0 });
  });
});
