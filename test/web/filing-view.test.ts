// What the File today and case pages say, without a browser: cases grouped by seller in the
// order of their most pressing case, days left in words, the kit's fields by item, and what a
// pasted reply means for the seller.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountOf, bySeller, daysLeftText, fieldGroups, readingOf, reopeningPlace, urgency, type Reply } from '../../web/src/lib/filing.js';

describe('File today', () => {
  it('groups cases by seller, each seller where their most pressing case stands, keeping the order within', () => {
    const c = (id: string, user_id: string) => ({ id, user_id });
    const groups = bySeller([c('1', 'b'), c('2', 'a'), c('3', 'b'), c('4', 'c'), c('5', 'a')]);
    expect(groups.map((g) => [g.userId, g.cases.map((x) => x.id)])).toEqual([
      ['b', ['1', '3']],
      ['a', ['2', '5']],
      ['c', ['4']],
    ]);
  });

  it('loses and adds no case when grouping, whatever the sellers', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ id: fc.uuid(), user_id: fc.constantFrom('a', 'b', 'c', 'd') })), (cases) => {
        const flat = bySeller(cases).flatMap((g) => g.cases);
        expect(flat.map((x) => x.id).sort()).toEqual(cases.map((x) => x.id).sort());
        // Within a seller, the server's order (nearest deadline first) is kept.
        for (const g of bySeller(cases)) expect(g.cases).toEqual(cases.filter((x) => x.user_id === g.userId));
      }),
    );
  });

  it('says how many days are left, and how pressing that is', () => {
    expect(daysLeftText(5)).toBe('5 days left');
    expect(daysLeftText(1)).toBe('1 day left');
    expect(daysLeftText(0)).toBe('Due today');
    expect(daysLeftText(-2)).toBe('2 days late');
    expect(daysLeftText(null)).toBe('No deadline');
    expect([urgency(-1), urgency(0), urgency(2), urgency(7), urgency(8), urgency(null)]).toEqual(['late', 'soon', 'soon', 'near', 'later', 'later']);
  });

  it("reads the filing endpoints' amounts", () => {
    expect(amountOf({ amount_minor: 1234, currency: 'USD' })).toEqual({ minor: 1234, currency: 'USD' });
    expect(amountOf(null)).toBeNull();
  });
});

describe('the case kit', () => {
  it("puts the case's own fields first, then one group per item in the case's order", () => {
    const fields = [
      { claim_id: 'c2', label: 'FNSKU', value: 'X2' },
      { claim_id: null, label: 'Shipment ID', value: 'FBA1' },
      { claim_id: 'c1', label: 'FNSKU', value: 'X1' },
      { claim_id: 'c1', label: 'Quantity', value: '3' },
    ];
    const groups = fieldGroups(fields, ['c1', 'c2']);
    expect(groups.map((g) => [g.title, g.fields.map((f) => f.value)])).toEqual([
      ['The case', ['FBA1']],
      ['Item 1 of 2', ['X1', '3']],
      ['Item 2 of 2', ['X2']],
    ]);
    expect(fieldGroups([{ claim_id: 'c1', label: 'FNSKU', value: 'X1' }], ['c1']).map((g) => g.title)).toEqual(['The item']);
    expect(fieldGroups([], ['c1'])).toEqual([]);
  });
});

describe('a reopening', () => {
  it("goes on Amazon's case in the Case Log of the kit's own Seller Central site", () => {
    const where = reopeningPlace('17412345678', 'https://sellercentral.amazon.de/help/hub/reference/external/G201214140');
    expect(where.place).toBe('Case Log › case 17412345678 › Reply');
    expect(where.url).toBe('https://sellercentral.amazon.de/cu/case-lobby');
    expect(where.steps.join(' ')).toContain('17412345678');
    expect(reopeningPlace('1', 'not a url').url).toBe('https://sellercentral.amazon.com/cu/case-lobby');
  });
});

describe("reading Amazon's reply", () => {
  const reply = (r: Partial<Reply>): Reply => ({
    id: 'r1', received_at: '2026-12-01T00:00:00Z', text: '…', outcome: 'unclear', amount: null, reimbursement_ids: [], reason_code: null, needs: [], ...r,
  });

  it('names the amount and the reimbursement of an approval, and says the fee follows', () => {
    const r = readingOf(reply({ outcome: 'approved', amount: { amount_minor: 4250, currency: 'USD' }, reimbursement_ids: ['2953837461'] }));
    expect(r.headline).toBe('Approved: $42.50 (reimbursement 2953837461)');
    expect(r.next).toContain('fee');
  });

  it('says what a rejection asks for and where the seller answers it', () => {
    const r = readingOf(reply({ outcome: 'rejected', reason_code: 'missing_invoice', needs: ['upload_invoice'] }));
    expect(r.headline).toBe('Rejected: missing invoice');
    expect(r.next).toContain('a supplier invoice');
    expect(r.next).toContain('Smart prompts');
    expect(readingOf(reply({ outcome: 'rejected' })).next).toContain('closed');
  });

  it('changes nothing when the text is neither an approval nor a rejection', () => {
    expect(readingOf(reply({})).headline).toBe('Not clear yet');
    expect(readingOf(reply({})).next).toContain('nothing changes');
  });
});
