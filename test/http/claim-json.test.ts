// One JSON view of a claim (src/http/claim-json.ts): the list and the claim page say the same
// thing about the same claim, amounts in integer minor units with their currency.
import { describe, expect, it } from 'vitest';
import { claimDetailJson, claimJson } from '../../src/http/claim-json.js';
import type { ClaimRow } from '../../src/store/claim-rows.js';

const row: ClaimRow = {
  id: 'c-1',
  userId: 'alice',
  syncId: 'sync-1',
  type: 'lost_warehouse',
  status: 'held',
  amountMinor: 49_600,
  currency: 'USD',
  quantity: 40,
  deadline: '2026-03-31',
  confidence: 0.4,
  caseId: null,
  filingId: null,
  details: { detection_status: 'confirmed' },
  score: { missing: ['upload_invoice'], reasons: ['no invoice yet'] },
  createdAt: new Date('2026-01-02T03:04:05.000Z'),
  updatedAt: new Date('2026-01-03T03:04:05.000Z'),
};

describe('the JSON view of a claim', () => {
  it('shows a claim in a list with its amount in minor units and its currency', () => {
    expect(claimJson(row)).toEqual({
      id: 'c-1',
      type: 'lost_warehouse',
      status: 'held',
      quantity: 40,
      amount: { minor: 49_600, currency: 'USD' },
      confidence: 0.4,
      deadline: '2026-03-31',
      case_id: null,
      created_at: '2026-01-02T03:04:05.000Z',
    });
  });

  it('shows no amount while either the value or its currency is unknown', () => {
    expect(claimJson({ ...row, amountMinor: null }).amount).toBeNull();
    expect(claimJson({ ...row, currency: null }).amount).toBeNull();
    expect(claimJson({ ...row, amountMinor: 0 }).amount).toEqual({ minor: 0, currency: 'USD' });
  });

  it("shows the claim page everything the list shows, plus where it came from and who it waits for", () => {
    const detail = claimDetailJson(row);
    expect(detail).toMatchObject(claimJson(row));
    expect(detail).toMatchObject({
      user_id: 'alice',
      sync_id: 'sync-1',
      filing_id: null,
      score: row.score,
      details: row.details,
      waiting: { on: 'you', why: expect.stringContaining('the supplier invoice') },
      updated_at: '2026-01-03T03:04:05.000Z',
    });
    expect(claimDetailJson({ ...row, score: null, details: null })).toMatchObject({ score: null, details: null });
  });

  it("shows the lines a claim cites without their place in Clario's own table, which counts every seller's lines", () => {
    const sources = [
      { file: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', document_id: 'doc-1', line: 41, sync_id: 'sync-1', seq: 90_210 },
      { file: 'costs.csv', line: 2 },
    ];
    const details = { detection_status: 'confirmed', sources };
    expect(claimDetailJson({ ...row, details }).details).toEqual({
      detection_status: 'confirmed',
      sources: [{ file: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', document_id: 'doc-1', line: 41, sync_id: 'sync-1' }, { file: 'costs.csv', line: 2 }],
    });
    // The row itself keeps it (the proof packet reads by it).
    expect(sources[0]).toHaveProperty('seq', 90_210);
  });
});
