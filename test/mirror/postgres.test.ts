// On real PostgreSQL: named prepared statements, and two worker processes (two connection pools)
// competing for the same subscription through SKIP LOCKED and the lease.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, openDatabase, rows } from '../../src/store/db.js';
import { describeWithPostgres } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { startMirrorClario, startReceiver, testMirror, type MirrorClario } from './support.js';

describeWithPostgres('the event mirror on PostgreSQL', () => {
  let t: MirrorClario;
  let other: Database;
  beforeAll(async () => {
    t = await startMirrorClario({ store: 'postgres' });
    other = await openDatabase({ url: t.clario.config.databaseUrl });
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  it('two processes deliver every message exactly once, in order, through failures', async () => {
    const secret = 'whsec_' + Buffer.alloc(32, 8).toString('base64');
    const receiver = await startReceiver(secret, (n) => (n % 4 === 2 ? 500 : 200));
    const created = await t.request('/api/v1/subscriptions', { body: { url: receiver.url, secret } });
    const start = created.body.delivery.last_delivered_seq as number;
    const a = testMirror(t.clario, { batch: 2 });
    const b = testMirror({ database: other, secrets: t.clario.secrets }, { batch: 2 });
    for (const user of ['pg-1', 'pg-2']) expect((await t.request('/api/v1/workflow/phase/1', { body: { user_id: user } })).status).toBe(202);
    await waitFor(async () => {
      const done = await Promise.all(['pg-1', 'pg-2'].map(async (u) => (await t.request(`/api/v1/workflow/status/${u}`)).body.runs?.[0]?.phases?.[3]?.status));
      return done.every((s) => s === 'completed');
    }, 'both runs completed');
    await waitFor(async () => {
      await Promise.all([a.mirror.deliverOnce(), b.mirror.deliverOnce(), a.mirror.deliverOnce(), b.mirror.deliverOnce()]);
      a.advance(5_000);
      b.advance(5_000);
      const [end] = await rows<{ m: string }>(t.clario.database.db, sql`SELECT max(seq) AS m FROM outbox`);
      return (await t.request(`/api/v1/subscriptions/${created.body.id}`)).body.delivery.last_delivered_seq === Number(end?.m);
    }, 'caught up');
    const expected = (await rows<{ seq: string }>(t.clario.database.db, sql`SELECT seq FROM outbox WHERE seq > ${start} ORDER BY seq`)).map((r) => Number(r.seq));
    expect(receiver.accepted.map((r) => r.seq)).toEqual(expected);
    expect(receiver.accepted.every((r) => r.signatureValid)).toBe(true);
    // Some attempts failed, so retries happened too; `accepted` above has each message once.
    const failedThenRetried = receiver.attempts.filter((_, i) => (i + 1) % 4 === 2).map((r) => r.seq);
    expect(failedThenRetried.length).toBeGreaterThan(0);
    await receiver.close();
  });
});
