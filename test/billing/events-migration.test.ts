// Stripe events stored whole before issue 14 lose their raw bodies when the migration runs, and
// keep what is still needed (when Stripe created them, the payout they settled).
import { describe, expect, it } from 'vitest';
import { databaseBefore } from '../support/migrations-before.js';

describe('the billing_events migration', () => {
  it('drops the raw Stripe bodies of events already stored, keeping their time and payout', async () => {
    const { client, migrateRest } = await databaseBefore('DROP COLUMN "payload"');
    const event = { id: 'evt_old', type: 'payment_intent.succeeded', created: 1_780_000_000, data: { object: { id: 'pi_secret123', customer: 'cus_abc', metadata: { payout_id: 'PAY-OLD' } } } };
    await client.query(`INSERT INTO billing_events (id, type, payload) VALUES ($1, $2, $3)`, [event.id, event.type, JSON.stringify(event)]);
    await migrateRest();
    const { rows } = await client.query<Record<string, unknown>>(`SELECT * FROM billing_events`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).not.toHaveProperty('payload');
    expect(JSON.stringify(rows)).not.toMatch(/pi_secret123|cus_abc/);
    expect(rows[0]).toMatchObject({ id: 'evt_old', payout_id: 'PAY-OLD', object_ref: null });
    expect((rows[0]?.created_at as Date).getTime()).toBe(1_780_000_000_000);
  });
});
