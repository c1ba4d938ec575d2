// A report with a line longer than the bound parks the sync with a clear error (retrying would
// download the same bytes), instead of building the line in memory.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreadableReportError } from '../../src/amazon/report-lines.js';
import { createSpApiClient } from '../../src/amazon/sp-api.js';
import { NonRetryableError } from '../../src/domain/errors.js';
import { type Database } from '../../src/store/db.js';
import { openPglite } from '../support/infra.js';
import { syncSeller } from '../../src/sync/sync-seller.js';
import { connect, lwaFor, SELLER, simulator, testClock } from '../simulator/server/harness.js';

let folder: string;
let database: Database;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'clario-long-line-'));
  // The first source a sync fetches: its header, one sane row, then a 2 MiB "row" with no tab.
  await writeFile(join(folder, 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA.tsv'), `sku\tfnsku\tasin\nA\tX0\tB0\n${'a'.repeat(2 * 1024 * 1024)}\nB\tX1\tB1\n`);
  database = await openPglite();
});
afterAll(async () => {
  await database?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('a report line over the bound', () => {
  it('parks the sync with report_unreadable and the line number', async () => {
    const clock = testClock();
    const sim = await simulator({ clock, reportPolls: 0, sellers: new Map([[SELLER, { folder }]]) });
    try {
      const lwa = lwaFor(sim, { clock });
      const client = createSpApiClient({ baseUrl: sim.url, sellerId: SELLER, accessToken: lwa.tokenSource(await connect(sim, lwa)), clock });
      const err = await syncSeller('seller-long', 'sync-long', {
        db: database.db,
        client,
        marketplaceIds: ['ATVPDKIKX0DER'],
        now: new Date(),
        signal: new AbortController().signal,
        progress: () => Promise.resolve(),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnreadableReportError);
      // NonRetryableError: the workflow parks the phase at once, with this code and message.
      expect(err).toBeInstanceOf(NonRetryableError);
      expect(err).toMatchObject({ code: 'report_unreadable', message: `the report's line 3 is longer than 1048576 characters (${2 * 1024 * 1024}); it cannot be a report row` });
    } finally {
      await sim.close();
    }
  });
});
