// All seven phases, end to end, on the embedded default (PGlite, the bundled Amazon and Stripe
// simulators): the demo seller connects; sync, detection, evidence and routing run; the filer files
// the auto-submit claims through the simulator's case API; "Amazon" approves one case and rejects
// another; the payout monitor sends them to phases 7 and 6. The fee is charged once, the ledger
// balances, the proof packet downloads and hashes to what the API says, and the rejected claim asks
// the seller for exactly what Amazon wanted.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { percentOf, money } from '../../src/domain/money.js';
import { rows } from '../../src/store/db.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { connectDemoSeller } from '../support/connect.js';
import { waitFor } from '../support/wait.js';

describe('the seven phases with the demo seller', () => {
  let t: TestClario;
  beforeAll(async () => {
    t = await startTestClario({
      env: { WORKFLOW_MAX_ATTEMPTS: '5', WORKFLOW_LEASE_MS: '30000', FILING_MAX_ITEMS_PER_CASE: '1', FILING_MAX_CASES_PER_DAY: '1000' },
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  type Claim = { id: string; type: string; status: string; case_id: string | null; amount_minor: string | null; currency: string | null };
  const claimsOf = (userId: string) =>
    rows<Claim>(t.clario.database.db, sql`SELECT id, type, status, case_id, amount_minor, currency FROM claims WHERE user_id = ${userId} ORDER BY id`);
  const claim = async (id: string) => (await rows<Claim>(t.clario.database.db, sql`SELECT id, type, status, case_id, amount_minor, currency FROM claims WHERE id = ${id}`))[0];

  async function decide(caseId: string, decision: unknown): Promise<void> {
    const r = await fetch(`${t.clario.simulatorUrl}/cases/${caseId}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(decision),
    });
    expect(r.status).toBe(200);
  }

  it('connects, files, gets paid once, charges the fee once, proves it, and learns from a rejection', async () => {
    const { userId, cookie } = await connectDemoSeller(t);
    await waitFor(async () => (await t.request(`/api/v1/workflow/status/${userId}`)).body.runs[0]?.phases[3]?.status === 'completed', 'phases 1–4', 150_000);

    // The filer files what phase 4 made ready, one claim per case here; phase 5 moves each to filed.
    await waitFor(async () => (await claimsOf(userId)).filter((c) => c.status === 'filed' && c.amount_minor !== null).length >= 2, 'two claims filed', 60_000);
    // The largest is paid: its fee is above Stripe's minimum charge, so it goes through Stripe.
    const [paidClaim, rejectedClaim] = (await claimsOf(userId))
      .filter((c) => c.status === 'filed' && c.amount_minor !== null)
      .sort((a, b) => Number(b.amount_minor) - Number(a.amount_minor));
    expect(paidClaim!.case_id).not.toBe(rejectedClaim!.case_id);

    const amount = Number(paidClaim!.amount_minor);
    await decide(paidClaim!.case_id!, { approve: { amount_minor: amount, currency: paidClaim!.currency } });
    await decide(rejectedClaim!.case_id!, { reject: { reason: 'Please provide a valid supplier invoice or other proof of ownership for the units in question.' } });
    await t.clario.payouts!.runOnce();

    await waitFor(async () => (await claim(paidClaim!.id))?.status === 'paid', 'phase 7: the claim is paid', 60_000);
    await waitFor(async () => (await claim(rejectedClaim!.id))?.status === 'prompted', 'phase 6: the seller is asked again', 60_000);

    // Phase 7: the fee is 20% of the cash reimbursed, half-up, charged once.
    const expectedFee = percentOf(money(amount, paidClaim!.currency!), 2000).minor;
    await waitFor(async () => {
      const [fee] = await rows<{ status: string }>(t.clario.database.db, sql`SELECT status FROM fee_charges WHERE claim_id = ${paidClaim!.id}`);
      return fee?.status === 'charged';
    }, 'the fee charged through Stripe', 60_000);
    // The same payout seen again (another poll, and the external webhook under a new idempotency
    // key) changes nothing. (A second sync would see it in the reimbursements report too, but the
    // simulator enforces Amazon's createReport rate limit, which makes a second sync slow here.)
    await t.clario.payouts!.runOnce();
    const [{ payout_id: payoutId } = { payout_id: '' }] = await rows<{ payout_id: string }>(t.clario.database.db, sql`SELECT payout_id FROM fee_charges WHERE claim_id = ${paidClaim!.id}`);
    const again = await t.request('/api/v1/workflow/payout/received', {
      method: 'POST',
      headers: { 'idempotency-key': `again-${payoutId}` },
      body: { user_id: userId, claim_id: paidClaim!.id, case_id: paidClaim!.case_id, payout_id: payoutId, amount_minor: amount, currency: paidClaim!.currency },
    });
    expect(again.status).toBe(202);
    await waitFor(async () => (await t.request(`/api/v1/workflow/events/${again.body.event_id}`)).body.status === 'completed', 'the repeated payout processed', 60_000);
    const fees = await rows<{ fee_minor: string; reimbursed_minor: string; kind: string }>(
      t.clario.database.db,
      sql`SELECT fee_minor, reimbursed_minor, kind FROM fee_charges WHERE claim_id = ${paidClaim!.id}`,
    );
    expect(fees).toHaveLength(1);
    expect(Number(fees[0]!.fee_minor)).toBe(expectedFee);
    expect(Number(fees[0]!.reimbursed_minor)).toBe(amount);
    const phase7 = await rows<{ n: string }>(t.clario.database.db, sql`SELECT count(*) AS n FROM phase_events WHERE phase = 7 AND claim_id = ${paidClaim!.id} AND status = 'completed'`);
    expect(Number(phase7[0]!.n)).toBe(2); // the monitor's and the webhook's: one fee between them
    const ledger = await t.request('/api/v1/ops/ledger/check');
    expect(ledger.body).toMatchObject({ balanced: true, imbalances: [] });

    // The proof packet downloads with the seller's session and hashes to what the API says.
    const meta = await fetch(`${t.url}/api/v1/claims/${paidClaim!.id}/proof`, { headers: { cookie } });
    expect(meta.status).toBe(200);
    const { sha256 } = (await meta.json()) as { sha256: string };
    const pdf = await fetch(`${t.url}/api/v1/claims/${paidClaim!.id}/proof.pdf`, { headers: { cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toMatch(/application\/pdf/);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);

    // The statement shows what was recovered and the fee.
    const statement = await fetch(`${t.url}/api/v1/sellers/${userId}/statement?format=json`, { headers: { cookie } });
    const totals = ((await statement.json()) as { totals: Array<{ currency: string; recovered_minor: number; fees_charged_minor: number }> }).totals;
    expect(totals.find((x) => x.currency === paidClaim!.currency)).toMatchObject({ recovered_minor: amount, fees_charged_minor: expectedFee });

    // Phase 6: the rejection is read into the taxonomy, and the seller is asked for the invoice.
    const [rejection] = await rows<{ reason_code: string; action: string }>(t.clario.database.db, sql`SELECT reason_code, action FROM rejections WHERE claim_id = ${rejectedClaim!.id}`);
    expect(rejection).toEqual({ reason_code: 'missing_proof_of_ownership', action: 'reprompt' });
    const prompts = (await t.request(`/api/v1/prompts?status=open&user_id=${userId}`)).body.prompts as Array<{ claim_id: string; asks: Array<{ need: string }> }>;
    expect(prompts.find((p) => p.claim_id === rejectedClaim!.id)?.asks.map((a) => a.need)).toContain('upload_invoice');

    // Every case Clario filed is a case at "Amazon", once: no claim went into two cases.
    const filings = await rows<{ claim_ids: string[] }>(t.clario.database.db, sql`SELECT claim_ids FROM filings WHERE user_id = ${userId}`);
    const filed = filings.flatMap((f) => f.claim_ids);
    expect(new Set(filed).size).toBe(filed.length);
  }, 600_000);
});
