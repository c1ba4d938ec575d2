// The proof packet's words about a payout, rendered from data alone (no database): Amazon's
// reimbursement id, never Clario's payout key (`<reimbursement id>:<SKU|FNSKU|order>`), and what
// Amazon's report left out (reason, approval date) left out of the sentence, not printed as "-".
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { payoutId, reimbursementIdOf } from '../../src/payouts/reimbursement-line.js';
import type { ProofData } from '../../src/proof/gather-proof.js';
import { renderProofPdf } from '../../src/proof/render-proof.js';

const run = promisify(execFile);
const LINE_KEY = 'DL-1096-WHI-US|X003CQZN03|';
const PAYOUT = payoutId('9000000020', LINE_KEY);
const AT = new Date('2026-11-21T08:00:00Z');

const data = (): ProofData => ({
  claim: {
    id: 'clm-render-1', userId: 'seller-render', syncId: null, type: 'lost_warehouse', status: 'paid', amountMinor: 2316, currency: 'USD', quantity: 2,
    deadline: null, confidence: 0.9, caseId: '17345678901', filingId: null, details: { sku: 'DL-1096-WHI-US' }, score: null, createdAt: AT, updatedAt: AT,
  },
  payoutId: PAYOUT,
  lines: [],
  evidence: [],
  timeline: [],
  // What a Reimbursements report line may leave out: the reason and the approval date.
  reimbursements: [
    { userId: 'seller-render', reimbursementId: '9000000020', lineKey: LINE_KEY, caseId: '17345678901', claimId: 'clm-render-1', kind: 'reimbursement', reason: null, sku: 'DL-1096-WHI-US', fnsku: 'X003CQZN03', quantity: 2, amountMinor: 2316, currency: 'USD', approvalDate: null, originalReimbursementId: null, attributed: true, unmatchedReason: null, raw: null } as unknown as ProofData['reimbursements'][number],
  ],
  fees: [
    { payoutId: PAYOUT, userId: 'seller-render', claimId: 'clm-render-1', caseId: '17345678901', kind: 'charge', reversesPayoutId: null, reimbursedMinor: 2316, feeMinor: 463, currency: 'USD', rateBp: 2000, status: 'charged', createdAt: AT, updatedAt: AT } as unknown as ProofData['fees'][number],
  ],
  asOf: AT,
});

describe('a proof packet’s payout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clario-render-proof-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is named by Amazon's reimbursement id, the part of the payout id before its first ':'", () => {
    expect(reimbursementIdOf(PAYOUT)).toBe('9000000020');
    expect(reimbursementIdOf('RMB-2938475610')).toBe('RMB-2938475610');
    expect(reimbursementIdOf(payoutId('9000000021', 'amazon_reply'))).toBe('9000000021');
  });

  it("shows Amazon's id, not Clario's payout key, and leaves out what the report does not give; the same data gives the same bytes", async () => {
    const a = await renderProofPdf(data());
    const b = await renderProofPdf(data());
    expect(createHash('sha256').update(b).digest('hex')).toBe(createHash('sha256').update(a).digest('hex'));
    writeFileSync(join(dir, 'proof.pdf'), a);
    const { stdout } = await run('pdftotext', ['-layout', join(dir, 'proof.pdf'), '-']);
    const text = stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Claim clm-render-1 - Amazon case 17345678901 - reimbursement 9000000020');
    expect(text).toContain('Reimbursement: 9000000020: 23.16 USD for 2 units, SKU DL-1096-WHI-US, FNSKU X003CQZN03, case 17345678901 (Clario\'s case)');
    expect(text).toContain('Fee on reimbursement 9000000020:');
    expect(text).toContain('Deadline: not given');
    expect(text).not.toContain(LINE_KEY);
    expect(text).not.toMatch(/reason -|approved -|case -/);
  });

  it('made for a reversal, names it as the reversal of its reimbursement, lists it with the payouts, and shows the net recovered and net fee', async () => {
    const original = payoutId('9000000022', LINE_KEY);
    const base = data();
    const fee = base.fees[0]!;
    const reversed: ProofData = {
      ...base,
      payoutId: 'rev-A1',
      reimbursements: [{ ...base.reimbursements[0]!, reimbursementId: '9000000022', amountMinor: 1158, quantity: 1 }],
      fees: [
        { ...fee, payoutId: original, reimbursedMinor: 1158, feeMinor: 232 },
        { ...fee, payoutId: 'rev-A1', kind: 'refund', reversesPayoutId: original, reimbursedMinor: -579, feeMinor: -116, status: 'refunded' },
      ],
    };
    writeFileSync(join(dir, 'reversal.pdf'), await renderProofPdf(reversed));
    const { stdout } = await run('pdftotext', ['-layout', join(dir, 'reversal.pdf'), '-']);
    const text = stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Claim clm-render-1 - Amazon case 17345678901 - reversal rev-A1 of reimbursement 9000000022');
    expect(text).toContain('Reimbursement: 9000000022: 11.58 USD for 1 unit');
    expect(text).toContain("Reversal: rev-A1 of reimbursement 9000000022: -5.79 USD (Clario's case)");
    expect(text).toContain('Net recovered: 5.79 USD (11.58 USD paid, less 5.79 USD reversed)');
    expect(text).toContain('Fee on reimbursement 9000000022: 11.58 USD x 20.00% = 2.316 USD');
    expect(text).toContain('Fee given back on reversal rev-A1 of reimbursement 9000000022: -5.79 USD x 20.00% = -1.158 USD, rounded half-up to the minor unit: fee -1.16 USD (refunded)');
    expect(text).toContain('Net fee: 1.16 USD (2.32 USD charged, less 1.16 USD given back)');
    expect(text).not.toMatch(/reimbursement rev-A1|Refund on/);
    expect(text).not.toContain(LINE_KEY);
  });
});
