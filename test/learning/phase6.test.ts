// Phase 6 end to end: Amazon's rejection arrives over HTTP, the claim is re-prompted or closed,
// the model learns once, the seller is told, and operators see the model change.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ClaimScore } from '../../src/domain/scoring.js';
import { learningCapability } from '../../src/learning/capability.js';
import { rows } from '../../src/store/db.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { prompts } from '../../src/store/schema/evidence-tables.js';
import { rejections } from '../../src/store/schema/learning-tables.js';
import { ClaimRejectedMessage } from '../../src/workflow/messages.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { describeWithPostgres } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

const USER = 'seller-p6';
const score: ClaimScore = {
  version: 1,
  evidence: 0.9,
  profile: 'invoice',
  learned: null,
  confidence: 0.9,
  reasons: ['invoice INV-1 covers the units'],
  missing: [],
  scoredAt: '2026-11-01T00:00:00.000Z',
};

describeWithPostgres('phase 6: learning from a rejection', () => {
  let t: TestClario;
  beforeAll(async () => {
    t = await startTestClario({ store: 'postgres', capabilities: { ...testCapabilities(), learning: learningCapability() } });
    const filed = (id: string, type: string) => ({
      id,
      userId: USER,
      type,
      status: 'filed' as const,
      caseId: `CASE-${id}`,
      amountMinor: 4960,
      currency: 'USD',
      quantity: 4,
      score: { ...score },
      confidence: score.confidence,
    });
    await t.clario.database.db.insert(claims).values([filed('p6-a', 'lost_warehouse'), filed('p6-b', 'lost_warehouse'), filed('p6-c', 'inbound_shortage')]);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function reject(body: Record<string, unknown>, key?: string) {
    const r = await t.request('/api/v1/workflow/claim/rejected', { body: { user_id: USER, ...body }, headers: key ? { 'idempotency-key': key } : {} });
    expect(r.status).toBeLessThan(300);
    const id = r.body.event_id as string;
    await waitFor(async () => (await t.request(`/api/v1/workflow/events/${id}`)).body.status === 'completed', `event ${id} to complete`);
    const [stored] = await rows<{ result: Record<string, unknown> }>(t.clario.database.db, sql`SELECT result FROM phase_events WHERE id = ${id}`);
    return { id, result: stored?.result };
  }

  const db = () => t.clario.database.db;
  const claim = async (id: string) => (await db().select().from(claims).where(eq(claims.id, id)))[0];

  it('asks the seller for the invoice Amazon wants, and says so on their channel', async () => {
    const reason = 'Please provide a valid supplier invoice or proof of ownership for the units in question.';
    await reject({ claim_id: 'p6-a', case_id: 'CASE-p6-a', reason });
    const c = await claim('p6-a');
    expect(c?.status).toBe('prompted');
    // The model learned: the claim's confidence is blended with one rejection now.
    expect(c?.confidence).toBeLessThan(0.9);
    expect(c?.score).toMatchObject({ evidence: 0.9, learned: { approved: 0, rejected: 1 } });
    const [prompt] = await db().select().from(prompts).where(and(eq(prompts.claimId, 'p6-a'), eq(prompts.status, 'open')));
    expect(prompt?.asks).toEqual([{ need: 'upload_invoice', message: expect.stringContaining('CASE-p6-a') }]);
    const [rej] = await db().select().from(rejections).where(eq(rejections.claimId, 'p6-a'));
    expect(rej).toMatchObject({ reasonCode: 'missing_proof_of_ownership', rawText: reason, action: 'reprompt', caseId: 'CASE-p6-a' });

    const sent = await rows<{ payload: Record<string, unknown> }>(db(), sql`SELECT payload FROM outbox WHERE user_id = ${USER} AND type = 'claim.rejected'`);
    expect(sent).toHaveLength(1);
    const parsed = ClaimRejectedMessage.safeParse(sent[0]?.payload);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(sent[0]?.payload).toMatchObject({ claim_id: 'p6-a', reason_code: 'missing_proof_of_ownership', action: 'reprompt', prompt_id: prompt?.id });
  });

  it('closes a claim Amazon already reimbursed, and learns from it', async () => {
    const event = await reject({ case_id: 'CASE-p6-b', reason: 'Our records show these units have already been reimbursed.' });
    expect(event.result).toMatchObject({ reason_code: 'already_reimbursed', action: 'closed', claim_id: 'p6-b' });
    expect((await claim('p6-b'))?.status).toBe('rejected');
    expect(await db().select().from(prompts).where(eq(prompts.claimId, 'p6-b'))).toHaveLength(0);
    const model = (await t.request('/api/v1/learning/model?claim_type=lost_warehouse')).body;
    expect(model.models).toEqual([expect.objectContaining({ claim_type: 'lost_warehouse', profile: 'invoice', approved: 0, rejected: 2, mean: 0.25, rejections_by_reason: { already_reimbursed: 1, missing_proof_of_ownership: 1 } })]);
  });

  it('asks for proof of delivery on an inbound shortage Amazon could not verify', async () => {
    await reject({ claim_id: 'p6-c', case_id: 'CASE-p6-c', reason: 'We are unable to verify the quantity shipped. The information provided is insufficient.' });
    const [prompt] = await db().select().from(prompts).where(and(eq(prompts.claimId, 'p6-c'), eq(prompts.status, 'open')));
    expect(prompt?.asks).toEqual([{ need: 'upload_proof_of_delivery', message: expect.any(String) }]);
  });

  it('does nothing twice when the same rejection is delivered again under another key', async () => {
    const event = await reject({ claim_id: 'p6-a', case_id: 'CASE-p6-a', reason: 'Please provide an invoice.' }, 'another-delivery-1');
    expect(event.result).toMatchObject({ duplicate: true, reason_code: 'missing_proof_of_ownership' });
    expect(await db().select().from(rejections).where(eq(rejections.claimId, 'p6-a'))).toHaveLength(1);
    expect(await db().select().from(prompts).where(eq(prompts.claimId, 'p6-a'))).toHaveLength(1);
    const model = (await t.request('/api/v1/learning/model?claim_type=lost_warehouse')).body;
    expect(model.models[0]).toMatchObject({ rejected: 2 });
    const sent = await rows(db(), sql`SELECT 1 FROM outbox WHERE user_id = ${USER} AND type = 'claim.rejected'`);
    expect(sent).toHaveLength(3);
  });

  it('shows operators the model and its history, newest first and paged; sellers may not see it', async () => {
    const all = (await t.request('/api/v1/learning/model')).body;
    expect(all.models.map((m: any) => `${m.claim_type}/${m.profile}`)).toEqual(['inbound_shortage/invoice', 'lost_warehouse/invoice']);
    expect(all.history.map((h: any) => h.claim_id)).toEqual(['p6-c', 'p6-b', 'p6-a']);
    expect(all.history[0]).toMatchObject({ outcome: 'rejected', reason_code: 'insufficient_information', approved_after: 0, rejected_after: 1 });
    const page1 = (await t.request('/api/v1/learning/model?limit=2')).body;
    expect(page1.history).toHaveLength(2);
    const page2 = (await t.request(`/api/v1/learning/model?limit=2&before=${page1.next_before}`)).body;
    expect(page2.history.map((h: any) => h.claim_id)).toEqual(['p6-a']);
    expect(page2.next_before).toBeNull();

    const seller = await t.request('/api/v1/learning/model', { token: await t.sellerToken(USER) });
    expect(seller.status).toBe(403);
    expect(seller.body.error.code).toBe('forbidden');
    expect((await t.request('/api/v1/learning/model', { token: null })).status).toBe(401);
    expect((await t.request('/api/v1/learning/model?limit=0')).status).toBe(400);
  });
});
