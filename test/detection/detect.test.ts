import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { detect, formatSummary, InputFileError, InputFolderError, type Claim, type Diagnostic } from '../../src/detection/index.js';
import { copyFixture, removeTempDirs, SELLER_A, tempDir, writeTsv } from './support/files.js';

const AS_OF = '2026-11-22';
const TRANSACTIONS = fileURLToPath(new URL('./fixtures/finances-2024-06-19', import.meta.url));
afterEach(removeTempDirs);

const brief = (c: Claim) => [c.type, c.status, Object.values(c.key).join('/'), c.quantity, c.amount ? `${c.amount.minor} ${c.amount.currency}` : null, c.deadline];

describe('detect over a folder of reports', () => {
  it('finds every planted claim in the sample seller’s reports, nearest deadline first', async () => {
    const { claims } = await detect(SELLER_A, { asOf: AS_OF });
    expect(claims.map(brief)).toEqual([
      ['refund_not_returned', 'eligible', '111-0000004/MSKU-A', 1, '2499 USD', '2026-11-29'],
      ['inbound_shortage', 'eligible', 'FBA15XYZ/MSKU-A', 3, '3720 USD', '2026-11-30'],
      // One claim per loss event: the find and the payment cover the oldest loss first.
      ['lost_warehouse', 'eligible', 'X00A/TI-A1', 1, '1240 USD', '2026-12-04'],
      ['lost_warehouse', 'eligible', 'X00A/TI-A2', 1, '1240 USD', '2026-12-19'],
      ['fee_overcharge', 'eligible', 'MSKU-B', 1, '50 USD', '2026-12-30'],
      ['underpaid_reimbursement', 'eligible', 'R2', 2, '600 USD', '2026-12-31'],
      ['removal_shortfall', 'eligible', 'RMV-1/MSKU-A', 2, '2480 USD', '2027-01-04'],
      ['removal_lost_in_transit', 'eligible', 'RMV-1/MSKU-A/1Z111', 2, '2480 USD', '2027-01-08'],
      ['damaged_warehouse', 'eligible', 'X00B/TI-B1', 2, '1200 USD', '2027-01-09'],
      ['reimbursement_reversal', 'eligible', 'R5', 1, '1240 USD', '2027-01-11'],
      ['replacement_not_returned', 'eligible', '111-0000009/MSKU-C', 1, '2000 USD', '2027-01-13'],
      // No Reference ID on the row: the loss is keyed by its day.
      ['lost_warehouse', 'pending', 'X00C/2026-11-15', 1, '2000 USD', '2027-01-14'],
      // Dated from the refund (09-20), not from the return (11-02).
      ['return_damaged', 'eligible', '111-0000001/MSKU-A', 1, '2999 USD', '2027-01-18'],
      ['refund_not_returned', 'pending', '111-0000006/MSKU-A', 1, '1500 USD', '2027-02-17'],
    ]);
  });

  it('cites every input line a claim rests on, and keeps what Amazon’s claim form asks for', async () => {
    const { claims } = await detect(SELLER_A, { asOf: AS_OF });
    const lost = claims.find((c) => c.type === 'lost_warehouse' && c.key.reference_id === 'TI-A1');
    expect(JSON.stringify(lost)).toBe(
      '{"type":"lost_warehouse","status":"eligible","sku":"MSKU-A","fnsku":"X00A","asin":"B0A","quantity":1,' +
        '"amount":{"minor":1240,"currency":"USD"},"deadline":"2026-12-04","key":{"fnsku":"X00A","reference_id":"TI-A1"},' +
        '"sources":[{"file":"GET_FBA_REIMBURSEMENTS_DATA.tsv","line":2},{"file":"GET_LEDGER_DETAIL_VIEW_DATA.tsv","line":3},' +
        '{"file":"GET_LEDGER_DETAIL_VIEW_DATA.tsv","line":5},{"file":"costs.csv","line":2}],' +
        '"filing":{"event_date":"2026-10-05","transaction_item_id":"TI-A1","fulfillment_center":"PHX3","disposition":"SELLABLE","unreconciled_quantity":2}}',
    );
    const estimated = claims.find((c) => c.key.fnsku === 'X00C');
    expect(estimated?.valuation).toBe('sale_price_estimate');
    expect(claims.find((c) => c.type === 'removal_lost_in_transit')?.filing).toEqual({ event_date: '2026-10-25', carrier: 'UPS', tracking_number: '1Z111' });
    expect(claims.find((c) => c.type === 'replacement_not_returned')?.filing).toEqual({
      event_date: '2026-09-15',
      order_id: '111-0000009',
      replacement_order_id: '112-0000011',
      fulfillment_center: 'PHX3',
      original_fulfillment_center: 'ONT8',
    });
    expect(claims.find((c) => c.type === 'reimbursement_reversal')?.filing).toEqual({ event_date: '2026-11-12', original_reimbursement_id: 'R1', original_approval_date: '2026-10-28' });
  });

  it('reports each unreadable row with its file and line, skips it and goes on', async () => {
    const diagnostics: Diagnostic[] = [];
    await detect(SELLER_A, { asOf: AS_OF, onDiagnostic: (d) => diagnostics.push(d) });
    expect(diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual([
      'financial-events.json:68',
      'GET_FBA_REIMBURSEMENTS_DATA.tsv:5',
      'GET_LEDGER_DETAIL_VIEW_DATA.tsv:10',
      'GET_LEDGER_DETAIL_VIEW_DATA.tsv:13',
      'GET_LEDGER_DETAIL_VIEW_DATA.tsv:14',
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/PostedDate is not a possible date/),
      expect.stringMatching(/amount-per-unit is not a number: "abc"/),
      expect.stringMatching(/Quantity is not an integer: "two"/),
      expect.stringMatching(/Date is not a possible date: "02\/30\/2026"/),
      expect.stringMatching(/expected 15 fields, found 5/),
    ]);
  });

  it('summarizes rows read per file, claims per type and status, and value per currency', async () => {
    const { summary } = await detect(SELLER_A, { asOf: AS_OF });
    expect(summary.files.find((f) => f.file === 'GET_LEDGER_DETAIL_VIEW_DATA.tsv')).toEqual({ file: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', rows: 9, skipped: 3 });
    expect(summary.types.find((t) => t.type === 'lost_warehouse')).toEqual({
      type: 'lost_warehouse',
      eligible: 2,
      pending: 1,
      expired: 0,
      value: [{ minor: 4480, currency: 'USD' }],
      unvalued: 0,
    });
    expect(summary.total).toMatchObject({ claims: 14, eligible: 12, pending: 2, expired: 0, value: [{ minor: 25248, currency: 'USD' }], eligibleValue: [{ minor: 21748, currency: 'USD' }] });
    expect(summary.diagnostics).toBe(5);
  });

  it('reads gzipped reports exactly like plain ones', async () => {
    const plain = await detect(SELLER_A, { asOf: AS_OF });
    const gz = await detect(copyFixture(SELLER_A, { gzip: true }), { asOf: AS_OF });
    const unzipName = (c: Claim) => ({ ...c, sources: c.sources.map((s) => ({ ...s, file: s.file.replace(/\.gz$/, '') })) });
    expect(gz.claims.map(unzipName)).toEqual(plain.claims);
    expect(gz.claims[0]?.sources[0]?.file).toBe('financial-events.json.gz');
  });

  it('a missing file only means the claim types that need it are not looked for', async () => {
    const dir = copyFixture(SELLER_A, { only: ['GET_LEDGER_DETAIL_VIEW_DATA.tsv', 'GET_FBA_REIMBURSEMENTS_DATA.tsv', 'costs.csv', 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv'] });
    const { claims, summary } = await detect(dir, { asOf: AS_OF });
    expect(new Set(claims.map((c) => c.type))).toEqual(new Set(['lost_warehouse', 'damaged_warehouse', 'underpaid_reimbursement', 'reimbursement_reversal']));
    expect(summary.notLookedFor.map((n) => n.type)).toEqual([
      'inbound_shortage',
      'refund_not_returned',
      'return_damaged',
      'replacement_not_returned',
      'removal_shortfall',
      'removal_lost_in_transit',
      'fee_overcharge',
    ]);
    // Removal shipments without the seller's receipts: every parcel would look lost, so none is claimed.
    expect(formatSummary(summary)).toContain('removal_lost_in_transit: not looked for (needs removal-receipts.csv)');
  });

  it('reads refunds and fees from transactions.json (Finances 2024-06-19) when financial-events.json is absent', async () => {
    const dir = copyFixture(SELLER_A, { only: readdirSync(SELLER_A).filter((n) => n !== 'financial-events.json') });
    cpSync(join(TRANSACTIONS, 'transactions.json'), join(dir, 'transactions.json'));
    const { claims, summary } = await detect(dir, { asOf: AS_OF });
    const fromFinance = claims.filter((c) => c.type === 'refund_not_returned' || c.type === 'fee_overcharge');
    expect(fromFinance.map(brief)).toEqual([
      ['refund_not_returned', 'eligible', '111-0000004/MSKU-A', 1, '2499 USD', '2026-11-29'],
      ['fee_overcharge', 'eligible', 'MSKU-B', 1, '50 USD', '2026-12-30'],
    ]);
    expect(fromFinance.flatMap((c) => c.sources.map((s) => s.file))).toContain('transactions.json');
    // Reimbursement types are not in that API: the warehouse rules still rest on the reimbursements report.
    expect(claims.filter((c) => c.type === 'lost_warehouse').map((c) => c.quantity)).toEqual([1, 1, 1]);
    expect(summary.files.find((f) => f.file === 'transactions.json')).toEqual({ file: 'transactions.json', rows: 3, skipped: 0 });
  });

  it('when both finance files exist, financial-events.json is read and transactions.json is said not to be used', async () => {
    const dir = copyFixture(SELLER_A);
    cpSync(join(TRANSACTIONS, 'transactions.json'), join(dir, 'transactions.json'));
    const diagnostics: Diagnostic[] = [];
    const both = await detect(dir, { asOf: AS_OF, onDiagnostic: (d) => diagnostics.push(d) });
    const alone = await detect(SELLER_A, { asOf: AS_OF });
    expect(both.claims).toEqual(alone.claims);
    expect(diagnostics).toContainEqual({ file: 'transactions.json', line: 0, message: 'financial-events.json is read instead; file not used' });
  });

  it('a report without the columns detection needs is not used, so refunds are not all taken as unreturned', async () => {
    const dir = copyFixture(SELLER_A);
    writeTsv(dir, 'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.tsv', [['return-date', 'sku', 'quantity'], ['2026-11-02', 'MSKU-A', '1']]);
    const diagnostics: Diagnostic[] = [];
    const { claims, summary } = await detect(dir, { asOf: AS_OF, onDiagnostic: (d) => diagnostics.push(d) });
    expect(claims.some((c) => c.type === 'refund_not_returned' || c.type === 'return_damaged')).toBe(false);
    expect(diagnostics).toContainEqual({ file: 'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.tsv', line: 0, message: 'missing columns order-id, detailed-disposition; file not used' });
    expect(summary.files.find((f) => f.file.startsWith('GET_FBA_FULFILLMENT_CUSTOMER_RETURNS'))?.unusable).toMatch(/missing columns/);
  });

  it('a seller with several marketplaces gets each claim in its own currency', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'costs.csv'), 'sku,unit_cost,currency\nMSKU-A,10.00,USD\nMSKU-A,13.00,CAD\n');
    const header = ['approval-date', 'reimbursement-id', 'amazon-order-id', 'reason', 'sku', 'fnsku', 'currency-unit', 'amount-per-unit', 'quantity-reimbursed-cash', 'quantity-reimbursed-inventory', 'quantity-reimbursed-total'];
    writeTsv(dir, 'GET_FBA_REIMBURSEMENTS_DATA.tsv', [
      header,
      ['2026-11-01', 'R-US', '', 'Lost_Warehouse', 'MSKU-A', 'X00A', 'USD', '8.00', '1', '0', '1'],
      ['2026-11-01', 'R-CA', '', 'Lost_Warehouse', 'MSKU-A', 'X00A', 'CAD', '10.00', '2', '0', '2'],
    ]);
    const { claims, summary } = await detect(dir, { asOf: AS_OF });
    expect(claims.map((c) => [c.key.reimbursement_id, c.amount])).toEqual([
      ['R-CA', { minor: 600, currency: 'CAD' }],
      ['R-US', { minor: 200, currency: 'USD' }],
    ]);
    expect(summary.total.value).toEqual([
      { minor: 600, currency: 'CAD' },
      { minor: 200, currency: 'USD' },
    ]);
  });

  it('a gzip file that breaks halfway stops the run instead of yielding claims from half the facts', async () => {
    const dir = copyFixture(SELLER_A, { only: ['GET_FBA_REIMBURSEMENTS_DATA.tsv'] });
    const zipped = gzipSync(readFileSync(join(SELLER_A, 'GET_LEDGER_DETAIL_VIEW_DATA.tsv'), 'utf8').repeat(2000));
    writeFileSync(join(dir, 'GET_LEDGER_DETAIL_VIEW_DATA.tsv.gz'), zipped.subarray(0, zipped.length - 200));
    await expect(detect(dir, { asOf: AS_OF })).rejects.toThrow(InputFileError);
    await expect(detect(dir, { asOf: AS_OF })).rejects.toThrow(/GET_LEDGER_DETAIL_VIEW_DATA.tsv.gz: unexpected end of file/);
  });

  it('refuses a missing folder, and a folder with no readable report', async () => {
    await expect(detect(join(tempDir(), 'nope'), { asOf: AS_OF })).rejects.toThrow(InputFolderError);
    const empty = tempDir();
    writeFileSync(join(empty, 'notes.txt'), 'hello');
    await expect(detect(empty, { asOf: AS_OF })).rejects.toThrow(/no readable input file/);
    writeFileSync(join(empty, 'GET_LEDGER_DETAIL_VIEW_DATA.tsv'), '\n\n');
    await expect(detect(empty, { asOf: AS_OF })).rejects.toThrow(/no readable input file/);
  });

  it('refuses an as-of day that is not a real YYYY-MM-DD date', async () => {
    await expect(detect(SELLER_A, { asOf: '2026-02-30' })).rejects.toThrow(RangeError);
    await expect(detect(SELLER_A, { asOf: '11/22/2026' })).rejects.toThrow(RangeError);
  });
});
