// What lineWriter stores, on both engines: each line once per seller and source (the last version
// of a keyed line, in place; a key names a line within its first field, a Finances list), repeats kept only when asked, every character as it came (the
// batches go in by COPY, whose text format gives tabs, newlines and backslashes a meaning).
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows, type Database, type Db } from '../../src/store/db.js';
import { lineWriter, type LineBatch } from '../../src/sync/store-lines.js';
import { createTestDatabase, openPglite, postgres, type TestDatabase } from '../support/infra.js';

const SOURCE = 'GET_LEDGER_DETAIL_VIEW_DATA.tsv';
/** Lines COPY's text format would misread if they went in unescaped. */
const HOSTILE = [
  'a\tb\tc',
  'line one\nline two',
  'crlf\r\n',
  '\\',
  '\\.',
  '\\N',
  'C:\\path\\to\\file\\n',
  '"quoted, with commas"',
  "it's",
  '',
  ' ',
  'ünïcødé ✓ 日本語 עברית 🧾👩‍👩‍👧',
  'e\u0301 combining',
  '\u2028\u2029\u00a0',
  '\\t\t\\\t',
  'x'.repeat(70_000),
];

interface Stored {
  line: string;
  line_no: number;
  sync_id: string;
  document_id: string;
}

async function stored(db: Db, userId: string, source = SOURCE): Promise<Stored[]> {
  return rows<Stored>(db, sql`SELECT line, line_no, sync_id, document_id FROM report_lines WHERE user_id = ${userId} AND source = ${source} ORDER BY seq`);
}

type Line = readonly [line: string, lineNo: number, key?: string];

async function write(db: Db, batch: LineBatch, lines: readonly Line[], limits?: { lines: number; chars: number }) {
  const writer = lineWriter(db, batch, limits);
  for (const [line, lineNo, key] of lines) await writer.add(line, lineNo, key);
  return writer.finish();
}

let next = 0;
const user = () => `user-${++next}`;
const SMALL = { lines: 3, chars: 1 << 30 };

const engines: Array<{ name: string; open: () => Promise<{ database: Database; close: () => Promise<void> }>; skip: boolean }> = [
  {
    name: 'PGlite',
    skip: false,
    async open() {
      const database = await openPglite();
      return { database, close: () => database.close() };
    },
  },
  {
    name: 'PostgreSQL',
    skip: !postgres.available,
    async open() {
      const test: TestDatabase = await createTestDatabase();
      const database = await openDatabase({ url: test.url, poolSize: 4 });
      return {
        database,
        async close() {
          await database.close();
          await test.drop();
        },
      };
    },
  },
];

describe.each(engines)('lineWriter on $name', ({ open, skip }) => {
  let database: Database;
  let close: () => Promise<void> = () => Promise.resolve();
  beforeAll(async () => {
    if (skip) return;
    ({ database, close } = await open());
  });
  afterAll(() => close());

  it.skipIf(skip)('stores a line once, the last version of a repeat in the place of the first, across batches', async () => {
    const u = user();
    const batch = { userId: u, source: SOURCE, syncId: 's1', documentId: 'd1' };
    const result = await write(database.db, batch, [['a', 1], ['b', 2], ['a', 3], ['c', 4], ['d', 5], ['a', 6]], SMALL);
    expect(result).toEqual({ rows: 6, newRows: 4 });
    expect((await stored(database.db, u)).map((r) => [r.line, r.line_no])).toEqual([['a', 3], ['b', 2], ['c', 4], ['d', 5]]);
    // A later sync bringing the same lines and one more stores only the new one.
    const again = await write(database.db, { ...batch, syncId: 's2', documentId: 'd2' }, [['d', 1], ['b', 2], ['e', 3], ['a', 4]]);
    expect(again).toEqual({ rows: 4, newRows: 1 });
    expect((await stored(database.db, u)).map((r) => [r.line, r.sync_id])).toEqual([['a', 's1'], ['b', 's1'], ['c', 's1'], ['d', 's1'], ['e', 's2']]);
  });

  it.skipIf(skip)('keeps repeats of a seller file and one copy per upload', async () => {
    const u = user();
    const source = 'removal-receipts.csv';
    const upload = (id: string) => ({ userId: u, source, syncId: id, documentId: id, perSync: true, keepRepeats: true });
    const lines: Line[] = [['o1,sku,t,1,2026-01-01', 2], ['o1,sku,t,1,2026-01-01', 3], ['o2,sku,t,1,2026-01-02', 4]];
    expect(await write(database.db, upload('up1'), lines, SMALL)).toEqual({ rows: 3, newRows: 3 });
    expect(await write(database.db, upload('up2'), lines)).toEqual({ rows: 3, newRows: 3 });
    const all = await stored(database.db, u, source);
    expect(all.map((r) => [r.sync_id, r.line_no])).toEqual([['up1', 2], ['up1', 3], ['up1', 4], ['up2', 2], ['up2', 3], ['up2', 4]]);
    // Without keepRepeats, the repeat in one upload is the same fact.
    const v = user();
    await write(database.db, { ...upload('up3'), userId: v, keepRepeats: false }, lines);
    expect((await stored(database.db, v, source)).map((r) => r.line_no)).toEqual([3, 4]);
  });

  it.skipIf(skip)('replaces a keyed line in place when a later version differs, and counts only that', async () => {
    const u = user();
    const source = 'transactions.json';
    const batch = (syncId: string) => ({ userId: u, source, syncId, documentId: `${syncId}-page-1` });
    // As the sync stores them: the list's name, a tab, the transaction.
    const t = (json: string) => `transactions\t${json}`;
    expect(await write(database.db, batch('s1'), [[t('{"t":1,"s":"DEFERRED"}'), 1, 't1'], [t('{"t":2}'), 2, 't2'], [t('{"t":3,"v":1}'), 3, 't3'], [t('{"t":3,"v":2}'), 4, 't3']], SMALL))
      .toEqual({ rows: 4, newRows: 4 }); // t3's second version comes in the next batch: it replaces the first
    expect(await write(database.db, batch('s2'), [[t('{"t":2}'), 1, 't2'], [t('{"t":1,"s":"RELEASED"}'), 2, 't1']])).toEqual({ rows: 2, newRows: 1 });
    expect((await stored(database.db, u, source)).map((r) => [r.line, r.sync_id, r.line_no])).toEqual([
      [t('{"t":1,"s":"RELEASED"}'), 's2', 2],
      [t('{"t":2}'), 's1', 2],
      [t('{"t":3,"v":2}'), 's1', 4],
    ]);
    // The key names a line within its first field (its list): the same key in another list is another line.
    expect(await write(database.db, batch('s3'), [['otherList\t{"t":1}', 1, 't1']])).toEqual({ rows: 1, newRows: 1 });
    expect(await stored(database.db, u, source)).toHaveLength(4);
  });

  it.skipIf(skip)('keeps each line\'s own document when one batch spans a source\'s pages', async () => {
    const u = user();
    const writer = lineWriter(database.db, { userId: u, source: 'transactions.json', syncId: 's1', documentId: 'page-1' });
    await writer.add('transactions\tt1', 1, 'k1');
    await writer.add('transactions\tt2', 2, 'k2');
    await writer.add('transactions\tt3', 1, 'k3', 'page-2');
    await writer.add('transactions\tt2 again', 2, 'k2', 'page-2\twith a tab');
    expect(await writer.finish()).toEqual({ rows: 4, newRows: 3 });
    expect((await stored(database.db, u, 'transactions.json')).map((r) => [r.line, r.document_id, r.line_no])).toEqual([
      ['transactions\tt1', 'page-1', 1],
      ['transactions\tt2 again', 'page-2\twith a tab', 2],
      ['transactions\tt3', 'page-2', 1],
    ]);
  });

  it.skipIf(skip)('stores hostile lines character for character', async () => {
    const u = user();
    const lines = HOSTILE.map((l, i): Line => [l, i + 1]);
    expect(await write(database.db, { userId: u, source: SOURCE, syncId: 's1', documentId: 'd1' }, lines, SMALL)).toEqual({ rows: HOSTILE.length, newRows: HOSTILE.length });
    expect((await stored(database.db, u)).map((r) => r.line)).toEqual(HOSTILE);
    // By the default batch size too, and read back as the same lines: nothing new.
    expect(await write(database.db, { userId: u, source: SOURCE, syncId: 's2', documentId: 'd2' }, lines)).toEqual({ rows: HOSTILE.length, newRows: 0 });
  });

  it.skipIf(skip)('writes inside the caller\'s transaction: kept when it commits, gone when it rolls back', async () => {
    const u = user();
    const batch = { userId: u, source: SOURCE, syncId: 's1', documentId: 'd1' };
    const committed = await database.db.transaction((tx) => write(tx, batch, [['a', 1], ['b', 2], ['c', 3], ['d', 4], ['a', 5]], { lines: 2, chars: 1 << 30 }));
    expect(committed).toEqual({ rows: 5, newRows: 4 });
    const rolledBack = new Error('rolled back');
    await expect(database.db.transaction(async (tx) => {
      expect(await write(tx, { ...batch, syncId: 's2' }, [['e', 1], ['f', 2], ['g', 3]], { lines: 2, chars: 1 << 30 })).toEqual({ rows: 3, newRows: 3 });
      throw rolledBack;
    })).rejects.toBe(rolledBack);
    expect((await stored(database.db, u)).map((r) => r.line)).toEqual(['a', 'b', 'c', 'd']);
  });

  it.skipIf(skip)('a batch that fails stores nothing of itself, and the next writer works', async () => {
    const u = user();
    const batch = { userId: u, source: SOURCE, syncId: 's1', documentId: 'd1' };
    await expect(write(database.db, batch, [['ok', 1], ['nul \u0000 inside', 2]])).rejects.toThrow(/NUL/);
    expect(await stored(database.db, u)).toEqual([]);
    expect(await write(database.db, batch, [['ok', 1]])).toEqual({ rows: 1, newRows: 1 });
  });

  it.skipIf(skip)('stores the set a model says, whatever the lines, keys and batch size', async () => {
    const line = fc.oneof(fc.constantFrom(...HOSTILE.slice(0, -1), 'a', 'b'), fc.string({ unit: 'grapheme', maxLength: 12 }));
    const entry = fc.tuple(line, fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: undefined }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(entry, { maxLength: 25 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 8 }), async (syncs, size) => {
        const u = user();
        // The model: identity (the key within the line's first field, else the line) → line; per
        // batch the last version wins, and a row counts when it is new or its line changed.
        const model = new Map<string, string>();
        for (const [i, entries] of syncs.entries()) {
          let expected = 0;
          for (let at = 0; at < entries.length; at += size) {
            const last = new Map(entries.slice(at, at + size).map(([l, k]) => [k === undefined ? `line:${l}` : `key:${l.split('\t')[0]}\u0000${k}`, l]));
            for (const [id, l] of last) {
              if (model.get(id) !== l) expected++;
              model.set(id, l);
            }
          }
          const lines = entries.map(([l, k], n): Line => [l, n + 1, k]);
          const result = await write(database.db, { userId: u, source: SOURCE, syncId: `s${i}`, documentId: `d${i}` }, lines, { lines: size, chars: 1 << 30 });
          expect(result).toEqual({ rows: entries.length, newRows: expected });
        }
        expect((await stored(database.db, u)).map((r) => r.line).sort()).toEqual([...model.values()].sort());
      }),
      { numRuns: 40 },
    );
  });
});
