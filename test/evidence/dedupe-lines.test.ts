// The same invoice line proves its units once, however many files carry it: the invoice uploaded
// again with other bytes (CRLF line endings, its PDF beside its CSV) must not prove them twice.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currency, money } from '../../src/domain/money.js';
import { dedupeLines, unitsByFile } from '../../src/evidence/dedupe-lines.js';
import { scoreClaim, type EvidenceLine, type LinkedEvidence, type ScorableClaim } from '../../src/evidence/score-claim.js';
import { prepareFile } from '../../src/evidence/store-evidence.js';
import { invoicePdf } from './support/documents.js';

const USD = currency('USD');

const lost: ScorableClaim = {
  id: 'clm_1',
  type: 'lost_warehouse',
  sku: 'DL-1032-SAG-US',
  fnsku: 'X00DL1032',
  asin: null,
  quantity: 3,
  amount: money(3915, 'USD'),
  deadline: '2026-03-31',
  key: { fnsku: 'X00DL1032' },
  valuation: null,
};

/** A file's items as matching hands them to the scorer (ids as the database numbers them). */
async function linkedFile(fileId: string, filename: string, bytes: Uint8Array | string, declaredType: string, firstId: number): Promise<LinkedEvidence> {
  const p = await prepareFile({ filename, bytes: typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes, declaredType, defaultCurrency: USD });
  const items = p.read.items.map(({ raw: _raw, ...i }, n): EvidenceLine => ({ ...i, id: firstId + n }));
  return { fileId, filename, role: 'invoice', items };
}

const INVOICE = 'invoice number,supplier,seller-sku,description,quantity,unit cost\nINV-7001,Acme Lighting Ltd,DL-1032-SAG-US,Sage desk lamp,2,13.05\n';

describe('the same invoice in several files', () => {
  it('counts once when uploaded again with CRLF line endings: 2 units of a 3-unit claim, not 4', async () => {
    const inv = await linkedFile('evf_a', 'inv.csv', INVOICE, 'text/csv', 1);
    const copy = await linkedFile('evf_b', 'inv-copy.csv', INVOICE.replace(/\n/g, '\r\n'), 'text/csv', 2);
    const one = scoreClaim(lost, { links: [inv], confirmed: false });
    const both = scoreClaim(lost, { links: [inv, copy], confirmed: false });
    expect(both.reasons).toEqual([
      "Amazon's inventory ledger shows 3 units of DL-1032-SAG-US lost in its warehouse",
      'invoice INV-7001 covers 2 units of DL-1032-SAG-US at 13.05 USD, undated',
      'inv-copy.csv repeats 2 units of invoice INV-7001 already in inv.csv: counted once',
      'invoices cover 2 of the 3 units claimed',
      'the invoice unit cost 13.05 USD matches the claimed 13.05 USD',
    ]);
    expect(both.components.coverage).toBe(one.components.coverage);
    expect(both.components.coverage).toBeLessThan(0.2);
    expect(both.confidence).toBe(one.confidence);
    expect(both.missing).toContain('upload_invoice');
    expect([...unitsByFile(dedupeLines([inv, copy]))]).toEqual([['evf_a', 2]]);
  });

  it('counts once as a CSV and as the PDF of the same invoice, though each says what the other leaves out', async () => {
    // The CSV has no supplier and no date; the PDF has them, and its own product wording.
    const csv = await linkedFile('evf_a', 'inv.csv', 'Invoice,SKU,Qty,Price\nINV-7001,DL-1032-SAG-US,2,13.05\n', 'text/csv', 1);
    const pdf = await linkedFile(
      'evf_b',
      'inv.pdf',
      await invoicePdf({ number: 'INV-7001', date: '2026-01-05', supplier: 'ACME LIGHTING LTD.', lines: [{ sku: 'DL-1032-SAG-US', description: 'Desk lamp, sage (US plug)', qty: '2', price: '13.05' }] }),
      'application/pdf',
      2,
    );
    expect(pdf.items).toEqual([expect.objectContaining({ documentRef: 'INV-7001', supplier: 'ACME LIGHTING LTD.', sku: 'DL-1032-SAG-US', quantity: 2, date: '2026-01-05' })]);
    const s = scoreClaim(lost, { links: [csv, pdf], confirmed: false });
    // The PDF says more of the line, so it is the one counted (and dates it); the CSV repeats it.
    expect(s.reasons).toContain('invoice INV-7001 covers 2 units of DL-1032-SAG-US at 13.05 USD, dated before the loss');
    expect(s.reasons).toContain('inv.csv repeats 2 units of invoice INV-7001 already in inv.pdf: counted once');
    expect(s.reasons).toContain('invoices cover 2 of the 3 units claimed');
  });

  it('counts two suppliers\' invoices that share a number as two invoices', async () => {
    const a = await linkedFile('evf_a', 'acme.csv', INVOICE, 'text/csv', 1);
    const b = await linkedFile('evf_b', 'brightco.csv', INVOICE.replace('Acme Lighting Ltd', 'Brightco Imports'), 'text/csv', 2);
    const s = scoreClaim(lost, { links: [a, b], confirmed: false });
    expect(s.reasons).toContain('invoice INV-7001 covers 4 units of DL-1032-SAG-US at 13.05 USD, undated');
    expect(s.reasons.some((r) => r.includes('repeats'))).toBe(false);
    expect(s.components.coverage).toBe(0.2);
  });

  it('counts lines that differ in what they say (another unit cost, another date without a number) as different lines', () => {
    const line = (id: number, o: Partial<EvidenceLine>): EvidenceLine => ({ id, lineNo: 2, documentRef: null, supplier: null, sku: 'SKU-1', productName: null, quantity: 2, unitCost: money(1305, 'USD'), date: null, ...o });
    const file = (fileId: string, items: EvidenceLine[]): LinkedEvidence => ({ fileId, filename: `${fileId}.csv`, role: 'invoice', items });
    const units = (links: LinkedEvidence[]) => dedupeLines(links).reduce((n, p) => n + (p.line.quantity ?? 0), 0);
    expect(units([file('a', [line(1, {})]), file('b', [line(2, { unitCost: money(1400, 'USD') })])])).toBe(4);
    expect(units([file('a', [line(1, { date: '2026-01-05' })]), file('b', [line(2, { date: '2026-02-05' })])])).toBe(4);
    expect(units([file('a', [line(1, {})]), file('b', [line(2, { sku: 'SKU-2' })])])).toBe(4);
    expect(units([file('a', [line(1, {})]), file('b', [line(2, { quantity: 3 })])])).toBe(5);
    // The same invoice number and supplier is the same invoice, whatever date each copy was read with.
    expect(units([file('a', [line(1, { documentRef: 'INV-1', date: '2026-01-05' })]), file('b', [line(2, { documentRef: 'inv 1', date: '2026-01-06' })])])).toBe(2);
  });

  it('keeps a line an invoice lists twice, and a copy of that invoice adds nothing', () => {
    const line = (id: number): EvidenceLine => ({ id, lineNo: id, documentRef: 'INV-5', supplier: 'Acme', sku: 'SKU-1', productName: null, quantity: 2, unitCost: null, date: null });
    const twice: LinkedEvidence = { fileId: 'a', filename: 'a.csv', role: 'invoice', items: [line(1), line(2)] };
    const copy: LinkedEvidence = { fileId: 'b', filename: 'b.csv', role: 'invoice', items: [line(3), line(4)] };
    expect([...unitsByFile(dedupeLines([twice]))]).toEqual([['a', 4]]);
    expect([...unitsByFile(dedupeLines([twice, copy]))]).toEqual([['a', 4]]);
  });
});

describe('any set of copies of the same invoice lines', () => {
  const lineArb = fc.record({
    documentRef: fc.constantFrom('INV-1', 'INV-2'),
    supplier: fc.constantFrom('Acme', 'Brightco'),
    sku: fc.constantFrom('SKU-1', 'SKU-2'),
    productName: fc.constantFrom('Lamp', 'Shade'),
    quantity: fc.integer({ min: 1, max: 3 }),
    unitCost: fc.constantFrom(money(1305, 'USD'), money(1400, 'USD')),
    date: fc.constantFrom('2026-01-05', '2026-01-06'),
  });
  const FIELDS = ['documentRef', 'supplier', 'sku', 'productName', 'unitCost', 'date'] as const;
  // A copy: some of the lines (each at most once), in any order, each field possibly left out (a
  // CSV without that column, a PDF the reader read less of).
  const copyArb = (n: number) =>
    fc.record({
      picks: fc.shuffledSubarray([...Array(n).keys()]),
      dropped: fc.array(fc.subarray([...FIELDS]), { minLength: n, maxLength: n }),
    });
  const invoiceArb = fc.array(lineArb, { minLength: 1, maxLength: 6 }).chain((lines) =>
    fc.record({ lines: fc.constant(lines), copies: fc.array(copyArb(lines.length), { minLength: 1, maxLength: 5 }), whole: fc.nat({ max: 5 }) }),
  );

  it('never proves more units than one copy does, and proves all of them when one copy is whole', () => {
    fc.assert(
      fc.property(invoiceArb, ({ lines, copies, whole }) => {
        let id = 0;
        const links: LinkedEvidence[] = copies.map((c, f) => ({
          fileId: `evf_${f}`,
          filename: `copy-${f}.csv`,
          role: 'invoice',
          items: c.picks.map((n) => {
            const l: Record<string, unknown> = { id: ++id, lineNo: n + 2, ...lines[n]! };
            for (const k of c.dropped[n]!) l[k] = null;
            return l as unknown as EvidenceLine;
          }),
        }));
        // One of the files, anywhere among them, is the whole invoice as it was.
        const at = whole % (links.length + 1);
        links.splice(at, 0, { fileId: 'evf_whole', filename: 'inv.csv', role: 'invoice', items: lines.map((l, n) => ({ id: ++id, lineNo: n + 2, ...l })) });
        const invoiced = lines.reduce((n, l) => n + l.quantity, 0);
        const proven = [...unitsByFile(dedupeLines(links)).values()].reduce((a, b) => a + b, 0);
        expect(proven).toBe(invoiced);
        expect([...unitsByFile(dedupeLines(links.filter((l) => l.fileId !== 'evf_whole'))).values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(invoiced);
        // What the scorer makes of it: the coverage of the invoice alone.
        const claim: ScorableClaim = { ...lost, sku: 'SKU-1', quantity: invoiced * 2 };
        const alone = scoreClaim(claim, { links: [links[at]!], confirmed: false });
        expect(scoreClaim(claim, { links, confirmed: false }).components.coverage).toBe(alone.components.coverage);
      }),
      { numRuns: 500 },
    );
  });
});
