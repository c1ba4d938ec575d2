// The case kit, pure: for every claim type a place in Seller Central with steps and a link, the
// fields its form asks for whenever the claim has them, and a case text that never leaks Clario's
// internals (its file names, line numbers, claim ids, report document ids). Property-style over
// every claim type and open-ended claim details.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLAIM_TYPES, type ClaimType } from '../../src/detection/types.js';
import { caseKit } from '../../src/filing/case-kit.js';
import { claimFacts } from '../../src/filing/claim-facts.js';
import { evidenceEntryNames, safeFileName } from '../../src/filing/evidence-names.js';
import { filingPlace, placeName, sellerCentralHost } from '../../src/filing/filing-places.js';
import { formLabels, kitFields } from '../../src/filing/kit-fields.js';
import { reportLinesCsv } from '../../src/filing/report-lines-csv.js';
import { SOURCE_FILE_NAMES } from '../../src/filing/report-names.js';
import { writeCase, type CaseClaim, type CaseEvidence } from '../../src/filing/write-case.js';

type Details = Record<string, any>;

/**
 * What each type's form must show when the claim has it, stated here apart from the code: the
 * label Amazon's form uses and where the claim keeps the value.
 */
const REQUIRED: Readonly<Record<ClaimType, ReadonlyArray<readonly [string, (d: Details) => unknown]>>> = {
  lost_warehouse: [['Transaction Item ID', (d) => d.filing?.transaction_item_id], ['FNSKU', (d) => d.fnsku], ['Fulfillment center', (d) => d.filing?.fulfillment_center], ['Event date', (d) => d.filing?.event_date]],
  damaged_warehouse: [['Transaction Item ID', (d) => d.filing?.transaction_item_id], ['FNSKU', (d) => d.fnsku], ['Fulfillment center', (d) => d.filing?.fulfillment_center]],
  inbound_shortage: [['Shipment ID', (d) => d.key?.shipment_id], ['MSKU', (d) => d.sku]],
  refund_not_returned: [['Order ID', (d) => d.key?.order_id], ['Refund date', (d) => d.filing?.event_date]],
  return_damaged: [['Order ID', (d) => d.key?.order_id], ['Return date', (d) => d.filing?.return_date], ['Fulfillment center', (d) => d.filing?.fulfillment_center]],
  replacement_not_returned: [['Order ID', (d) => d.key?.order_id], ['Replacement order ID', (d) => d.filing?.replacement_order_id]],
  removal_shortfall: [['Removal order ID', (d) => d.key?.removal_order_id], ['FNSKU', (d) => d.fnsku]],
  removal_lost_in_transit: [['Removal order ID', (d) => d.key?.removal_order_id], ['Tracking number', (d) => d.key?.tracking_number], ['Carrier', (d) => d.filing?.carrier]],
  fee_overcharge: [['MSKU', (d) => d.sku], ['ASIN', (d) => d.asin]],
  underpaid_reimbursement: [['Reimbursement ID', (d) => d.key?.reimbursement_id]],
  reimbursement_reversal: [['Reimbursement ID', (d) => d.key?.reimbursement_id], ['Original reimbursement ID', (d) => d.filing?.original_reimbursement_id]],
};

// Ids as Amazon writes them: upper-case letters and digits. Clario's own ids below are lower-case
// with a prefix, so a leak cannot be a coincidence of the generators.
const amazonId = fc.stringMatching(/^[A-Z0-9]{4,12}$/);
const day = fc.integer({ min: 20_000, max: 21_000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const currency = fc.constantFrom('USD', 'GBP', 'EUR', 'CAD', 'JPY');

const source = fc.record({
  file: fc.constantFrom(...SOURCE_FILE_NAMES),
  document_id: maybe(fc.stringMatching(/^amzn1\.tortuga\.[a-f0-9]{8}$/)),
  line: fc.integer({ min: 1, max: 5000 }),
  sync_id: maybe(fc.stringMatching(/^sync_[a-f0-9]{8}$/)),
});

const claimOf = (type: ClaimType) =>
  fc
    .record({
      id: fc.stringMatching(/^clm_[a-f0-9]{12}$/),
      quantity: fc.integer({ min: 1, max: 40 }),
      amountMinor: fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: null }),
      currency,
      sku: maybe(amazonId),
      fnsku: maybe(amazonId),
      asin: maybe(amazonId),
      key: fc.record({
        reference_id: maybe(amazonId),
        shipment_id: maybe(amazonId),
        order_id: maybe(amazonId),
        removal_order_id: maybe(amazonId),
        tracking_number: maybe(amazonId),
        reimbursement_id: maybe(amazonId),
      }),
      filing: fc.record({
        event_date: day,
        transaction_item_id: maybe(amazonId),
        fulfillment_center: maybe(amazonId),
        disposition: maybe(fc.constantFrom('SELLABLE', 'DEFECTIVE', 'CARRIER_DAMAGED')),
        replacement_order_id: maybe(amazonId),
        carrier: maybe(fc.constantFrom('UPS', 'USPS', 'DHL')),
        return_date: maybe(day),
        original_reimbursement_id: maybe(amazonId),
        original_approval_date: maybe(day),
      }),
      sources: fc.array(source, { maxLength: 6 }),
    })
    .map(
      (r): CaseClaim => ({
        id: r.id,
        type,
        quantity: r.quantity,
        amountMinor: r.amountMinor,
        currency: r.currency,
        deadline: '2027-03-01',
        details: JSON.parse(JSON.stringify({ sku: r.sku, fnsku: r.fnsku, asin: r.asin, key: r.key, filing: r.filing, sources: r.sources })) as Details,
      }),
    );

const caseOf = fc.constantFrom(...CLAIM_TYPES).chain((type) => fc.tuple(fc.constant(type), fc.array(claimOf(type), { minLength: 1, maxLength: 5 })));

const evidence = (claimId: string, i: number): CaseEvidence => ({
  claimId,
  fileId: `evf_${i}`,
  filename: `Invoice ${i}.pdf`,
  contentType: 'application/pdf',
  kind: i % 2 ? 'invoice' : 'proof_of_delivery',
  sha256: 'a'.repeat(64),
  sizeBytes: 100,
});

describe('where to file each claim type', () => {
  it('every claim type has a place, steps and a Seller Central link on its marketplace\'s site', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CLAIM_TYPES), currency, (type, cur) => {
        const where = filingPlace(type, cur);
        expect(where.place.length).toBeGreaterThan(0);
        expect(where.place).toBe(placeName(type));
        expect(where.steps.length).toBeGreaterThanOrEqual(3);
        expect(where.url.startsWith(`https://${sellerCentralHost(cur)}/`)).toBe(true);
      }),
    );
  });

  it('sends each kind of claim where Amazon takes it', () => {
    expect(placeName('lost_warehouse')).toBe('Inventory Defect & Reimbursement › Eligible for claim');
    expect(placeName('damaged_warehouse')).toBe('Inventory Defect & Reimbursement › Eligible for claim');
    expect(placeName('return_damaged')).toBe('Inventory Defect & Reimbursement › Eligible for claim');
    expect(placeName('inbound_shortage')).toMatch(/Reconcile.*Research missing units/);
    expect(placeName('removal_lost_in_transit')).toMatch(/^Contact Us.*Removal order/);
    expect(placeName('fee_overcharge')).toMatch(/^Contact Us.*FBA fees/);
    expect(placeName('reimbursement_reversal')).toMatch(/^Contact Us.*Reimbursement/);
    expect(filingPlace('damaged_warehouse', 'USD').steps.join(' ')).toContain('Transaction Item ID');
    expect(filingPlace('fee_overcharge', 'USD').steps.join(' ')).toContain('one claim per fee charge');
  });

  it('picks the marketplace\'s site by currency, the US site when unknown', () => {
    expect(sellerCentralHost('USD')).toBe('sellercentral.amazon.com');
    expect(sellerCentralHost('GBP')).toBe('sellercentral.amazon.co.uk');
    expect(sellerCentralHost('EUR')).toBe('sellercentral.amazon.de');
    expect(sellerCentralHost('JPY')).toBe('sellercentral.amazon.co.jp');
    expect(sellerCentralHost(null)).toBe('sellercentral.amazon.com');
    expect(sellerCentralHost('XAU')).toBe('sellercentral.amazon.com');
  });

  it('still answers for a claim type this version does not know', () => {
    expect(filingPlace('some_new_type', 'USD').url).toBe('https://sellercentral.amazon.com/cu/contact-us');
  });
});

describe('what the form asks for', () => {
  it('gives every field the type\'s form asks for whenever the claim has it, and only form fields', () => {
    fc.assert(
      fc.property(caseOf, ([type, claims]) => {
        const fields = kitFields(type, claims.map((c) => ({ id: c.id, facts: claimFacts(c) })));
        const labels = new Set([...formLabels(type), 'Total amount requested']);
        for (const f of fields) {
          expect(labels.has(f.label)).toBe(true);
          expect(f.value).not.toBe('');
        }
        for (const c of claims) {
          const own = fields.filter((f) => f.claim_id === c.id || f.claim_id === null);
          for (const [label, value] of REQUIRED[type]) {
            const v = value(c.details as Details);
            if (typeof v === 'string') expect(own).toContainEqual(expect.objectContaining({ label, value: v }));
          }
          expect(own.some((f) => f.label === 'Quantity' && f.value === String(c.quantity))).toBe(true);
          if (c.amountMinor !== null) expect(own.some((f) => f.label === 'Amount requested')).toBe(true);
        }
      }),
    );
  });

  it('gives a shipment shared by the whole case once, and the total', () => {
    const claim = (id: string, sku: string): CaseClaim => ({
      id,
      type: 'inbound_shortage',
      quantity: 2,
      amountMinor: 1000,
      currency: 'USD',
      deadline: null,
      details: { sku, key: { shipment_id: 'FBA15Q6QQ08T', sku }, filing: { event_date: '2027-01-02', shipment_id: 'FBA15Q6QQ08T' } },
    });
    const fields = kitFields('inbound_shortage', [claim('a', 'S1'), claim('b', 'S2')].map((c) => ({ id: c.id, facts: claimFacts(c) })));
    expect(fields.filter((f) => f.label === 'Shipment ID')).toEqual([{ claim_id: null, label: 'Shipment ID', value: 'FBA15Q6QQ08T' }]);
    expect(fields).toContainEqual({ claim_id: 'b', label: 'MSKU', value: 'S2' });
    expect(fields).toContainEqual({ claim_id: null, label: 'Total amount requested', value: '20.00 USD' });
  });

  it('reads a ledger day in the key as no Transaction Item ID', () => {
    const c: CaseClaim = { id: 'x', type: 'lost_warehouse', quantity: 1, amountMinor: null, currency: null, deadline: null, details: { fnsku: 'X1', key: { fnsku: 'X1', reference_id: '2027-01-02' } } };
    expect(kitFields('lost_warehouse', [{ id: 'x', facts: claimFacts(c) }]).map((f) => f.label)).toEqual(['FNSKU', 'Quantity']);
  });
});

describe('the case text', () => {
  it('never names a Clario file, a line number, a claim id or a report document id, whatever the claim', () => {
    fc.assert(
      fc.property(caseOf, fc.boolean(), ([, claims], attach) => {
        const files = attach ? claims.map((c, i) => evidence(c.id, i)) : [];
        const { subject, body } = writeCase(claims, files, (id) => `/files/${id}`);
        const text = `${subject}\n${body}`;
        for (const name of SOURCE_FILE_NAMES) expect(text).not.toContain(name);
        expect(text.toLowerCase()).not.toContain('line ');
        expect(text).not.toMatch(/clm_|amzn1\.tortuga|sync_|clario/i);
        for (const c of claims) expect(text).not.toContain(c.id);
      }),
    );
  });

  it('is the same text for the same claims (a retried filing sends the same body)', () => {
    fc.assert(
      fc.property(caseOf, ([, claims]) => {
        expect(writeCase(claims, [], String).body).toBe(writeCase(structuredClone(claims), [], String).body);
      }),
    );
  });

  it('names each report as Amazon does and states each type in its own terms', () => {
    const base = { quantity: 1, amountMinor: 1999, currency: 'USD', deadline: null };
    const text = (type: string, details: Details) => writeCase([{ id: 'clm_x', type, ...base, details }], [], String).body;
    expect(text('removal_lost_in_transit', { sku: 'S', fnsku: 'F', key: { removal_order_id: 'RMV1', tracking_number: '1Z9' }, filing: { event_date: '2027-01-05', carrier: 'UPS', tracking_number: '1Z9' }, sources: [{ file: 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv', line: 3 }] })).toContain(
      'Removal order RMV1, FNSKU F (MSKU S): 1 unit shipped on 2027-01-05 with UPS, tracking number 1Z9, never delivered to me.\n   Shown in: Removal Shipment Detail.',
    );
    expect(text('reimbursement_reversal', { sku: 'S', key: { reimbursement_id: 'R2' }, filing: { event_date: '2027-01-09', original_reimbursement_id: 'R1', original_approval_date: '2026-12-01' }, sources: [{ file: 'GET_FBA_REIMBURSEMENTS_DATA.tsv', line: 9 }, { file: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', line: 2 }] })).toContain(
      'Reimbursement R2 of 2027-01-09 reversed reimbursement R1 (approved 2026-12-01) for 1 unit of MSKU S; the Inventory Ledger shows none of the units found in between.\n   Shown in: Reimbursements; Inventory Ledger (detailed view).',
    );
    expect(text('replacement_not_returned', { sku: 'S', key: { order_id: '111-1' }, filing: { event_date: '2027-01-05', order_id: '111-1', replacement_order_id: '111-2' }, sources: [{ file: 'GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA.tsv', line: 3 }] })).toContain(
      'Order 111-1, MSKU S: a replacement (order 111-2) was shipped on 2027-01-05 and the original 1 unit never came back.',
    );
  });
});

describe('the kit', () => {
  it('puts where, fields, text and the evidence download together, with the files named as in the zip', () => {
    const claim: CaseClaim = { id: 'clm_1', type: 'damaged_warehouse', quantity: 1, amountMinor: 500, currency: 'GBP', deadline: null, details: { fnsku: 'X1', key: { fnsku: 'X1', reference_id: 'T9' }, filing: { event_date: '2027-01-02', transaction_item_id: 'T9' } } };
    const files = [evidence('clm_1', 1), { ...evidence('clm_1', 2), filename: 'invoice 1.PDF' }];
    const kit = caseKit('fil_abc', [claim], files, (id) => `/f/${id}`);
    expect(kit.claim_type).toBe('damaged_warehouse');
    expect(kit.where.url).toMatch(/^https:\/\/sellercentral\.amazon\.co\.uk\//);
    expect(kit.fields[0]).toEqual({ claim_id: 'clm_1', label: 'Transaction Item ID', value: 'T9' });
    expect(kit.text).toBe(writeCase([claim], files, (id) => `/f/${id}`).body);
    expect(kit.evidence_url).toBe('/api/v1/filings/fil_abc/evidence.zip');
    expect(kit.evidence_files).toEqual([
      { name: 'Invoice 1.pdf', kind: 'invoice' },
      { name: 'invoice 1 (2).PDF', kind: 'proof_of_delivery' },
    ]);
  });
});

describe('evidence names in the zip', () => {
  it('keeps only a safe file name: no folders, no dot files, nothing hostile', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\inv.pdf')).toBe('inv.pdf');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('a\u0000b;rm -rf.pdf')).toBe('a_b_rm -rf.pdf');
    expect(safeFileName(`${'x'.repeat(300)}.pdf`)).toHaveLength(100);
  });

  it('gives every file a unique name, whatever names were uploaded', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 12 }), (names) => {
        const files = names.map((filename, i) => ({ fileId: `f${i}`, filename }));
        const out = [...evidenceEntryNames(files).values()];
        expect(new Set(out.map((n) => n.toLowerCase())).size).toBe(out.length);
        for (const n of out) expect(n.split('').some((ch) => ch < ' ' || ch === '/' || ch === '\\') || n.startsWith('.') || n === '').toBe(false);
      }),
    );
  });
});

describe('the report lines CSV', () => {
  it('puts each line under its report\'s own columns, with the report\'s name and the case item', () => {
    const csv = reportLinesCsv([
      { item: 1, file: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', header: 'Date\tFNSKU\tEvent Type\tQuantity', text: '2027-01-02\tX1\tAdjustments\t-2' },
      { item: 2, file: 'GET_FBA_REIMBURSEMENTS_DATA.tsv', header: 'approval-date\treimbursement-id\tfnsku', text: '2027-01-09\t555\tX1' },
      { item: 2, file: 'inbound-shipments.json', header: null, text: 'items\t{"ShipmentId":"FBA1","QuantityShipped":5}' },
      { item: 3, file: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', header: 'Date', text: null },
      { item: 3, file: 'costs.csv', header: 'sku,manufacturing_cost,currency', text: '=HYPERLINK("x"),4.10,USD' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'Case item,Report,Date,FNSKU,Event Type,Quantity,approval-date,reimbursement-id,fnsku,ShipmentId,QuantityShipped,sku,manufacturing_cost,currency',
      '1,Inventory Ledger (detailed view),2027-01-02,X1,Adjustments,-2,,,,,,,,',
      '2,Reimbursements,,,,,2027-01-09,555,X1,,,,,',
      '2,Shipments (Send to Amazon),,,,,,,,FBA1,5,,,',
      `3,Manufacturing cost (seller records),,,,,,,,,,"'=HYPERLINK(""x"")",4.10,USD`,
      '',
    ]);
  });
});
