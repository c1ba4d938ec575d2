import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeHeader } from '../../../src/detection/read/columns.js';
import { costsFormat } from '../../../src/detection/read/costs.js';
import { customerReturnsFormat } from '../../../src/detection/read/customer-returns.js';
import { ledgerFormat } from '../../../src/detection/read/inventory-ledger.js';
import { reimbursementsFormat } from '../../../src/detection/read/reimbursements.js';
import { removalReceiptsFormat } from '../../../src/detection/read/removal-receipts.js';
import { removalShipmentsFormat } from '../../../src/detection/read/removal-shipments.js';
import { replacementsFormat } from '../../../src/detection/read/replacements.js';
import type { InputFile } from '../../../src/detection/read/file-lines.js';
import { readTable, type FileStats, type TableFormat } from '../../../src/detection/read/table.js';
import type { Diagnostic } from '../../../src/detection/index.js';
import { removeTempDirs, tempDir } from '../support/files.js';

afterEach(removeTempDirs);

async function read<R>(name: string, content: string | Buffer, format: TableFormat<string, R>) {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  const file: InputFile = { name, path, gzip: name.endsWith('.gz'), size: content.length };
  const stats: FileStats = { file: name, rows: 0, skipped: 0 };
  const diagnostics: Diagnostic[] = [];
  const rows: R[] = [];
  await readTable(file, format, { stats, onDiagnostic: (d) => diagnostics.push(d) }, (row) => rows.push(row));
  return { rows, stats, diagnostics };
}

const LEDGER_HEADER = 'Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\tFulfillment Center\tDisposition\tReason\tCountry\tReconciled Quantity\tUnreconciled Quantity\tDate and Time';
const ledgerLine = (date: string, qty: string) => `${date}\tX001\tB001\tSKU-1\tWidget\tAdjustments\t\t${qty}\tPHX3\tSELLABLE\tM\tUS\t0\t1\t${date}`;

describe('reading tab-separated reports', () => {
  it('matches headers ignoring case, spaces, hyphens and underscores', () => {
    expect(normalizeHeader('Event Type')).toBe(normalizeHeader('event-type'));
    expect(normalizeHeader('eventType')).toBe(normalizeHeader('EVENT_TYPE'));
  });

  it('reads the API’s camel-cased ledger headers like the download’s', async () => {
    const api = 'date\tfnsku\tasin\tmsku\ttitle\teventType\treferenceId\tquantity\tfulfillmentCenter\tdisposition\treason\tcountry\treconciledQuantity\tunreconciledQuantity\n' +
      '2026-10-05T00:00:00-07:00\tX001\tB001\tSKU-1\tWidget\tAdjustments\t\t-2\tPHX3\tSELLABLE\tM\tUS\t0\t2\n';
    const { rows, diagnostics } = await read('ledger.tsv', api, ledgerFormat());
    expect(diagnostics).toEqual([]);
    expect(rows).toMatchObject([{ fnsku: 'X001', sku: 'SKU-1', eventType: 'Adjustments', quantity: -2, reason: 'M', country: 'US', source: { file: 'ledger.tsv', line: 2 } }]);
  });

  it('accepts amazon-order-id for the returns report’s order-id', async () => {
    const content = 'return-date\tamazon-order-id\tsku\tasin\tfnsku\tproduct-name\tquantity\tfulfillment-center-id\tdetailed-disposition\n' +
      '2026-11-02T10:00:00+01:00\t402-1\tSKU-1\tB001\tX001\tWidget\t1\tMXP5\tCARRIER_DAMAGED\n';
    const { rows } = await read('returns.tsv', content, customerReturnsFormat());
    expect(rows).toMatchObject([{ orderId: '402-1', disposition: 'CARRIER_DAMAGED', quantity: 1 }]);
  });

  it('reports a row with the wrong number of fields, a non-integer quantity or an impossible date, and reads the rest', async () => {
    const content = [LEDGER_HEADER, ledgerLine('10/05/2026', '-1'), ledgerLine('10/05/2026', '1.5'), '', ledgerLine('02/30/2026', '-1'), 'just\tfour\tfields\there', ledgerLine('10/06/2026', '-2')].join('\n');
    const { rows, stats, diagnostics } = await read('ledger.tsv', content, ledgerFormat());
    expect(rows.map((r) => r.source.line)).toEqual([2, 7]);
    expect(stats).toEqual({ file: 'ledger.tsv', rows: 2, skipped: 3 });
    expect(diagnostics).toEqual([
      { file: 'ledger.tsv', line: 3, message: 'Quantity is not an integer: "1.5"; row skipped' },
      { file: 'ledger.tsv', line: 5, message: 'Date is not a possible date: "02/30/2026"; row skipped' },
      { file: 'ledger.tsv', line: 6, message: 'expected 15 fields, found 4; row skipped' },
    ]);
  });

  it('reads gzipped files, Windows line ends and a byte-order mark', async () => {
    const content = `\uFEFF${LEDGER_HEADER}\r\n${ledgerLine('10/05/2026', '-1')}\r\n\r\n${ledgerLine('10/06/2026', '-3')}\r\n`;
    const { rows, diagnostics } = await read('ledger.tsv.gz', gzipSync(content), ledgerFormat());
    expect(diagnostics).toEqual([]);
    expect(rows.map((r) => [r.source.line, r.quantity, r.country])).toEqual([
      [2, -1, 'US'],
      [4, -3, 'US'],
    ]);
  });

  it('reports a header that lacks a required column and reads nothing from that file', async () => {
    const { rows, stats, diagnostics } = await read('ledger.tsv', 'Date\tFNSKU\n10/05/2026\tX001\n', ledgerFormat());
    expect(rows).toEqual([]);
    expect(stats.unusable).toBe('missing columns MSKU, Event Type, Quantity, Reason');
    expect(diagnostics).toHaveLength(1);
  });

  it('reads costs.csv with quoted fields and refuses amounts that are not plain numbers', async () => {
    const content = 'SKU,Unit Cost,Currency\n"MSKU, big",12.40,usd\nMSKU-2,"1,234.00",USD\nMSKU-3,7,XYZ\n';
    const { rows, diagnostics } = await read('costs.csv', content, costsFormat());
    expect(rows).toMatchObject([{ sku: 'MSKU, big', unitCost: { minor: 1240, currency: 'USD' } }]);
    expect(diagnostics.map((d) => [d.line, d.message])).toEqual([
      [3, 'unit_cost is not a number: "1,234.00"; row skipped'],
      [4, 'currency is not a currency code: "XYZ"; row skipped'],
    ]);
  });

  it('reads a costs.csv whose cost column is named manufacturing_cost, Amazon’s name for it since 2025', async () => {
    const { rows, stats } = await read('costs.csv', 'sku,manufacturing_cost,currency\nMSKU-1,6.00,USD\n', costsFormat());
    expect(stats.unusable).toBeUndefined();
    expect(rows).toMatchObject([{ sku: 'MSKU-1', unitCost: { minor: 600, currency: 'USD' } }]);
  });

  it('keeps each ledger event’s fulfilment centre, disposition and unreconciled units, which Amazon’s claim forms ask for', async () => {
    const content = [LEDGER_HEADER, ledgerLine('10/05/2026', '-1'), ledgerLine('10/05/2026', '-1').replace('\t0\t1\t', '\t0\t\t'), ledgerLine('10/05/2026', '-1').replace('\t0\t1\t', '\t0\tone\t')].join('\n');
    const { rows, diagnostics } = await read('ledger.tsv', content, ledgerFormat());
    expect(rows.map((r) => [r.fulfillmentCenter, r.disposition, r.unreconciled])).toEqual([
      ['PHX3', 'SELLABLE', 1],
      ['PHX3', 'SELLABLE', undefined],
    ]);
    expect(diagnostics.map((d) => [d.line, d.message])).toEqual([[4, 'Unreconciled Quantity is not an integer: "one"; row skipped']]);
  });

  it('reads a reimbursement’s total and the reimbursement a reversal takes back', async () => {
    const content = 'approval-date\treimbursement-id\tamazon-order-id\treason\tsku\tfnsku\tcurrency-unit\tamount-per-unit\tamount-total\tquantity-reimbursed-cash\tquantity-reimbursed-inventory\tquantity-reimbursed-total\toriginal-reimbursement-id\n' +
      '2026-11-01\tR9\t\tReimbursement_Reversal\tSKU-1\tX001\tUSD\t12.00\t-24.00\t-2\t0\t-2\tR1\n' +
      '2026-11-01\tR1\t\tLost_Warehouse\tSKU-1\tX001\tUSD\t12.00\t\t2\t0\t2\t\n';
    const { rows, diagnostics } = await read('reimbursements.tsv', content, reimbursementsFormat());
    expect(diagnostics).toEqual([]);
    expect(rows.map((r) => [r.reimbursementId, r.amountTotal, r.originalReimbursementId, r.quantityTotal])).toEqual([
      ['R9', { minor: -2400, currency: 'USD' }, 'R1', -2],
      ['R1', undefined, undefined, 2],
    ]);
  });

  it('reads removal shipments with their carrier and tracking number', async () => {
    const content = 'request-date\torder-id\tshipment-date\tsku\tfnsku\tdisposition\tshipped-quantity\tcarrier\ttracking-number\tremoval-order-type\n' +
      '2026-10-01T00:00:00-07:00\tRMV-1\t2026-10-03T09:00:00-07:00\tSKU-1\tX001\tSellable\t12\tUPS\t1Z999\tReturn\n' +
      '2026-10-01T00:00:00-07:00\tRMV-2\t2026-10-03T09:00:00-07:00\tSKU-1\tX001\tSellable\ttwelve\tUPS\t1Z998\tReturn\n';
    const { rows, diagnostics } = await read('removal-shipments.tsv', content, removalShipmentsFormat());
    expect(rows).toMatchObject([{ orderId: 'RMV-1', sku: 'SKU-1', fnsku: 'X001', shipped: 12, carrier: 'UPS', trackingNumber: '1Z999' }]);
    expect(diagnostics.map((d) => d.line)).toEqual([3]);
  });

  it('reads replacements and requires the original order', async () => {
    const header = 'shipment-date\tsku\tasin\tfulfillment-center-id\toriginal-fulfillment-center-id\tquantity\treplacement-reason-code\treplacement-amazon-order-id\toriginal-amazon-order-id\n';
    const { rows, diagnostics } = await read('replacements.tsv', `${header}2026-10-03T09:00:00-07:00\tSKU-1\tB001\tPHX7\tONT8\t1\t5\t112-9\t111-1\n2026-10-03\tSKU-1\tB001\tPHX7\tONT8\t1\t5\t112-8\t\n`, replacementsFormat());
    expect(rows).toMatchObject([{ sku: 'SKU-1', asin: 'B001', quantity: 1, fulfillmentCenter: 'PHX7', originalFulfillmentCenter: 'ONT8', reasonCode: '5', replacementOrderId: '112-9', originalOrderId: '111-1' }]);
    expect(diagnostics.map((d) => d.message)).toEqual(['original-amazon-order-id is empty; row skipped']);
    const noOriginal = await read('replacements.tsv', 'shipment-date\tsku\tquantity\n2026-10-03\tSKU-1\t1\n', replacementsFormat());
    expect(noOriginal.stats.unusable).toBe('missing column original-amazon-order-id');
  });

  it('reads removal-receipts.csv, with or without a date, and refuses a negative count', async () => {
    const content = 'order_id,sku,tracking_number,received_quantity,received_date\nRMV-1,SKU-1,1Z999,4,2026-10-10\nRMV-2,SKU-1,1Z998,0,\nRMV-3,SKU-1,1Z997,-1,2026-10-10\n';
    const { rows, diagnostics } = await read('removal-receipts.csv', content, removalReceiptsFormat());
    expect(rows.map((r) => [r.orderId, r.trackingNumber, r.received, r.day === undefined])).toEqual([
      ['RMV-1', '1Z999', 4, false],
      ['RMV-2', '1Z998', 0, true],
    ]);
    expect(diagnostics.map((d) => [d.line, d.message])).toEqual([[4, 'received_quantity is negative: -1; row skipped']]);
    const noTracking = await read('removal-receipts.csv', 'order_id,sku,received_quantity\nRMV-1,SKU-1,4\n', removalReceiptsFormat());
    expect(noTracking.stats.unusable).toBe('missing column tracking_number');
  });
});

