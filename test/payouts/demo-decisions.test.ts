// The demo keeps the README's word: once the bundled Amazon decides a case, Clario learns of it at
// once (the simulator tells it), not at the payout check's next poll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/store/db.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { connectDemoSeller } from '../support/connect.js';
import { waitFor } from '../support/wait.js';

describe('the bundled Amazon deciding a case', () => {
  let t: TestClario;
  beforeAll(async () => {
    t = await startTestClario({
      env: {
        // The test plays Amazon; the payout check polls once a day, so only the notice can be in time.
        AMAZON_SIMULATOR_DECIDES_AFTER_MS: '0',
        PAYOUTS_INTERVAL_MS: String(86_400_000),
        FILING_MAX_ITEMS_PER_CASE: '1',
        FILING_MAX_CASES_PER_DAY: '1000',
        WORKFLOW_MAX_ATTEMPTS: '5',
        WORKFLOW_LEASE_MS: '30000',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("credits the payout as soon as Amazon approves, without waiting for the payout check's interval", async () => {
    await connectDemoSeller(t);
    const db = t.clario.database.db;
    let caseId: string | undefined;
    await waitFor(async () => {
      [{ case_id: caseId } = { case_id: undefined }] = await rows<{ case_id: string }>(db, sql`SELECT case_id FROM filings WHERE status = 'filed' AND case_id IS NOT NULL ORDER BY filed_at LIMIT 1`);
      return caseId !== undefined;
    }, 'a case filed with the bundled Amazon', 150_000);

    const decided = await fetch(`${t.clario.simulatorUrl}/cases/${caseId}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ approve: { amount_minor: 1234, currency: 'USD' } }),
    });
    expect(decided.status).toBe(200);

    // The deadline only turns a hang into a failure; the poll would come a day later.
    // Phase 7 is triggered first and the case marked approved just after (payouts/credit-payouts.ts):
    // wait for both, not for the first alone.
    await waitFor(async () => {
      const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM phase_events WHERE phase = 7 AND case_id = ${caseId}`);
      const [filing] = await rows<{ status: string }>(db, sql`SELECT status FROM filings WHERE case_id = ${caseId}`);
      return (r?.n ?? 0) > 0 && filing?.status === 'approved';
    }, 'the payout of the approved case, and the case approved', 60_000);
  }, 240_000);
});
