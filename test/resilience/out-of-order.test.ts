// Amazon's events overtake each other: the payout of a case can arrive before "submitted".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claims } from '../../src/store/schema/claims-tables.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { waitFor } from '../support/wait.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
});
afterAll(async () => {
  await t.close();
});

const statusOf = async (id: string) => (await t.clario.engine.findEvent(id))?.status;

describe('a submission that arrives after its payout', () => {
  it('completes as already recorded instead of parking the claim as closed', async () => {
    await t.clario.database.db.insert(claims).values({ id: 'oo-1', userId: 'oo', type: 'lost_warehouse', status: 'filed', caseId: 'CASE-OO', amountMinor: 900, currency: 'USD' });
    const paid = await t.request('/api/v1/workflow/payout/received', { body: { user_id: 'oo', claim_id: 'oo-1', case_id: 'CASE-OO', payout_id: 'P-OO', amount_minor: 900, currency: 'USD' } });
    await waitFor(async () => (await statusOf(paid.body.event_id)) === 'completed', 'the payout');
    const late = await t.request('/api/v1/workflow/claim/submitted', { body: { user_id: 'oo', claim_id: 'oo-1', case_id: 'CASE-OO' } });
    await waitFor(async () => ['completed', 'failed'].includes((await statusOf(late.body.event_id)) ?? ''), 'the late submission');
    expect(await statusOf(late.body.event_id)).toBe('completed');
    const [claim] = await t.clario.database.db.select().from(claims);
    expect(claim?.status).toBe('paid');
  });

  it('still refuses a submission of another case for a paid claim', async () => {
    await t.clario.database.db.insert(claims).values({ id: 'oo-2', userId: 'oo', type: 'lost_warehouse', status: 'paid', caseId: 'CASE-A', amountMinor: 900, currency: 'USD' });
    const other = await t.request('/api/v1/workflow/claim/submitted', { body: { user_id: 'oo', claim_id: 'oo-2', case_id: 'CASE-B' } });
    await waitFor(async () => (await statusOf(other.body.event_id)) === 'failed', 'the refusal');
    expect((await t.clario.engine.findEvent(other.body.event_id))?.status).toBe('failed');
  });
});
