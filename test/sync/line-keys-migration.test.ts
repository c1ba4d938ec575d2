// Migration 0017 narrows report_lines' key to a stream number per seller and source and a 16-byte
// hash: lines stored before it keep their place, each seller's source gets its own stream, and a
// sync after it meets the lines it stored before (nothing stored twice).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseBefore } from '../support/migrations-before.js';
import type { Db } from '../../src/store/db.js';
import { lineWriter } from '../../src/sync/store-lines.js';

const LEDGER = 'GET_LEDGER_DETAIL_VIEW_DATA.tsv';
const REIMB = 'GET_FBA_REIMBURSEMENTS_DATA.tsv';
/** The key a line was stored under before the migration: base64url of 24 bytes of its SHA-256. */
const oldHash = (scope: string, line: string) => createHash('sha256').update(scope).update('\n').update(line).digest('base64url').slice(0, 32);

describe('the report line keys migration', () => {
  it('keeps every stored line, gives each seller and source its own stream, and a later sync stores nothing twice', async () => {
    const { client, db, migrateRest } = await databaseBefore('report_streams');
    const stored = [
      ['u1', LEDGER, 'a'], ['u1', LEDGER, 'b'], ['u1', REIMB, 'a'], ['u2', LEDGER, 'a'],
    ] as const;
    for (const [i, [user, source, line]] of stored.entries()) {
      await client.query(`INSERT INTO report_lines (user_id, source, line_hash, line, sync_id, document_id, line_no) VALUES ($1, $2, $3, $4, 's1', 'doc', $5)`,
        [user, source, oldHash(source, line), line, i + 2]);
    }
    // A key Clario never wrote (a row put in by hand) does not stop the migration.
    await client.query(`INSERT INTO report_lines (user_id, source, line_hash, line, sync_id, document_id, line_no) VALUES ('u3', $1, 'by hand', 'x', 's1', 'doc', 2)`, [LEDGER]);

    await migrateRest();

    const { rows } = await client.query<{ user_id: string; source: string; line: string; stream_id: number; same: number }>(
      `SELECT l.user_id, l.source, l.line, l.stream_id, (SELECT count(*)::int FROM report_streams s WHERE s.id = l.stream_id AND s.user_id = l.user_id AND s.source = l.source) AS same
       FROM report_lines l ORDER BY l.seq`);
    expect(rows.map((r) => [r.user_id, r.source, r.line, r.same])).toEqual([...stored.map(([u, s, l]) => [u, s, l, 1]), ['u3', LEDGER, 'x', 1]]);
    expect(new Set(rows.map((r) => `${r.user_id} ${r.source}`)).size).toBe(new Set(rows.map((r) => r.stream_id)).size);

    // Each seller's source synced again: its old lines are met, a new one is stored.
    for (const [user, source, lines, fresh] of [['u1', LEDGER, ['a', 'b', 'c'], 1], ['u1', REIMB, ['a'], 0], ['u2', LEDGER, ['a', 'b'], 1]] as const) {
      const writer = lineWriter(db as unknown as Db, { userId: user, source, syncId: 's2', documentId: 'doc2' });
      for (const [i, line] of lines.entries()) await writer.add(line, i + 2);
      expect(await writer.finish()).toEqual({ rows: lines.length, newRows: fresh });
    }
    const { rows: count } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM report_lines`);
    expect(count[0]?.n).toBe(7);
  });
});
