import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { saveConnection } from '../../src/connect/connections.js';
import { createSecretBox, parseKeys } from '../../src/security/secret-box.js';
import { createSyncScheduler } from '../../src/sync/schedule.js';
import { rows } from '../../src/store/db.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
  const box = createSecretBox(parseKeys(`k:${randomBytes(32).toString('base64')}`));
  for (const p of ['A1AAAAA', 'A2BBBBB']) {
    await saveConnection(t.clario.database.db, box, { userId: `seller_${p}`, sellingPartnerId: p, region: 'na', marketplaceIds: ['ATVPDKIKX0DER'], refreshToken: 'x' });
  }
});
afterAll(async () => {
  await t.close();
});

describe('scheduled syncs', () => {
  it('start one sync per connected seller and slot, however many processes tick', async () => {
    const schedulers = [1, 2].map(() => createSyncScheduler({ database: t.clario.database, engine: t.clario.engine, intervalHours: 24, log: t.clario.logger }));
    const now = new Date('2030-01-01T10:00:00Z');
    const started = await Promise.all(schedulers.map((s) => s.tick(now)));
    expect(started.reduce((a, b) => a + b, 0)).toBe(2);
    const [n] = await rows<{ n: number }>(t.clario.database.db, sql`SELECT count(*)::int AS n FROM phase_events WHERE phase = 1 AND payload->>'source' = 'schedule'`);
    expect(n?.n).toBe(2);
    // The next day's slot starts the next sync.
    expect(await schedulers[0]!.tick(new Date('2030-01-02T10:00:00Z'))).toBe(2);
  });

  it('leave a seller who synced within the interval alone', async () => {
    // Both sellers above synced moments ago (real time); a newly connected one has not.
    const box = createSecretBox(parseKeys(`k:${randomBytes(32).toString('base64')}`));
    await saveConnection(t.clario.database.db, box, { userId: 'seller_A3CCCCC', sellingPartnerId: 'A3CCCCC', region: 'na', marketplaceIds: [], refreshToken: 'x' });
    const s = createSyncScheduler({ database: t.clario.database, engine: t.clario.engine, intervalHours: 24, log: t.clario.logger });
    expect(await s.tick(new Date(Date.now() + 60_000))).toBe(1);
    const [last] = await rows<{ user_id: string }>(t.clario.database.db, sql`SELECT user_id FROM phase_events WHERE phase = 1 ORDER BY created_at DESC LIMIT 1`);
    expect(last?.user_id).toBe('seller_A3CCCCC');
  });
});
