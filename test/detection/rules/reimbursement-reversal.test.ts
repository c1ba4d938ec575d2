import { describe, expect, it } from 'vitest';
import { detectFromRows } from '../../../src/detection/index.js';
import { ago, AS_OF, ledger, reimbursement, run } from '../support/rows.js';

const original = (daysAgo: number, id = 'R-1') => reimbursement({ date: ago(daysAgo), id, reason: 'Lost_Warehouse', perUnit: '12.00', cash: 2 });
const reversal = (daysAgo: number, extra: Partial<Parameters<typeof reimbursement>[0]> = {}) =>
  reimbursement({ date: ago(daysAgo), id: 'REV-1', reason: 'Reimbursement_Reversal', original: 'R-1', perUnit: '12.00', cash: -2, total: '-24.00', ...extra });
const foundRow = (daysAgo: number, reason = 'F') => ledger({ date: ago(daysAgo), qty: 2, reason });

describe('reimbursement_reversal', () => {
  it('claims the amount Amazon took back for units the ledger never shows as found, due 60 days after the reversal', async () => {
    const claims = await run('reimbursement_reversal', { reimbursements: [{ ...original(40), source: { file: 'reimbursements.tsv', line: 4 } }, reversal(20, { line: 9, order: '111-1' })], ledger: [] });
    expect(claims).toEqual([
      {
        type: 'reimbursement_reversal',
        status: 'eligible',
        sku: 'SKU-1',
        fnsku: 'X001',
        quantity: 2,
        amount: { minor: 2400, currency: 'USD' },
        deadline: ago(20 - 60),
        key: { reimbursement_id: 'REV-1' },
        sources: [
          { file: 'reimbursements.tsv', line: 4 },
          { file: 'reimbursements.tsv', line: 9 },
        ],
        filing: { event_date: ago(20), order_id: '111-1', original_reimbursement_id: 'R-1', original_approval_date: ago(40) },
      },
    ]);
  });

  it('a found row (F or N) between the two approvals, both days included, means the reversal stands', async () => {
    for (const day of [40, 30, 20]) {
      expect(await run('reimbursement_reversal', { reimbursements: [original(40), reversal(20)], ledger: [foundRow(day)] })).toEqual([]);
    }
    expect(await run('reimbursement_reversal', { reimbursements: [original(40), reversal(20)], ledger: [foundRow(30, 'N')] })).toEqual([]);
  });

  it('a find the day before the original, the day after the reversal, or of another FNSKU does not', async () => {
    for (const row of [foundRow(41), foundRow(19), ledger({ date: ago(30), qty: 2, reason: 'F', fnsku: 'X999', sku: 'SKU-9' })]) {
      const claims = await run('reimbursement_reversal', { reimbursements: [original(40), reversal(20)], ledger: [row] });
      expect(claims.map((c) => c.key.reimbursement_id)).toEqual(['REV-1']);
    }
  });

  it('a reversal naming no reimbursement of this seller is not claimed, whichever order the lines come in', async () => {
    expect(await run('reimbursement_reversal', { reimbursements: [reversal(20)], ledger: [] })).toEqual([]);
    expect(await run('reimbursement_reversal', { reimbursements: [reversal(20, { original: 'R-OTHER' }), original(40)], ledger: [] })).toEqual([]);
    const originalAfter = await run('reimbursement_reversal', { reimbursements: [reversal(20), original(40)], ledger: [] });
    expect(originalAfter.map((c) => c.key.reimbursement_id)).toEqual(['REV-1']);
  });

  it('values the reversal from amount-total, else from amount per unit × units', async () => {
    const noTotal = await run('reimbursement_reversal', {
      reimbursements: [original(40), reimbursement({ date: ago(20), id: 'REV-1', reason: 'Reimbursement_Reversal', original: 'R-1', perUnit: '-11.50', cash: -2 })],
      ledger: [],
    });
    expect(noTotal.map((c) => [c.quantity, c.amount])).toEqual([[2, { minor: 2300, currency: 'USD' }]]);
  });

  it('is expired 61 days after the reversal, eligible on the 60th', async () => {
    expect((await run('reimbursement_reversal', { reimbursements: [original(90), reversal(60)], ledger: [] }))[0]?.status).toBe('eligible');
    expect((await run('reimbursement_reversal', { reimbursements: [original(90), reversal(61)], ledger: [] }))[0]?.status).toBe('expired');
  });

  it('is not looked for without the ledger', async () => {
    const result = await detectFromRows({ reimbursements: [original(40), reversal(20)] }, { asOf: AS_OF, types: ['reimbursement_reversal'] });
    expect(result.claims).toEqual([]);
    expect(result.notLookedFor).toEqual([{ type: 'reimbursement_reversal', missing: ['ledger'] }]);
  });
});
