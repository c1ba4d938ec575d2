// Gzip bombs and endless lines: made on the fly (64 MiB of text is ~64 KiB gzipped), never written out whole.
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { runDetectCommand } from '../../src/cli/detect.js';
import { detect, type Diagnostic } from '../../src/detection/index.js';
import { copyFixture, removeTempDirs, SELLER_A, tempDir } from './support/files.js';

const AS_OF = '2026-11-22';
const LEDGER = 'GET_LEDGER_DETAIL_VIEW_DATA.tsv';
const MiB = 1024 * 1024;
afterEach(removeTempDirs);

/** Writes `path` as the gzip of: `before`, `mib` MiB of 'a' with no newline, then `after`. */
async function writeBomb(path: string, before: string, mib: number, after: string): Promise<void> {
  const chunk = Buffer.alloc(MiB, 0x61);
  function* text() {
    yield Buffer.from(before);
    for (let i = 0; i < mib; i++) yield chunk;
    yield Buffer.from(after);
  }
  await pipeline(Readable.from(text()), createGzip(), createWriteStream(path));
}

async function clario(argv: string[], options: Parameters<typeof runDetectCommand>[2] = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const code = await runDetectCommand(argv, { stdout: out, stderr: err, isTTY: false }, options);
  return { code, stdout: Buffer.concat(chunks.out).toString(), stderr: Buffer.concat(chunks.err).toString() };
}

describe('hostile report files', () => {
  it('reports a 64 MiB line as one unreadable row with its file and line, and reads the rows after it', async () => {
    const ledger = readFileSync(join(SELLER_A, LEDGER), 'utf8').split('\n');
    const plain = await detect(SELLER_A, { asOf: AS_OF });
    const bombed = copyFixture(SELLER_A, { only: readdirSync(SELLER_A).filter((n) => n !== LEDGER) });
    await writeBomb(join(bombed, `${LEDGER}.gz`), `${ledger.slice(0, 2).join('\n')}\n`, 64, `\n${ledger.slice(2).join('\n')}`);
    const diagnostics: Diagnostic[] = [];
    const r = await detect(bombed, { asOf: AS_OF, onDiagnostic: (d) => diagnostics.push(d) });
    expect(diagnostics).toContainEqual({ file: `${LEDGER}.gz`, line: 3, message: `the line is longer than ${MiB} characters (${64 * MiB}); row skipped` });
    expect(r.claims.map((c) => c.key)).toEqual(plain.claims.map((c) => c.key));
    const stats = r.summary.files.find((f) => f.file === `${LEDGER}.gz`);
    expect(stats).toMatchObject({ skipped: plain.summary.files.find((f) => f.file === LEDGER)!.skipped + 1 });
  });

  it('clario detect exits 2 with one line on stderr, and no stack, for a gzip that inflates beyond its bound', async () => {
    const dir = copyFixture(SELLER_A, { only: ['costs.csv'] });
    const header = readFileSync(join(SELLER_A, LEDGER), 'utf8').split('\n')[0];
    await writeBomb(join(dir, `${LEDGER}.gz`), `${header}\n`, 64, '');
    const { code, stdout, stderr } = await clario([dir, '--as-of', AS_OF], { limits: { maxLineLength: MiB, maxDecompressedBytes: 16 * MiB } });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`clario detect: ${LEDGER}.gz: decompresses to more than ${16 * MiB} bytes (a gzip bomb?); file not read further\n`);
  });

  it('clario detect exits 2 with one line on stderr for a folder whose only report is one endless line', async () => {
    const dir = tempDir();
    await writeBomb(join(dir, `${LEDGER}.gz`), '', 64, '');
    const { code, stdout, stderr } = await clario([dir, '--as-of', AS_OF]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`clario detect: no readable input file in ${dir}: ${LEDGER}.gz: line 1 is longer than ${MiB} characters, so it is no header; file not used\n`);
  });

  it('skips a JSON element longer than the bound and reads the others', async () => {
    const dir = copyFixture(SELLER_A, { only: ['inbound-shipments.json'] });
    const json = JSON.parse(readFileSync(join(SELLER_A, 'inbound-shipments.json'), 'utf8')) as Record<string, unknown[]>;
    const list = Object.keys(json).find((k) => Array.isArray(json[k]))!;
    const original = json[list]!.length;
    json[list] = [{ ShipmentId: 'FBAHUGE', Notes: 'x'.repeat(5000) }, ...json[list]!];
    writeFileSync(join(dir, 'inbound-shipments.json'), JSON.stringify(json, null, 1));
    const diagnostics: Diagnostic[] = [];
    const r = await detect(dir, { asOf: AS_OF, onDiagnostic: (d) => diagnostics.push(d), limits: { maxLineLength: 1000, maxDecompressedBytes: MiB } });
    expect(diagnostics.filter((d) => d.message.includes('longer than 1000 characters'))).toHaveLength(1);
    expect(r.summary.files.find((f) => f.file === 'inbound-shipments.json')!.skipped).toBe(1);
    expect(original).toBeGreaterThan(0);
  });
});

describe('absurd values in well-formed rows', () => {
  const REMOVALS = 'GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA.tsv';
  const edit = (dir: string, file: string, change: (text: string) => string) => writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
  const run = async (dir: string) => {
    const diagnostics: Diagnostic[] = [];
    const r = await detect(dir, { asOf: AS_OF, onDiagnostic: (d) => diagnostics.push(d) });
    return { ...r, diagnostics };
  };

  it('refuses a manufacturing cost of zero or less, by line, and values nothing with it', async () => {
    const dir = copyFixture(SELLER_A);
    edit(dir, 'costs.csv', (t) => t.replace('MSKU-A,12.40,USD', 'MSKU-A,-12.40,USD').replace('MSKU-B,6.00,USD', 'MSKU-B,0,USD'));
    const r = await run(dir);
    expect(r.diagnostics).toContainEqual({ file: 'costs.csv', line: 2, message: 'unit_cost is not more than 0: "-12.40"; row skipped' });
    expect(r.diagnostics).toContainEqual({ file: 'costs.csv', line: 3, message: 'unit_cost is not more than 0: "0"; row skipped' });
    expect(r.claims.filter((c) => c.amount !== null && c.amount.minor <= 0)).toEqual([]);
  });

  it('refuses a negative quantity shipped on a removal order instead of claiming more than was ordered', async () => {
    const dir = copyFixture(SELLER_A);
    edit(dir, REMOVALS, (t) => t.replace('\tSellable\t5\t0\t0\t3\t0\t', '\tSellable\t5\t0\t0\t-3\t0\t'));
    const r = await run(dir);
    expect(r.diagnostics).toContainEqual({ file: REMOVALS, line: 2, message: 'shipped-quantity is negative: -3; row skipped' });
    expect(r.claims.filter((c) => c.type === 'removal_shortfall' && (c.quantity ?? 0) > 5)).toEqual([]);
  });

  it('leaves a loss too large for exact minor units unvalued instead of stopping the run', async () => {
    const dir = copyFixture(SELLER_A);
    edit(dir, LEDGER, (t) => t.replace('\tAdjustments\tTI-A2\t-1\t', '\tAdjustments\tTI-A2\t-100000000000000\t'));
    const { code, stderr } = await clario([dir, '--as-of', AS_OF]);
    expect(stderr).not.toMatch(/RangeError|\n\s+at /);
    expect(code).toBe(0);
    const r = await run(dir);
    const huge = r.claims.filter((c) => (c.quantity ?? 0) >= 100_000_000_000_000);
    expect(huge.length).toBeGreaterThan(0);
    expect(huge.map((c) => c.amount)).toEqual(huge.map(() => null));
  });
});

describe('absurd totals', () => {
  it('clario detect exits 2 with one line, no stack, when the claims add up past exact minor units', async () => {
    const dir = copyFixture(SELLER_A);
    writeFileSync(join(dir, 'costs.csv'), readFileSync(join(dir, 'costs.csv'), 'utf8').replace('MSKU-A,12.40,USD', 'MSKU-A,90071992547409.91,USD'));
    const { code, stdout, stderr } = await clario([dir, '--as-of', AS_OF]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('clario detect: the claims found add up to more USD than exact minor units hold: the reports hold absurd amounts');
    expect(stderr).not.toMatch(/RangeError|\n\s+at /);
  });
});

describe('inputs that are no readable file', () => {
  it('lists a folder or a dangling link under an input name in the summary as not used, like an empty file', async () => {
    const dir = copyFixture(SELLER_A);
    rmSync(join(dir, 'costs.csv'));
    mkdirSync(join(dir, 'costs.csv'));
    rmSync(join(dir, LEDGER));
    symlinkSync(join(dir, 'nowhere.tsv'), join(dir, LEDGER));
    const diagnostics: Diagnostic[] = [];
    const r = await detect(dir, { asOf: AS_OF, onDiagnostic: (d) => diagnostics.push(d) });
    for (const file of ['costs.csv', LEDGER]) {
      expect(diagnostics).toContainEqual({ file, line: 0, message: 'not a readable file; not used' });
      expect(r.summary.files).toContainEqual({ file, rows: 0, skipped: 0, unusable: 'not a readable file' });
    }
    const only = copyFixture(SELLER_A, { only: [] });
    mkdirSync(join(only, LEDGER));
    await expect(detect(only, { asOf: AS_OF })).rejects.toThrow(`${LEDGER}: not a readable file; not used`);
  });
});
