// The demo's Amazon answers filed cases by itself, so `npm start` shows payouts, fees and proof
// packets without anyone playing Amazon by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { decisionFor } from '../../src/simulator/auto-decide.js';
import { rows } from '../../src/store/db.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { connectDemoSeller } from '../support/connect.js';
import { waitFor } from '../support/wait.js';

describe('decisionFor', () => {
  const priced = { items: [{ amount_minor: 1200, currency: 'USD' }, { amount_minor: 34, currency: 'USD' }] };
  const ids = Array.from({ length: 400 }, (_, i) => String(17_000_000_000 + i));

  it('approves at the amounts claimed, or rejects with one of Amazon reasons, the same way every time', () => {
    const decisions = ids.map((id) => decisionFor(id, priced));
    expect(ids.map((id) => decisionFor(id, priced))).toEqual(decisions);
    const approved = decisions.filter((d) => 'approve' in d);
    for (const d of approved) expect(d).toEqual({ approve: { items: [{ amount_minor: 1200 }, { amount_minor: 34 }], currency: 'USD' } });
    // About three in four: a wide band, this is a fixed hash of 400 ids, not a sample.
    expect(approved.length / ids.length).toBeGreaterThan(0.65);
    expect(approved.length / ids.length).toBeLessThan(0.85);
    const reasons = new Set(decisions.flatMap((d) => ('reject' in d ? [d.reject.reason] : [])));
    expect(reasons.size).toBe(2);
  });

  it('never approves a case whose amounts it cannot read', () => {
    for (const id of ids.slice(0, 50)) {
      expect('reject' in decisionFor(id, { items: [{ amount_minor: 100, currency: 'USD' }, { currency: 'USD' }] })).toBe(true);
      expect('reject' in decisionFor(id, { items: [{ amount_minor: 100, currency: 'USD' }, { amount_minor: 5, currency: 'CAD' }] })).toBe(true);
    }
  });
});

describe('the demo with its Amazon deciding cases', () => {
  let t: TestClario;
  beforeAll(async () => {
    t = await startTestClario({
      env: {
        AMAZON_SIMULATOR_DECIDES_AFTER_MS: '200',
        PAYOUTS_INTERVAL_MS: '300',
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

  it('gets claims paid and their fees charged with nobody playing Amazon', async () => {
    // The demo seller connects through the simulator's consent page; everything after is automatic.
    await connectDemoSeller(t);

    // Phase 7 charges the fee, then records the claim paid, then builds its proof packet: wait for
    // the last of them, not the first.
    const count = async (query: ReturnType<typeof sql>) => (await rows<{ n: number }>(t.clario.database.db, query))[0]?.n ?? 0;
    await waitFor(
      async () =>
        (await count(sql`SELECT count(*)::int AS n FROM fee_charges WHERE status = 'charged'`)) > 0 &&
        (await count(sql`SELECT count(*)::int AS n FROM claims WHERE status = 'paid'`)) > 0 &&
        (await count(sql`SELECT count(*)::int AS n FROM proof_packets`)) > 0,
      'a fee charged on a payout the demo Amazon approved, its claim paid and its proof packet built',
      150_000,
    );
  }, 200_000);
});
