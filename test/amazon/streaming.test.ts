import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpApiClient } from '../../src/amazon/sp-api.js';
import { connect, lwaFor, SELLER, simulator, testClock } from '../simulator/server/harness.js';

const ROWS = 60_000;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'clario-sim-'));
  const lines = ['Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\tFulfillment Center\tDisposition\tReason\tCountry\tReconciled Quantity\tUnreconciled Quantity\tDate and Time'];
  for (let i = 0; i < ROWS; i++) lines.push(`10/${String((i % 28) + 1).padStart(2, '0')}/2026\tX${i}\tB0\tMSKU-${i}\tWidget ${i}\tShipments\t111-${i}\t-1\tPHX3\tSELLABLE\t\tUS\t0\t0\t`);
  // CRLF endings, as some Seller Central downloads have: the lines must come out without \r.
  await writeFile(join(folder, 'GET_LEDGER_DETAIL_VIEW_DATA.tsv'), `${lines.join('\r\n')}\r\n`);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('report streaming', () => {
  it('streams a large gzipped report across many chunks, and a consumer can stop early', async () => {
    const clock = testClock();
    const sim = await simulator({ clock, reportPolls: 0, sellers: new Map([[SELLER, { folder }]]) });
    const lwa = lwaFor(sim, { clock });
    const sp = createSpApiClient({ baseUrl: sim.url, sellerId: SELLER, accessToken: lwa.tokenSource(await connect(sim, lwa)), clock });
    const spec = { reportType: 'GET_LEDGER_DETAIL_VIEW_DATA', marketplaceIds: ['ATVPDKIKX0DER'] };

    let count = 0;
    let last = '';
    let withCr = 0;
    for await (const line of sp.reports.reportLines(spec)) {
      count++;
      last = line;
      if (line.endsWith('\r')) withCr++;
    }
    expect(withCr).toBe(0);
    expect(count).toBe(ROWS + 1);
    expect(last.split('\t')[1]).toBe(`X${ROWS - 1}`);

    // Breaking out releases the download; the simulator then closes without waiting on it.
    let seen = 0;
    for await (const _line of sp.reports.reportLines(spec)) if (++seen === 3) break;
    expect(seen).toBe(3);
  });
});
