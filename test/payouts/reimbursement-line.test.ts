import { describe, expect, it } from 'vitest';
import { isReversal, lineKey, parseReimbursementLine, payoutId } from '../../src/payouts/reimbursement-line.js';

const HEADER = 'approval-date\treimbursement-id\tcase-id\tamazon-order-id\treason\tsku\tfnsku\tcurrency-unit\tamount-per-unit\tamount-total\tquantity-reimbursed-cash\toriginal-reimbursement-id';

describe('a reimbursements report line', () => {
  it('reads the amount in minor units from amount-total, signed', () => {
    const r = parseReimbursementLine(HEADER, '2027-01-10T10:00:00+00:00\t9001\t1740001\t\tLost_Warehouse\tSKU-1\tX001\tUSD\t12.40\t37.20\t3\t', 7);
    expect(r).toMatchObject({ line: { reimbursementId: '9001', caseId: '1740001', orderId: null, sku: 'SKU-1', fnsku: 'X001', amountMinor: 3720, currency: 'USD', quantity: 3, lineSeq: 7 } });
    const rev = parseReimbursementLine(HEADER, '2027-01-12\t9002\t\t\tReimbursement_Reversal\tSKU-1\tX001\tUSD\t-12.40\t-37.20\t3\t9001', 8);
    expect('line' in rev && rev.line.amountMinor).toBe(-3720);
    expect('line' in rev && isReversal(rev.line)).toBe(true);
  });

  it('falls back to amount-per-unit × cash units when the total column is missing (older downloads)', () => {
    const header = HEADER.replace('\tamount-total', '');
    const r = parseReimbursementLine(header, '2027-01-10\t9003\t\t\tDamaged_Warehouse\tSKU-2\t\tJPY\t1500\t2\t', null);
    expect(r).toMatchObject({ line: { amountMinor: 3000, currency: 'JPY', caseId: null } });
  });

  it('reports lines it cannot credit instead of guessing', () => {
    expect(parseReimbursementLine(HEADER, '2027-01-10\t\t\t\tx\tS\t\tUSD\t1\t1\t1\t', null)).toEqual({ problem: 'no reimbursement-id' });
    expect(parseReimbursementLine(HEADER, '2027-01-10\t1\t\t\tx\tS\t\tDOLLARS\t1\t1\t1\t', null)).toMatchObject({ problem: expect.stringContaining('ISO 4217') });
    expect(parseReimbursementLine(HEADER, '2027-01-10\t1\t\t\tx\tS\t\tUSD\t1,00\t1,00\t1\t', null)).toEqual({ problem: 'no readable amount' });
  });

  it('names a payout the same whichever path saw it', () => {
    expect(payoutId('9001', lineKey({ sku: 'SKU-1', fnsku: 'X001', orderId: null }))).toBe('9001:SKU-1|X001|');
  });
});
