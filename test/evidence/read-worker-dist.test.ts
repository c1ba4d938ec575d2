// The reading worker from the build (what `npm start` runs): dist/ holds it as JavaScript, and the
// reader starts it there without tsx. Skipped until `npm run build` has made dist/.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hostilePdf } from './support/documents.js';

const READER = fileURLToPath(new URL('../../dist/evidence/read/read-off-thread.js', import.meta.url));
const built = existsSync(READER) && existsSync(join(READER, '../read-worker.js'));
const dir = mkdtempSync(join(tmpdir(), 'clario-dist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!built)('the built reading worker', () => {
  it('reads a file in a worker thread of the plain-node process, with no TypeScript loader', async () => {
    writeFileSync(join(dir, 'hostile.pdf'), await hostilePdf(2_000));
    writeFileSync(join(dir, 'prices.csv'), 'sku,qty,unit cost\nSKU-1,4,2.50\n');
    const script = `
      import { offThreadReader } from ${JSON.stringify(READER)};
      const threads = [];
      const r = offThreadReader({ timeoutMs: 60000, maxMemoryMb: 128, concurrency: 1, pdf: { maxPages: 5, maxTextItems: 1000 } }, { onStarted: (t) => threads.push(t) });
      const csv = await r.read({ path: ${JSON.stringify(join(dir, 'prices.csv'))}, contentType: await r.check({ path: ${JSON.stringify(join(dir, 'prices.csv'))}, filename: 'prices.csv', declaredType: 'text/csv' }) }, 'USD');
      const pdf = await r.read({ path: ${JSON.stringify(join(dir, 'hostile.pdf'))}, contentType: 'application/pdf' }, 'USD');
      console.log(JSON.stringify({ threads, csv: csv.items.map((i) => [i.sku, i.quantity, i.unitCost]), pdf: pdf.skipped }));`;
    writeFileSync(join(dir, 'smoke.mjs'), script);
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'smoke.mjs')]);
    const out = JSON.parse(stdout) as { threads: number[]; csv: unknown[]; pdf: Array<{ reason: string }> };
    expect(out.threads).toHaveLength(3);
    expect(out.threads.every((t) => t > 0)).toBe(true);
    expect(out.csv).toEqual([['SKU-1', 4, { minor: 250, currency: 'USD' }]]);
    expect(out.pdf[0]?.reason).toContain('more than 1000 pieces of text');
  }, 60_000);
});
