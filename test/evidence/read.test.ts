// Reading evidence files: CSV with lenient headers, PDFs by their text layer, and a clear report
// for every line that could not be read.
import { describe, expect, it } from 'vitest';
import { currency } from '../../src/domain/money.js';
import { statusOf } from '../../src/evidence/read/items.js';
import { MAX_ITEMS, readCsv } from '../../src/evidence/read/read-csv.js';
import { MAX_REPORTED_SKIPS, prepareFile, reportOf, UnsupportedFileError } from '../../src/evidence/store-evidence.js';
import { deliveryNotePdf, invoicePdf, scannedPdf } from './support/documents.js';

const USD = currency('USD');
const csv = (s: string) => new TextEncoder().encode(s);

describe('reading a CSV invoice', () => {
  it('reads line items under any of the header aliases, in the currency of the row or the default', () => {
    const r = readCsv(
      csv('Invoice Number;Invoice Date;Vendor;Seller-SKU;Description;Units;Unit_Price;Currency\nINV-88;2026-01-10;Acme;SKU-1;Blue widget;40;12.40;\nINV-88;01/10/2026;Acme;SKU-2;Red widget;5;3.5;EUR\n'),
      USD,
    );
    expect(r.skipped).toEqual([]);
    expect(r.items).toEqual([
      expect.objectContaining({ lineNo: 2, documentRef: 'INV-88', supplier: 'Acme', sku: 'SKU-1', productName: 'Blue widget', quantity: 40, unitCost: { minor: 1240, currency: 'USD' }, date: '2026-01-10' }),
      expect.objectContaining({ lineNo: 3, sku: 'SKU-2', quantity: 5, unitCost: { minor: 350, currency: 'EUR' }, date: '2026-01-10' }),
    ]);
    expect(statusOf(r)).toBe('parsed');
  });

  it('skips unreadable rows with their line and why, and keeps the rest (partial)', () => {
    const r = readCsv(csv('sku,qty,price,date\nSKU-1,40,12.40,2026-01-10\nSKU-2,lots,1.00,2026-01-10\nSKU-3,3,abc,2026-01-10\nSKU-4,2,1.00,2026-02-30\n,4,1.00,2026-01-10\n'), USD);
    expect(r.items.map((i) => i.sku)).toEqual(['SKU-1']);
    expect(r.skipped).toEqual([
      { line: 3, reason: 'quantity "lots" is not a whole number of units' },
      { line: 4, reason: 'unit cost "abc" is not an amount' },
      { line: 5, reason: 'date "2026-02-30" is not a date (YYYY-MM-DD or MM/DD/YYYY)' },
      { line: 6, reason: 'no sku or product' },
    ]);
    expect(r.linesRead).toBe(5);
    expect(statusOf(r)).toBe('partial');
  });

  it('reads at most MAX_ITEMS items of a huge export, and lists at most MAX_REPORTED_SKIPS skipped lines', () => {
    const r = readCsv(csv(`sku,qty\n${'SKU-1,1\n'.repeat(MAX_ITEMS + 5)}`), USD);
    expect(r.items).toHaveLength(MAX_ITEMS);
    expect(r.skipped).toEqual([{ line: MAX_ITEMS + 2, reason: `only the first ${MAX_ITEMS} line items of a file are read; split the file` }]);
    const bad = readCsv(csv(`sku,qty\n${'SKU-1,x\n'.repeat(MAX_REPORTED_SKIPS + 7)}`), USD);
    const report = reportOf(bad);
    expect(report.skipped).toHaveLength(MAX_REPORTED_SKIPS + 1);
    expect(report.skipped.at(-1)).toEqual({ line: 0, reason: 'and 7 more lines skipped' });
  });

  it('says so when the header names no sku or quantity column (unreadable)', () => {
    const r = readCsv(csv('colour,size\nblue,L\n'), USD);
    expect(r.items).toEqual([]);
    expect(r.skipped).toEqual([{ line: 1, reason: 'the header names no sku (or product) and quantity column' }]);
    expect(statusOf(r)).toBe('unreadable');
  });
});

describe('checking what a file is by its content', () => {
  const prepare = (bytes: Uint8Array, declaredType: string, filename = 'x') => prepareFile({ filename, bytes, declaredType, defaultCurrency: USD });

  it('refuses a PDF declared as CSV, a CSV declared as PDF, binary data and other types', async () => {
    const pdf = await invoicePdf({ number: 'INV-1', date: '2026-01-10', supplier: 'Acme', lines: [{ sku: 'SKU-1', description: 'Widget', qty: '1', price: '1.00' }] });
    await expect(prepare(pdf, 'text/csv')).rejects.toThrow(UnsupportedFileError);
    await expect(prepare(csv('sku,qty\nA,1\n'), 'application/pdf')).rejects.toThrow(/not a PDF/);
    await expect(prepare(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'application/octet-stream')).rejects.toThrow(/not text|not UTF-8/);
    await expect(prepare(csv('sku,qty\nA,1\n'), 'image/png')).rejects.toThrow(/not accepted/);
  });

  it('takes a PDF by the header it starts with, not by %PDF- found somewhere in its first KiB', async () => {
    const page = '<!doctype html><html><!-- %PDF-1.4 --><script>alert(1)</script></html>';
    await expect(prepare(csv(page), 'application/pdf', 'invoice.pdf')).rejects.toThrow(/not a PDF/);
    const pdf = await invoicePdf({ number: 'INV-2', date: '2026-01-10', supplier: 'Acme', lines: [{ sku: 'SKU-1', description: 'Widget', qty: '1', price: '1.00' }] });
    // A byte-order mark or blank space before the header is still a PDF.
    for (const before of [[0xef, 0xbb, 0xbf], [0x0a, 0x20]]) {
      await expect(prepare(new Uint8Array([...before, ...pdf]), 'application/pdf')).resolves.toMatchObject({ contentType: 'application/pdf' });
    }
  });

  it('says a zero-byte file is empty, whatever type it was declared as', async () => {
    for (const type of ['application/pdf', 'text/csv', 'application/octet-stream', 'image/png']) {
      await expect(prepare(new Uint8Array(), type, 'empty.pdf')).rejects.toThrow(new UnsupportedFileError('empty.pdf is empty'));
    }
  });

  it('reads a text-layer PDF invoice: number, date, supplier and the item table', async () => {
    const pdf = await invoicePdf({
      number: 'INV-88',
      date: '2026-01-10',
      supplier: 'Acme Trading Ltd',
      lines: [
        { sku: 'SKU-1', description: 'Blue widget', qty: '40', price: '12.40' },
        { sku: 'SKU-2', description: 'Red widget, large', qty: 'ten', price: '3.00' },
      ],
    });
    const f = await prepare(pdf, 'application/pdf', 'inv-88.pdf');
    expect(f.contentType).toBe('application/pdf');
    expect(f.kind).toBe('invoice');
    expect(f.read.items).toEqual([
      expect.objectContaining({ documentRef: 'INV-88', supplier: 'Acme Trading Ltd', date: '2026-01-10', sku: 'SKU-1', productName: 'Blue widget', quantity: 40, unitCost: { minor: 1240, currency: 'USD' } }),
    ]);
    expect(f.read.skipped).toHaveLength(1);
    expect(f.read.skipped[0]?.reason).toMatch(/SKU-2.*quantity "ten" is not a whole number/);
    expect(statusOf(f.read)).toBe('partial');
  });

  it('reads the currency the invoice names', async () => {
    const pdf = await invoicePdf({ number: 'F-2026-7', date: '2026-01-10', supplier: 'Lieferant GmbH', currency: 'EUR', lines: [{ sku: 'SKU-9', description: 'Mug', qty: '12', price: '2.10' }] });
    const f = await prepare(pdf, 'application/pdf');
    expect(f.read.items[0]?.unitCost).toEqual({ minor: 210, currency: 'EUR' });
  });

  it('calls an image-only PDF unreadable, saying it has no text layer', async () => {
    const pdf = await scannedPdf(await invoicePdf({ number: 'INV-88', date: '2026-01-10', supplier: 'Acme', lines: [{ sku: 'SKU-1', description: 'Widget', qty: '40', price: '12.40' }] }));
    const f = await prepare(pdf, 'application/pdf', 'scan.pdf');
    expect(f.read.items).toEqual([]);
    expect(f.read.skipped).toEqual([{ line: 0, reason: expect.stringMatching(/no text layer/) }]);
    expect(statusOf(f.read)).toBe('unreadable');
  });

  it('calls a damaged PDF unreadable with the reason', async () => {
    const f = await prepare(csv('%PDF-1.7\nthis is not really a pdf'), 'application/pdf', 'broken.pdf');
    expect(statusOf(f.read)).toBe('unreadable');
    expect(f.read.skipped[0]?.reason).toMatch(/could not be opened/);
  });

  it('recognises a proof of delivery and its shipment id', async () => {
    const f = await prepare(await deliveryNotePdf({ shipmentId: 'FBA15XYZ0001', tracking: '1Z999AA10123456784', date: '2026-01-05' }), 'application/pdf', 'pod.pdf');
    expect(f.kind).toBe('proof_of_delivery');
    expect(f.read.items).toEqual([expect.objectContaining({ documentRef: '1Z999AA10123456784', date: '2026-01-05', raw: expect.objectContaining({ shipment_id: 'FBA15XYZ0001' }) })]);
  });
});
