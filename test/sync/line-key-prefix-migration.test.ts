// Migration 0018 puts 4 bytes of the hash of each line's first field in front of its key: every
// stored line keeps its row, the key it gets is the one the sync now computes for that line (so a
// later sync stores nothing twice, and a keyed line's new version still replaces its old one), and
// lines sharing a first field (a day) share the key's first bytes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseBefore } from '../support/migrations-before.js';
import type { Db } from '../../src/store/db.js';
import { lineWriter } from '../../src/sync/store-lines.js';

const LEDGER = 'GET_LEDGER_DETAIL_VIEW_DATA.tsv';
const TRANSACTIONS = 'transactions.json';
/** The key a line was stored under before the migration: the first 16 bytes of its SHA-256, as a uuid. */
const oldKey = (scope: string, identity: string) => {
  const hex = createHash('sha256').update(scope).update('\n').update(identity).digest('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

const LEDGER_LINES = [
  '10/01/2026\tX001\tB001\tSKU-1\t-1',
  '10/01/2026\tX002\tB002\tSKU-2\t-2',
  '10/02/2026\tX001\tB001\tSKU-1\t3',
  'no tab at all',
  '\tan empty first field',
  'ünïcødé 日本語 🧾\tsecond',
  'e\u0301\u2028 combining\t\\ and a backslash',
];
const txn = (id: string, status: string) => `transactions\t${JSON.stringify({ transactionId: id, transactionStatus: status, totalAmount: { currencyAmount: -12.5, currencyCode: 'USD' } })}`;

describe('the report line key prefix migration', () => {
  it('keys every stored line as the sync now does, and lines of one day side by side', async () => {
    const { client, db, migrateRest } = await databaseBefore('uuid_send');
    const insert = async (source: string, stream: number, key: string, line: string, lineNo: number) =>
      client.query(`INSERT INTO report_lines (user_id, source, stream_id, line_hash, line, sync_id, document_id, line_no) VALUES ('u1', $1, $2, $3, $4, 's1', 'doc', $5)`,
        [source, stream, key, line, lineNo]);
    await client.query(`INSERT INTO report_streams (id, user_id, source) VALUES (1, 'u1', $1), (2, 'u1', $2)`, [LEDGER, TRANSACTIONS]);
    for (const [i, line] of LEDGER_LINES.entries()) await insert(LEDGER, 1, oldKey(LEDGER, line), line, i + 2);
    // A keyed line (a Finances transaction): its key names the transaction, not the line.
    await insert(TRANSACTIONS, 2, oldKey(TRANSACTIONS, '\u0000key\u0000T-1'), txn('T-1', 'DEFERRED'), 1);

    await migrateRest();

    const keys = async (source: string) =>
      (await client.query<{ line: string; line_hash: string }>(`SELECT line, line_hash::text FROM report_lines WHERE source = $1 ORDER BY seq`, [source])).rows;
    const ledger = await keys(LEDGER);
    expect(ledger.map((r) => r.line)).toEqual(LEDGER_LINES);
    // Each key keeps the first 12 bytes of the line's own hash, behind its first field's 4.
    for (const r of ledger) expect(r.line_hash.replaceAll('-', '').slice(8)).toBe(oldKey(LEDGER, r.line).replaceAll('-', '').slice(0, 24));
    const prefix = (i: number) => ledger[i]?.line_hash.slice(0, 8);
    expect(prefix(0)).toBe(prefix(1));
    expect(prefix(0)).not.toBe(prefix(2));

    // The same lines synced again meet their rows; one new line is stored.
    const writer = lineWriter(db as unknown as Db, { userId: 'u1', source: LEDGER, syncId: 's2', documentId: 'doc2' });
    for (const [i, line] of [...LEDGER_LINES, '10/03/2026\tX003\tB003\tSKU-3\t1'].entries()) await writer.add(line, i + 2);
    expect(await writer.finish()).toEqual({ rows: LEDGER_LINES.length + 1, newRows: 1 });
    expect((await keys(LEDGER)).length).toBe(LEDGER_LINES.length + 1);

    // The transaction released: its new version replaces the stored one, in place.
    const finances = lineWriter(db as unknown as Db, { userId: 'u1', source: TRANSACTIONS, syncId: 's2', documentId: 'doc2' });
    await finances.add(txn('T-1', 'RELEASED'), 1, 'T-1');
    expect(await finances.finish()).toEqual({ rows: 1, newRows: 1 });
    expect((await keys(TRANSACTIONS)).map((r) => r.line)).toEqual([txn('T-1', 'RELEASED')]);
  });
});
