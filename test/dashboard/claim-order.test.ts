// The claims table's default order and the "who is it waiting for" line, without a database.
import { describe, expect, it } from 'vitest';
import type { ClaimStatus } from '../../src/domain/claim-status.js';
import { actionRank } from '../../src/dashboard/claim-order.js';
import { waitingFor } from '../../src/domain/claim-waiting.js';

describe('what the seller can act on comes first', () => {
  const today = '2026-12-06';
  const order = (xs: Array<[string, ClaimStatus, string | null]>) =>
    [...xs]
      .sort(([, s1, d1], [, s2, d2]) => actionRank(s1, d1, today) - actionRank(s2, d2, today) || (d1 ?? '9999').localeCompare(d2 ?? '9999'))
      .map(([id]) => id);

  it('puts prompted and held claims first, nearest deadline first, and expired claims last', () => {
    expect(
      order([
        ['expired-early', 'expired', '2026-11-05'],
        ['filed', 'filed', '2026-12-07'],
        ['prompted-late', 'prompted', '2027-01-10'],
        ['prompted-soon', 'prompted', '2026-12-10'],
        ['held', 'held', '2026-12-08'],
        ['paid', 'paid', '2026-11-01'],
        ['ready', 'ready', '2026-12-09'],
      ]),
    ).toEqual(['held', 'prompted-soon', 'prompted-late', 'ready', 'filed', 'paid', 'expired-early']);
  });

  it('ranks an open claim whose deadline has passed with the expired ones', () => {
    expect(actionRank('prompted', '2026-12-05', today)).toBe(actionRank('expired', '2026-12-05', today));
    expect(actionRank('prompted', today, today)).toBe(0);
  });
});

describe('who a claim waits for', () => {
  it("says a claim inside Amazon's grace period waits for Amazon", () => {
    expect(waitingFor({ status: 'detected', detectionStatus: 'pending' })).toMatchObject({ on: 'amazon', why: expect.stringMatching(/grace period/) });
    expect(waitingFor({ status: 'detected', detectionStatus: 'eligible' })).toMatchObject({ on: 'clario' });
  });

  it('names the evidence a held claim waits for', () => {
    expect(waitingFor({ status: 'held', missing: ['upload_invoice', 'confirm'] })?.why).toBe(
      'Waiting for evidence: upload the supplier invoice and Clario can file it.',
    );
    expect(waitingFor({ status: 'held', missing: ['upload_invoice', 'upload_proof_of_delivery'] })?.why).toContain('the supplier invoice and the proof of delivery');
    expect(waitingFor({ status: 'held', missing: ['check_cost', 'confirm'] })?.why).toMatch(/^The invoice's unit cost differs from the claimed one: correct the cost/);
  });

  it('says who acts for every status, and nobody once the claim is over', () => {
    expect(waitingFor({ status: 'prompted' })?.on).toBe('you');
    expect(waitingFor({ status: 'ready' })?.on).toBe('clario');
    expect(waitingFor({ status: 'filed' })).toMatchObject({ on: 'amazon', why: expect.stringMatching(/waiting for Amazon/) });
    for (const s of ['paid', 'expired', 'dismissed', 'rejected'] as const) expect(waitingFor({ status: s })).toBeNull();
  });
});
