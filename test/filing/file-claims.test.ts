import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { claims } from '../../src/store/schema/claims-tables.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { waitFor } from '../support/wait.js';
import { crashAfterFiling, events, filingWorld, readyClaim } from './support.js';

describe('filing ready claims through the case API', () => {
  it('files nearest deadlines first, N claims per case and M cases per seller per day', async () => {
    const w = await filingWorld();
    const user = 'seller_pace';
    const soon = await Promise.all([1, 2, 3].map((d) => readyClaim(w.db, user, { deadline: `2027-01-2${d}` })));
    const damaged = await readyClaim(w.db, user, { type: 'damaged_warehouse', deadline: '2027-01-25' });
    const late = await readyClaim(w.db, user, { type: 'removal_shortfall', deadline: '2027-06-01' });
    const filer = w.filer({ maxItemsPerCase: 2, maxCasesPerDay: 2, now: () => new Date('2027-01-15T10:00:00Z') });

    const first = await filer.runOnce();
    expect(first).toEqual({ prepared: 2, filed: 2, failed: 0 });
    const rows = await w.db.select().from(filings).where(eq(filings.userId, user));
    expect(rows.map((r) => [...r.claimIds].sort()).sort()).toEqual([[soon[0], soon[1]].sort(), [soon[2]]].sort());
    expect(rows.every((r) => r.status === 'filed' && r.caseId && r.filedOn === '2027-01-15')).toBe(true);
    expect(await w.casesAtAmazon()).toHaveLength(2);

    // The day's cases are used up: nothing more until tomorrow, and then the nearer deadline first.
    expect(await filer.runOnce()).toEqual({ prepared: 0, filed: 0, failed: 0 });
    const tomorrow = w.filer({ maxItemsPerCase: 2, maxCasesPerDay: 1, now: () => new Date('2027-01-16T00:00:01Z') });
    expect((await tomorrow.runOnce()).filed).toBe(1);
    const [byDamaged] = await w.db.select().from(claims).where(eq(claims.id, damaged));
    const [byLate] = await w.db.select().from(claims).where(eq(claims.id, late));
    expect(byDamaged?.filingId).toBeTruthy();
    expect(byLate?.filingId).toBeNull();

    // Every filed claim enters phase 5, which moves it to filed with its case id.
    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.status, 'filed'))).length === 4, 'claims filed');
    const p5 = await events(w.db, 5, user);
    expect(p5).toHaveLength(4);
    const cases = await w.db.select().from(filings).where(eq(filings.userId, user));
    for (const e of p5) {
      const filing = cases.find((f) => f.claimIds.includes(e.claim_id));
      expect(e.idempotency_key).toBe(`filed:${filing?.id}:${e.claim_id}`);
      expect(e.case_id).toBe(filing?.caseId);
    }
  });

  it('a crash between the case API call and the record files the case once', async () => {
    const w = await filingWorld({ wrap: crashAfterFiling() });
    const user = 'seller_crash';
    const id = await readyClaim(w.db, user);
    const filer = w.filer();
    expect(await filer.runOnce()).toEqual({ prepared: 1, filed: 0, failed: 1 });
    expect(await w.casesAtAmazon()).toHaveLength(1);
    const [intent] = await w.db.select().from(filings).where(eq(filings.userId, user));
    expect(intent).toMatchObject({ status: 'prepared', caseId: null });

    // The next round (this process or another) asks the case API for the key before any POST.
    expect(await filer.runOnce()).toEqual({ prepared: 0, filed: 1, failed: 0 });
    expect(await filer.runOnce()).toEqual({ prepared: 0, filed: 0, failed: 0 });
    const cases = await w.casesAtAmazon();
    expect(cases).toHaveLength(1);
    expect(cases[0].idempotency_key).toBe(intent?.id);
    const [filed] = await w.db.select().from(filings).where(eq(filings.userId, user));
    expect(filed).toMatchObject({ status: 'filed', caseId: cases[0].case_id });
    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.id, id)))[0]?.status === 'filed', 'claim filed');
    expect((await w.db.select().from(claims).where(eq(claims.id, id)))[0]?.caseId).toBe(cases[0].case_id);
  });

  it('two filers racing over the same claims file one case', async () => {
    const w = await filingWorld();
    const user = 'seller_race';
    await readyClaim(w.db, user);
    await readyClaim(w.db, user);
    await Promise.all([w.filer().runOnce(), w.filer().runOnce()]);
    await w.filer().runOnce();
    expect(await w.casesAtAmazon()).toHaveLength(1);
    expect(await w.db.select().from(filings).where(eq(filings.userId, user))).toHaveLength(1);
  });
});
