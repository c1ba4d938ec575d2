// A claim's cited lines name Amazon's document and line number: every claim of a detection run is
// resolved together, within the seller's own stored lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/db.js';
import { resolveLineage, type Lineage } from '../../src/sync/materialize.js';
import { openPglite } from '../support/infra.js';
import { storeLine } from '../support/report-lines.js';

const LEDGER = 'GET_LEDGER_DETAIL_VIEW_DATA.tsv';

describe('resolveLineage', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openPglite();
  });
  afterAll(() => database?.close());

  /** Stores a line and returns its seq. */
  async function line(userId: string, document: string, lineNo: number, text: string): Promise<number> {
    return storeLine(database.db, { userId, source: LEDGER, syncId: 'sync_1', documentId: document, lineNo, line: text });
  }

  it('cites each claim\'s stored lines by document and line, keeps a line that was not stored, and never reads another seller\'s line', async () => {
    const a1 = await line('seller_a', 'doc-7', 41, 'a first');
    const a2 = await line('seller_a', 'doc-8', 2, 'a second');
    const other = await line('seller_b', 'doc-9', 5, 'b only');
    // The folder as written (1-based, so index 0 is unused): line 1 is the header (seq 0), then the
    // seller's lines. A wrong lineage pointing at another seller's line must not borrow its document.
    const lineage: Lineage = new Map([[LEDGER, [0, 0, a1, a2, other]]]);
    const cited = await resolveLineage(database.db, 'seller_a', lineage, [
      [{ file: LEDGER, line: 2 }, { file: LEDGER, line: 1 }],
      [{ file: LEDGER, line: 3 }, { file: 'costs.csv', line: 4 }],
      [{ file: LEDGER, line: 4 }],
      [],
    ]);
    expect(cited).toEqual([
      [{ file: LEDGER, document_id: 'doc-7', line: 41, sync_id: 'sync_1', seq: a1 }, { file: LEDGER, line: 1 }],
      [{ file: LEDGER, document_id: 'doc-8', line: 2, sync_id: 'sync_1', seq: a2 }, { file: 'costs.csv', line: 4 }],
      [{ file: LEDGER, line: 4 }],
      [],
    ]);
  });

  it('answers without a statement when no claim cites a stored line', async () => {
    expect(await resolveLineage(database.db, 'seller_a', new Map(), [[{ file: 'costs.csv', line: 2 }]])).toEqual([[{ file: 'costs.csv', line: 2 }]]);
    expect(await resolveLineage(database.db, 'seller_a', new Map(), [])).toEqual([]);
  });
});
