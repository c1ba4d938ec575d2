// What the claim page decides without a browser: which documents a held claim takes on its page,
// what an upload did for the claim, and a payout in words, with nothing unknown shown as "—".
import { describe, expect, it } from 'vitest';
import { amazonReimbursementId, documentsWanted, paidLine, paidShort, uploadOutcome } from '../../web/src/lib/claim-view.js';

describe("a held claim's uploads", () => {
  it('offers the documents its score misses, once each, only while the claim is held', () => {
    expect(documentsWanted('held', ['upload_invoice', 'confirm']).map((d) => d.kind)).toEqual(['invoice']);
    expect(documentsWanted('held', ['upload_proof_of_delivery', 'upload_invoice', 'upload_invoice']).map((d) => d.kind)).toEqual(['proof_of_delivery', 'invoice']);
    expect(documentsWanted('held', ['confirm'])).toEqual([]);
    expect(documentsWanted('held', null)).toEqual([]);
    // A prompted claim uploads on its smart prompt card; past filing it is too late.
    for (const status of ['prompted', 'ready', 'filed', 'paid', 'dismissed']) expect(documentsWanted(status, ['upload_invoice']), status).toEqual([]);
  });

  it('says which files now count for the claim, and why the others do not', () => {
    const f = (filename: string, status: string, matched: string[]) => ({ filename, status, matched_claims: matched });
    expect(uploadOutcome('c1', [f('inv.pdf', 'parsed', ['c1', 'c2'])])).toBe("Added inv.pdf to this claim's evidence; Clario has scored the claim again.");
    expect(uploadOutcome('c1', [f('other.pdf', 'parsed', ['c2'])])).toMatch(/^other\.pdf: stored, but nothing in it matches this claim .* so it does not count for this claim\.$/);
    expect(uploadOutcome('c1', [f('scan.pdf', 'unreadable', [])])).toMatch(/^scan\.pdf: Clario could not read any line items/);
  });
});

describe('a payout on the claim page', () => {
  it("is named by Amazon's reimbursement id, never Clario's payout key", () => {
    expect(amazonReimbursementId('9000000020:DL-1096-WHI-US|X003CQZN03|')).toBe('9000000020');
    expect(amazonReimbursementId('PAY-1')).toBe('PAY-1');
  });

  it('leaves out the units and the approval date when Amazon did not give them', () => {
    const r = { reimbursement_id: '9000000020', kind: 'reimbursement', amount: { minor: 2316, currency: 'USD' } };
    expect(paidLine({ ...r, quantity: null, approval_date: null })).toBe('Reimbursement 9000000020: $23.16');
    expect(paidLine({ ...r, quantity: 2, approval_date: '2026-11-20T00:00:00.000Z' })).toMatch(/^Reimbursement 9000000020: \$23\.16 for 2 units, approved \S.*2026$/);
    expect(paidLine({ ...r, kind: 'reversal', amount: { minor: -2316, currency: 'USD' }, quantity: -2, approval_date: null })).toBe('Reversal 9000000020: -$23.16 for 2 units');
  });
});

describe('a claim Amazon paid less than it asked', () => {
  const usd = (minor: number) => ({ minor, currency: 'USD' });
  const line = (minor: number, kind = 'reimbursement', currency = 'USD') => ({ reimbursement_id: 'r', kind, amount: { minor, currency }, approval_date: null });
  it('says what was paid of what was claimed, net of reversals', () => {
    expect(paidShort('paid', usd(2316), [line(1158)])).toBe('Amazon paid $11.58 of the $23.16 claimed: $11.58 less.');
    expect(paidShort('paid', usd(2316), [line(2316), line(-579, 'reversal')])).toBe('Amazon paid $17.37 of the $23.16 claimed: $5.79 less.');
  });
  it('says nothing when paid in full or more, not paid yet, or not comparable', () => {
    expect(paidShort('paid', usd(2316), [line(2316)])).toBeNull();
    expect(paidShort('paid', usd(2316), [line(2500)])).toBeNull();
    expect(paidShort('filed', usd(2316), [line(1158)])).toBeNull();
    expect(paidShort('paid', null, [line(1158)])).toBeNull();
    expect(paidShort('paid', usd(2316), [line(1158, 'reimbursement', 'CAD')])).toBeNull();
  });
});
