import { describe, expect, it } from 'vitest';
import { filingId, planCases, type ReadyClaim } from '../../src/filing/plan-cases.js';
import { CLAIM_TYPES } from '../../src/detection/types.js';
import { countedWords, writeCase } from '../../src/filing/write-case.js';

const claim = (id: string, deadline: string | null, type = 'lost_warehouse', shipmentId?: string): ReadyClaim => ({ id, type, deadline, shipmentId });

describe('pacing', () => {
  it('puts at most N claims of one type in a case', () => {
    const claims = Array.from({ length: 7 }, (_, i) => claim(`c${i}`, `2027-01-${String(10 + i).padStart(2, '0')}`));
    const plan = planCases(claims, { maxItemsPerCase: 3, casesLeft: 10 });
    expect(plan.map((p) => p.claimIds)).toEqual([['c0', 'c1', 'c2'], ['c3', 'c4', 'c5'], ['c6']]);
  });

  it('opens at most M cases, and the nearest deadlines get them', () => {
    const claims = [claim('late', '2027-03-01'), claim('soon', '2027-01-05', 'damaged_warehouse'), claim('unknown', null, 'fee_overcharge'), claim('mid', '2027-02-01', 'removal_shortfall')];
    const plan = planCases(claims, { maxItemsPerCase: 5, casesLeft: 2 });
    expect(plan.map((p) => p.claimIds)).toEqual([['soon'], ['mid']]);
    expect(planCases(claims, { maxItemsPerCase: 5, casesLeft: 0 })).toEqual([]);
  });

  it('never mixes claim types, and keeps inbound shortages of one shipment together', () => {
    const claims = [
      claim('a', '2027-01-01', 'inbound_shortage', 'FBA1'),
      claim('b', '2027-01-02', 'inbound_shortage', 'FBA2'),
      claim('c', '2027-01-03', 'inbound_shortage', 'FBA1'),
      claim('d', '2027-01-04', 'lost_warehouse'),
      claim('e', '2027-01-05', 'damaged_warehouse'),
      claim('f', '2027-01-06', 'lost_warehouse'),
    ];
    const plan = planCases(claims, { maxItemsPerCase: 5, casesLeft: 10 });
    expect(plan.map((p) => [p.type, p.shipmentId, p.claimIds])).toEqual([
      ['inbound_shortage', 'FBA1', ['a', 'c']],
      ['inbound_shortage', 'FBA2', ['b']],
      ['lost_warehouse', undefined, ['d', 'f']],
      ['damaged_warehouse', undefined, ['e']],
    ]);
  });

  it('never mixes currencies (marketplaces) in one case', () => {
    const claims: ReadyClaim[] = [
      { ...claim('us1', '2027-01-01'), currency: 'USD' },
      { ...claim('ca1', '2027-01-02'), currency: 'CAD' },
      { ...claim('us2', '2027-01-03'), currency: 'USD' },
    ];
    expect(planCases(claims, { maxItemsPerCase: 5, casesLeft: 10 }).map((p) => p.claimIds)).toEqual([['us1', 'us2'], ['ca1']]);
  });

  it('names a filing by its claims, whatever their order', () => {
    expect(filingId('u', ['b', 'a'])).toBe(filingId('u', ['a', 'b']));
    expect(filingId('u', ['a'])).not.toBe(filingId('u', ['a', 'b']));
    expect(filingId('u', ['a'])).not.toBe(filingId('v', ['a']));
  });
});

describe('the case text', () => {
  it('states the claim facts in Amazon\'s terms, the reports they rest on, and the evidence', () => {
    const written = writeCase(
      [
        {
          id: 'clm_1',
          type: 'lost_warehouse',
          quantity: 3,
          amountMinor: 3720,
          currency: 'USD',
          deadline: '2027-02-01',
          details: {
            sku: 'MSKU-A',
            fnsku: 'X00A',
            asin: 'B0A',
            key: { fnsku: 'X00A', reference_id: '4511337' },
            filing: { event_date: '2026-12-20', transaction_item_id: '4511337', fulfillment_center: 'PHX7' },
            sources: [{ file: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', document_id: 'DOC-9', line: 42 }],
          },
        },
      ],
      [{ claimId: 'clm_1', fileId: 'ev_1', filename: 'INV-88.pdf', contentType: 'application/pdf', kind: 'invoice', sha256: 'abc', sizeBytes: 10 }],
      (id) => `/files/${id}`,
    );
    expect(written.subject).toBe('Reimbursement request: 3 units lost in a fulfillment center, SKU MSKU-A (FNSKU X00A)');
    expect(written.body).toContain('1. FNSKU X00A (MSKU MSKU-A, ASIN B0A): 3 units reported lost at PHX7 on 2026-12-20, Transaction Item ID 4511337.');
    expect(written.body).toContain('Shown in: Inventory Ledger (detailed view).');
    expect(written.body).toContain('Amount requested: 37.20 USD.');
    expect(written.body).not.toMatch(/GET_LEDGER|DOC-9|line 42|clm_1/);
    expect(written.body).toContain('- INV-88.pdf (supplier invoice)');
    expect(written.body).toContain('Total requested: 37.20 USD.');
    expect(written.attachments).toEqual([{ file_id: 'ev_1', filename: 'INV-88.pdf', content_type: 'application/pdf', kind: 'invoice', sha256: 'abc', size_bytes: 10, download_url: '/files/ev_1' }]);
    expect(written.items).toEqual([{ claim_id: 'clm_1', claim_type: 'lost_warehouse', sku: 'MSKU-A', fnsku: 'X00A', asin: 'B0A', quantity: 3, amount_minor: 3720, currency: 'USD' }]);
  });
});

describe('the case subject', () => {
  const refund = (id: string, orderId: string, quantity: number) => ({
    id,
    type: 'refund_not_returned',
    quantity,
    amountMinor: 6199 * quantity,
    currency: 'USD',
    deadline: '2027-02-01',
    details: { sku: 'MSKU-R', fnsku: 'X00R', key: { order_id: orderId, sku: 'MSKU-R' } },
  });

  it('counts SKUs and orders: three refunds of one SKU are one SKU, four units, three orders', () => {
    const written = writeCase([refund('r1', '111-1', 2), refund('r2', '111-2', 1), refund('r3', '111-3', 1)], [], (id) => id);
    expect(written.subject).toBe('Reimbursement request: SKU MSKU-R (FNSKU X00R), 4 units refunded to customers and never returned in 3 orders');
    expect(written.body).toContain('Please investigate and reimburse the following 3 items');
    expect(written.body).toContain('2. Order 111-2, FNSKU X00R (MSKU MSKU-R): 1 unit refunded to the customer');
  });

  it('says "unit" for one', () => {
    expect(writeCase([refund('r1', '111-1', 1)], [], (id) => id).subject).toBe('Reimbursement request: 1 unit refunded to a customer and never returned, SKU MSKU-R (FNSKU X00R)');
  });

  it('counts the items of every claim type in words that agree with the count', () => {
    // A subject is pasted into Seller Central: "2 a reimbursement taken back…" and "1 replacements…" were.
    for (const type of CLAIM_TYPES) {
      expect(countedWords(type, 1), type).toMatch(/^1 (unit|replacement) (?!.*\b(they|their)\b)/);
      expect(countedWords(type, 2), type).toMatch(/^2 (units|replacements) (?!.*\b(it|its)\b)/);
    }
    const reversal = { ...refund('v1', '111-9', 2), type: 'reimbursement_reversal' };
    expect(writeCase([reversal], [], (id) => id).subject).toBe(
      'Reimbursement request: 2 units whose reimbursement was taken back though they were never found, SKU MSKU-R (FNSKU X00R)',
    );
    expect(countedWords('replacement_not_returned', 1)).toBe('1 replacement whose original unit was never returned');
    expect(countedWords('some_new_type', 1)).toBe('1 unit (some new type)');
  });
});
