// The embedded default (PGlite): learning from a rejection and a proof packet work there too.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRejection } from '../../src/domain/rejection.js';
import { applyRejection } from '../../src/learning/capability.js';
import { learnedRates } from '../../src/learning/learned-rates.js';
import { recordOutcome } from '../../src/learning/record-outcome.js';
import { buildProofPacket, findProofPacket } from '../../src/proof/proof-packet.js';
import { findClaim, moveClaim } from '../../src/store/claim-rows.js';
import { type Database } from '../../src/store/db.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { prompts } from '../../src/store/schema/evidence-tables.js';
import { openPglite } from '../support/infra.js';

describe('learning and proof packets on PGlite', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite();
    await db.db.insert(claims).values([
      { id: 'e-1', userId: 'u-e', type: 'damaged_warehouse', status: 'filed', caseId: 'CASE-E1', amountMinor: 2500, currency: 'EUR', quantity: 2 },
      { id: 'e-2', userId: 'u-e', type: 'damaged_warehouse', status: 'filed', caseId: 'CASE-E2', amountMinor: 1999, currency: 'EUR', quantity: 1 },
    ]);
  });
  afterAll(async () => {
    await db.close();
  });

  it('records a rejection once, re-prompts, and learns', async () => {
    const claim = (await findClaim(db.db, 'e-1'))!;
    const reading = readRejection('Please provide the supplier invoice for these units.', claim.type);
    const apply = () =>
      db.db.transaction(async (tx) => {
        await moveClaim(tx, claim.id, 'filed', 'rejected');
        return applyRejection(tx, { claim, caseId: 'CASE-E1', reading, eventId: null });
      });
    expect(await apply()).toMatchObject({ recorded: true, promptId: expect.stringMatching(/^prm_/) });
    expect((await findClaim(db.db, 'e-1'))?.status).toBe('prompted');
    // A second delivery inside another transaction: nothing written twice.
    expect(await db.db.transaction((tx) => applyRejection(tx, { claim, caseId: 'CASE-E1', reading, eventId: null }))).toMatchObject({ recorded: false });
    expect(await db.db.select().from(prompts).where(eq(prompts.claimId, 'e-1'))).toHaveLength(1);
    expect(await learnedRates(db.db).estimate('damaged_warehouse', 'none')).toMatchObject({ approved: 0, rejected: 1 });
  });

  it('builds, stores and reads back a proof packet byte for byte', async () => {
    await db.db.update(claims).set({ status: 'paid' }).where(eq(claims.id, 'e-2'));
    await db.db.insert(feeCharges).values({ payoutId: 'P-E2', userId: 'u-e', claimId: 'e-2', caseId: 'CASE-E2', kind: 'charge', reimbursedMinor: 1999, feeMinor: 400, currency: 'EUR', rateBp: 2000, status: 'charged' });
    const claim = (await findClaim(db.db, 'e-2'))!;
    const built = await db.db.transaction(async (tx) => {
      await recordOutcome(tx, { claim, caseId: 'CASE-E2', outcome: 'approved' });
      return buildProofPacket(tx, { claimId: 'e-2', userId: 'u-e', payoutId: 'P-E2' });
    });
    const stored = await findProofPacket(db.db, 'e-2');
    expect(Buffer.compare(Buffer.from(stored!.bytes), built.bytes)).toBe(0);
    expect(stored?.sha256).toBe(createHash('sha256').update(Buffer.from(stored!.bytes)).digest('hex'));
    expect(built.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await learnedRates(db.db).estimate('damaged_warehouse', 'none')).toMatchObject({ approved: 1, rejected: 1 });
  });
});
