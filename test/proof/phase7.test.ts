// Phase 7 with its real learning and proof steps: a payout teaches the model once and leaves a
// proof packet whose timeline ends with the payout's own phase, whatever duplicates arrive.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { learningCapability } from '../../src/learning/capability.js';
import { proofCapability } from '../../src/proof/capability.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { describeWithPostgres } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

const run = promisify(execFile);
const USER = 'seller-p7';

describeWithPostgres('phase 7 with learning and the proof packet', () => {
  let t: TestClario;
  const dir = mkdtempSync(join(tmpdir(), 'clario-p7-'));
  beforeAll(async () => {
    t = await startTestClario({
      store: 'postgres',
      capabilities: {
        ...testCapabilities(),
        learning: learningCapability(),
        proof: proofCapability(),
        settlement: {
          settle: (_ctx, input) =>
            Promise.resolve({
              data: {},
              apply: async (tx) => {
                // Stands in for the billing capability's fee row (its own issue).
                const reversal = input.kind === 'reversal' ? { kind: 'refund' as const, reversesPayoutId: input.reverses ?? null } : { kind: 'charge' as const };
                await tx
                  .insert(feeCharges)
                  .values({ payoutId: input.payoutId, userId: input.claim.userId, claimId: input.claim.id, caseId: input.caseId, ...reversal, reimbursedMinor: input.amount.minor, feeMinor: Math.round(input.amount.minor / 5), currency: input.amount.currency, rateBp: 2000, status: 'pending' })
                  .onConflictDoNothing();
              },
            }),
        },
      },
    });
    await t.clario.database.db.insert(claims).values({ id: 'p7-1', userId: USER, type: 'return_damaged', status: 'filed', caseId: 'CASE-P7', amountMinor: 2000, currency: 'GBP', quantity: 1 });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function pay(key: string, payout: Record<string, unknown> = { payout_id: 'PAY-P7', amount_minor: 2000 }) {
    const r = await t.request('/api/v1/workflow/payout/received', {
      body: { user_id: USER, claim_id: 'p7-1', case_id: 'CASE-P7', currency: 'GBP', ...payout },
      headers: { 'idempotency-key': key },
    });
    await waitFor(async () => (await t.request(`/api/v1/workflow/events/${r.body.event_id}`)).body.status === 'completed', 'phase 7');
  }

  it('counts the approval once and keeps the first packet when the payout is delivered again', async () => {
    await pay('payout-1');
    const first = (await t.request('/api/v1/claims/p7-1/proof', { token: await t.sellerToken(USER) })).body;
    expect(first).toMatchObject({ payout_id: 'PAY-P7', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await pay('payout-1-again');
    const second = (await t.request('/api/v1/claims/p7-1/proof')).body;
    expect(second.sha256).toBe(first.sha256);
    const model = (await t.request('/api/v1/learning/model?claim_type=return_damaged')).body;
    expect(model.models).toEqual([expect.objectContaining({ profile: 'none', approved: 1, rejected: 0 })]);

    const res = await fetch(`${t.url}/api/v1/claims/p7-1/proof.pdf`, { headers: { authorization: `Bearer ${t.serviceToken}` } });
    const pdf = join(dir, 'p7.pdf');
    writeFileSync(pdf, Buffer.from(await res.arrayBuffer()));
    const text = (await run('pdftotext', ['-layout', pdf, '-'])).stdout.replace(/\s+/g, ' ');
    // The packet was rendered inside phase 7's commit: it already shows that phase completed.
    expect(text).toMatch(/phase 7 Hyper-transparency layer: running -> completed/);
    expect(text).toContain('20.00 GBP x 20.00% = 4.00 GBP, rounded half-up to the minor unit: fee 4.00 GBP');
  });

  it('after a reversal makes a new packet that names the reversal by the reimbursement it takes back, with the net', async () => {
    const before = (await t.request('/api/v1/claims/p7-1/proof')).body;
    await pay('reversal-1', { payout_id: 'REV-P7', amount_minor: -500, kind: 'reversal', reverses: 'PAY-P7' });
    const after = (await t.request('/api/v1/claims/p7-1/proof')).body;
    expect(after).toMatchObject({ payout_id: 'REV-P7' });
    expect(after.sha256).not.toBe(before.sha256);
    const res = await fetch(`${t.url}/api/v1/claims/p7-1/proof.pdf`, { headers: { authorization: `Bearer ${t.serviceToken}` } });
    const pdf = join(dir, 'p7-reversal.pdf');
    writeFileSync(pdf, Buffer.from(await res.arrayBuffer()));
    const text = (await run('pdftotext', ['-layout', pdf, '-'])).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Claim p7-1 - Amazon case CASE-P7 - reversal REV-P7 of reimbursement PAY-P7');
    expect(text).toContain("Reimbursement: PAY-P7: 20.00 GBP (Clario's case)");
    expect(text).toContain("Reversal: REV-P7 of reimbursement PAY-P7: -5.00 GBP (Clario's case)");
    expect(text).toContain('Net recovered: 15.00 GBP (20.00 GBP paid, less 5.00 GBP reversed)');
    expect(text).toContain('Net fee: 3.00 GBP (4.00 GBP charged, less 1.00 GBP given back)');
    expect(text).not.toContain('reimbursement REV-P7');
  });
});
