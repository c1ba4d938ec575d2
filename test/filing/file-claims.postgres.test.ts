// The same guarantees on PostgreSQL, where two filers' transactions really run side by side.
import { expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { claims } from '../../src/store/schema/claims-tables.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { writeIntent } from '../../src/filing/filings.js';
import { filingId } from '../../src/filing/plan-cases.js';
import { describeWithPostgres } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { crashAfterFiling, filingWorld, readyClaim } from './support.js';

describeWithPostgres('filing on PostgreSQL', () => {
  it('racing filers and a crash after the call still make one case per filing', async () => {
    const w = await filingWorld({ store: 'postgres', wrap: crashAfterFiling() });
    const user = 'seller_pg';
    for (let i = 0; i < 7; i++) await readyClaim(w.db, user);
    const filer = () => w.filer({ maxItemsPerCase: 3, maxCasesPerDay: 10 });
    await Promise.all([filer().runOnce(), filer().runOnce(), filer().runOnce()]);
    await filer().runOnce();
    const rows = await w.db.select().from(filings).where(eq(filings.userId, user));
    expect(rows.map((r) => r.claimIds.length).sort()).toEqual([1, 3, 3]);
    expect(rows.every((r) => r.status === 'filed')).toBe(true);
    const cases = await w.casesAtAmazon();
    expect(cases).toHaveLength(3);
    expect(new Set(cases.map((c: any) => c.idempotency_key))).toEqual(new Set(rows.map((r) => r.id)));
    await waitFor(async () => (await w.db.select().from(claims).where(eq(claims.userId, user))).every((c) => c.status === 'filed'), 'claims filed');
  });

  it('the daily cap holds when filers planned from different snapshots write at once', async () => {
    const w = await filingWorld({ store: 'postgres' });
    const user = 'seller_pg_cap';
    const ids = await Promise.all(Array.from({ length: 6 }, () => readyClaim(w.db, user)));
    const intent = (claimId: string) => ({ id: filingId(user, [claimId]), userId: user, channel: 'manual' as const, status: 'prepared' as const, claimIds: [claimId], subject: 's', body: 'b', attachments: [], filedOn: '2027-01-15' });
    const written = await Promise.all(ids.map((id) => writeIntent(w.db, intent(id), 2)));
    expect(written.filter(Boolean)).toHaveLength(2);
    expect(await w.db.select().from(filings).where(eq(filings.userId, user))).toHaveLength(2);
    expect((await w.db.select().from(claims).where(eq(claims.userId, user))).filter((c) => c.filingId !== null)).toHaveLength(2);
  });
});
