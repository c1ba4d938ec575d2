import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSpApiClient } from '../../src/amazon/sp-api.js';
import type { ManualClock } from '../../src/amazon/clock.js';
import type { StartedSimulator } from '../../src/simulator/server/index.js';
import { connect, FIXTURE, lwaFor, SELLER, simulator, testClock } from '../simulator/server/harness.js';

const US = 'ATVPDKIKX0DER';

async function clientFor(sim: StartedSimulator, clock: ManualClock) {
  const lwa = lwaFor(sim, { clock });
  const refreshToken = await connect(sim, lwa);
  return createSpApiClient({ baseUrl: sim.url, sellerId: SELLER, accessToken: lwa.tokenSource(refreshToken), clock, random: () => 0.5 });
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

async function fileLines(name: string): Promise<string[]> {
  return (await readFile(join(FIXTURE, name), 'utf8')).split('\n').filter((l) => l !== '');
}

describe('Reports 2021-06-30 against the simulator', () => {
  it('streams a gzipped report line by line, equal to the seller folder\'s file', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const sp = await clientFor(sim, clock);
    const statuses: string[] = [];
    const lines = await collect(
      sp.reports.reportLines({ reportType: 'GET_LEDGER_DETAIL_VIEW_DATA', marketplaceIds: [US] }, { onReport: (r) => statuses.push(r.processingStatus) }),
    );
    expect(statuses).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'DONE']);
    expect(lines).toEqual(await fileLines('GET_LEDGER_DETAIL_VIEW_DATA.tsv'));
    // Non-ASCII text survives the gzip and the chunked decoding.
    expect(lines.join('\n')).toContain('Widget B – déluxe');
  });

  it('serves documents GZIP-compressed behind a URL that expires after 5 minutes', async () => {
    const clock = testClock();
    const sim = await simulator({ clock, reportPolls: 0 });
    const sp = await clientFor(sim, clock);
    const reportId = await sp.reports.createReport({ reportType: 'GET_FBA_REIMBURSEMENTS_DATA', marketplaceIds: [US] });
    const report = await sp.reports.waitForReport(reportId);
    expect(report.processingStatus).toBe('DONE');
    const doc = await sp.reports.getReportDocument(report.reportDocumentId!);
    expect(doc.compressionAlgorithm).toBe('GZIP');
    const fresh = await fetch(doc.url);
    expect(fresh.status).toBe(200);
    expect([...new Uint8Array(await fresh.arrayBuffer()).slice(0, 2)]).toEqual([0x1f, 0x8b]);
    clock.advance(301_000);
    const stale = await fetch(doc.url);
    expect(stale.status).toBe(403);
    expect(await stale.text()).toContain('Request has expired');
    // documentLines asks for a fresh URL itself.
    expect(await collect(sp.reports.documentLines(report.reportDocumentId!))).toEqual(await fileLines('GET_FBA_REIMBURSEMENTS_DATA.tsv'));
  });

  it('keeps only the ledger rows inside dataStartTime and dataEndTime', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const sp = await clientFor(sim, clock);
    const lines = await collect(
      sp.reports.reportLines({ reportType: 'GET_LEDGER_DETAIL_VIEW_DATA', marketplaceIds: [US], dataStartTime: '2026-10-01T00:00:00Z', dataEndTime: '2026-10-31T23:59:59Z' }),
    );
    const all = await fileLines('GET_LEDGER_DETAIL_VIEW_DATA.tsv');
    expect(lines).toEqual([all[0], all[2], all[3]]);
  });

  it('a report the seller has no data for ends CANCELLED and yields no lines', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const sp = await clientFor(sim, clock);
    const statuses: string[] = [];
    const lines = await collect(sp.reports.reportLines({ reportType: 'GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA', marketplaceIds: [US] }, { onReport: (r) => statuses.push(r.processingStatus) }));
    expect(lines).toEqual([]);
    expect(statuses.at(-1)).toBe('CANCELLED');
  });

  it('polls with growing waits between getReport calls', async () => {
    const clock = testClock();
    const sim = await simulator({ clock, reportPolls: 4 });
    const sp = await clientFor(sim, clock);
    const before = clock.sleeps.length;
    const reportId = await sp.reports.createReport({ reportType: 'GET_LEDGER_DETAIL_VIEW_DATA', marketplaceIds: [US] });
    await sp.reports.waitForReport(reportId, { initialIntervalMs: 1_000 });
    expect(clock.sleeps.slice(before)).toEqual([1_000, 1_500, 2_250, 3_375]);
  });
});
