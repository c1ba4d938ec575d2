// A generated seller: a large ledger of ordinary events with a few planted losses and damages.
// Detection must find every planted claim and nothing else, reading the file gzipped.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { detect, formatDay, parseIsoDay } from '../../src/detection/index.js';
import { removeTempDirs, tempDir } from './support/files.js';

afterEach(removeTempDirs);

const AS_OF = '2026-11-22';
const asOf = parseIsoDay(AS_OF) ?? 0;
const HEADER = 'Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\tFulfillment Center\tDisposition\tReason\tCountry\tReconciled Quantity\tUnreconciled Quantity\tDate and Time';

function usDate(daysAgo: number): string {
  const [y, m, d] = formatDay(asOf - daysAgo).split('-');
  return `${m}/${d}/${y}`;
}

function row(daysAgo: number, n: number, event: string, qty: number, reason = ''): string {
  return `${usDate(daysAgo)}\tX${String(n).padStart(9, '0')}\tB${n}\tSKU-${n}\tProduct ${n}\t${event}\t\t${qty}\tPHX3\tSELLABLE\t${reason}\tUS\t0\t0\t`;
}

describe('a generated seller', () => {
  it('finds every planted loss and damage among 150,000 ordinary ledger rows, and nothing else', async () => {
    // A tiny deterministic generator, so that a failure can be replayed.
    let seed = 42;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const lines = [HEADER];
    for (let i = 0; i < 150_000; i++) {
      const product = random(2000);
      const kind = random(10);
      if (kind < 6) lines.push(row(random(200), product, 'Shipments', -1));
      else if (kind < 8) lines.push(row(random(200), product, 'CustomerReturns', 1));
      else if (kind < 9) lines.push(row(random(200), product, 'Receipts', 24));
      // Moves between dispositions and losses that were found the same day net to nothing.
      else lines.push(row(random(200), product, 'Adjustments', -1, 'Q'), row(random(200), product, 'Adjustments', 1, 'P'));
    }
    const planted = new Map<string, { type: string; quantity: number }>();
    for (let p = 0; p < 40; p++) {
      const product = 5000 + p;
      const daysAgo = 31 + random(29); // inside the window and past Amazon's grace
      if (p % 4 === 3) {
        lines.push(row(daysAgo, product, 'Adjustments', -3, 'E'));
        planted.set(`X${String(product).padStart(9, '0')}`, { type: 'damaged_warehouse', quantity: 3 });
      } else {
        lines.push(row(daysAgo, product, 'Adjustments', -2, 'M'));
        // Every other loss is partly found again later: only the rest is claimed.
        if (p % 2 === 0) lines.push(row(daysAgo - 1, product, 'Adjustments', 1, 'F'));
        planted.set(`X${String(product).padStart(9, '0')}`, { type: 'lost_warehouse', quantity: p % 2 === 0 ? 1 : 2 });
      }
      // Old losses, outside the window, must be ignored.
      lines.push(row(90 + random(100), product + 1000, 'Adjustments', -5, 'M'));
    }
    // Shuffle: the ledger is not sorted by product and detection must not depend on order.
    const body = lines.slice(1);
    for (let i = body.length - 1; i > 0; i--) {
      const j = random(i + 1);
      [body[i], body[j]] = [body[j] ?? '', body[i] ?? ''];
    }
    const dir = tempDir();
    writeFileSync(join(dir, 'GET_LEDGER_DETAIL_VIEW_DATA.tsv.gz'), gzipSync([HEADER, ...body].join('\n') + '\n'));
    writeFileSync(join(dir, 'GET_FBA_REIMBURSEMENTS_DATA.tsv'), 'approval-date\treimbursement-id\treason\tsku\tfnsku\tcurrency-unit\tamount-per-unit\tquantity-reimbursed-cash\n');

    const { claims, summary } = await detect(dir, { asOf: AS_OF });
    expect(summary.files.find((f) => f.file.startsWith('GET_LEDGER'))).toMatchObject({ rows: body.length, skipped: 0 });
    const found = new Map(claims.map((c) => [c.fnsku ?? '', { type: c.type, quantity: c.quantity }]));
    expect(found).toEqual(planted);
    expect(claims.every((c) => c.status === 'eligible' && c.amount === null)).toBe(true);
  });
});
