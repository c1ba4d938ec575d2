import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runDetectCommand } from '../../src/cli/detect.js';
import { removeTempDirs, SELLER_A, tempDir } from './support/files.js';

afterEach(removeTempDirs);

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function clario(argv: string[], isTTY = false) {
  const out = capture();
  const err = capture();
  const code = await runDetectCommand(argv, { stdout: out.stream, stderr: err.stream, isTTY });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('clario detect', () => {
  it('prints one JSON claim per line on stdout, and diagnostics and the summary on stderr', async () => {
    const { code, stdout, stderr } = await clario([SELLER_A, '--as-of', '2026-11-22']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(14);
    const first = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(['type', 'status', 'sku', 'fnsku', 'asin', 'quantity', 'amount', 'deadline', 'key', 'sources', 'filing']);
    expect(first).toMatchObject({ type: 'refund_not_returned', deadline: '2026-11-29' });
    expect(stderr).toContain('GET_LEDGER_DETAIL_VIEW_DATA.tsv:10: Quantity is not an integer: "two"; row skipped');
    expect(stderr).toContain('GET_LEDGER_DETAIL_VIEW_DATA.tsv: 9 rows read, 3 skipped');
    expect(stderr).toContain('lost_warehouse: 3 (2 eligible, 1 pending, 0 expired), 44.80 USD');
    expect(stderr).toContain('removal_lost_in_transit: 1 (1 eligible, 0 pending, 0 expired), 24.80 USD');
    expect(stderr).toContain('total: 14 claims (12 eligible, 2 pending, 0 expired), 252.48 USD; eligible now 217.48 USD');
    expect(stderr).not.toContain('\r');
  });

  it('prints a readable table with --format table', async () => {
    const { code, stdout } = await clario([SELLER_A, '--as-of=2026-11-22', '--format', 'table']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^DEADLINE\s+STATUS\s+TYPE\s+SKU\s+QTY\s+AMOUNT\s+KEY$/);
    expect(lines[1]).toMatch(/^2026-11-29\s+eligible\s+refund_not_returned\s+MSKU-A\s+1\s+24\.99 USD\s+order_id=111-0000004 sku=MSKU-A$/);
    expect(stdout).toContain('20.00 USD (est.)');
    expect(stdout).toMatch(/removal_lost_in_transit\s+MSKU-A\s+2\s+24\.80 USD\s+removal_order_id=RMV-1 sku=MSKU-A tracking_number=1Z111\n/);
    expect(lines).toHaveLength(15);
  });

  it('says in the summary which claim types were not looked for, and which files they need, without failing', async () => {
    const dir = tempDir();
    for (const name of ['GET_LEDGER_DETAIL_VIEW_DATA.tsv', 'GET_FBA_REIMBURSEMENTS_DATA.tsv', 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv']) copyFileSync(join(SELLER_A, name), join(dir, name));
    const { code, stderr } = await clario([dir, '--as-of', '2026-11-22']);
    expect(code).toBe(0);
    expect(stderr).toContain('replacement_not_returned: not looked for (needs GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA.tsv, GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.tsv)');
    expect(stderr).toContain('removal_lost_in_transit: not looked for (needs removal-receipts.csv)');
    expect(stderr).toContain('refund_not_returned: not looked for (needs financial-events.json or transactions.json, GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.tsv)');
    expect(stderr).toContain('reimbursement_reversal: 1 (1 eligible, 0 pending, 0 expired), 12.40 USD');
  });

  it('draws a progress line on stderr only on a terminal', async () => {
    const tty = await clario([SELLER_A, '--as-of', '2026-11-22'], true);
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain('\r\u001b[K[');
    expect(tty.stderr).toMatch(/\[[#.]{20}\]\s+\d+%\s+\S+\s+[\d,]+ rows/);
    const piped = await clario([SELLER_A, '--as-of', '2026-11-22'], false);
    expect(piped.stdout).toBe(tty.stdout);
  });

  it('exits 2 with a clear message for a missing folder', async () => {
    const { code, stdout, stderr } = await clario([join(tempDir(), 'missing'), '--as-of', '2026-11-22']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^clario detect: cannot read the folder .*missing: ENOENT/);
  });

  it('exits 2 when the folder holds no readable report', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'GET_FBA_REIMBURSEMENTS_DATA.tsv'), 'not\ta\treimbursements\theader\n');
    const { code, stderr } = await clario([dir, '--as-of', '2026-11-22']);
    expect(code).toBe(2);
    expect(stderr).toContain('GET_FBA_REIMBURSEMENTS_DATA.tsv: missing columns');
    expect(stderr).toContain(`clario detect: no readable input file in ${dir}`);
  });

  it('exits 2 for a bad or missing --as-of, a bad --format or no folder', async () => {
    for (const argv of [[SELLER_A, '--as-of', '2026-02-30'], [SELLER_A, '--as-of', '11/22/2026'], [SELLER_A], [SELLER_A, '--as-of'], [SELLER_A, '--as-of', '2026-11-22', '--format', 'csv'], ['--as-of', '2026-11-22'], [SELLER_A, '--as-of', '2026-11-22', '--verbose']]) {
      const { code, stdout, stderr } = await clario(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^clario detect: .+ \(clario detect --help shows usage\)\n$/);
    }
    expect((await clario([SELLER_A, '--as-of', '2026-02-30'])).stderr).toContain('--as-of must be a real date written YYYY-MM-DD, got "2026-02-30"');
  });

  it('stops writing quietly when the reader closes the pipe (clario detect … | head)', async () => {
    const closed = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const err = capture();
    const code = await runDetectCommand([SELLER_A, '--as-of', '2026-11-22'], { stdout: closed, stderr: err.stream, isTTY: false });
    expect(code).toBe(0);
    expect(err.text()).toContain('total: 14 claims');
  });

  it('prints its usage with --help and exits 0', async () => {
    const { code, stdout } = await clario(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: clario detect/);
  });
});
