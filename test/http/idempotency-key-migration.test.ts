// Migration 0021 gives the Idempotency-Keys stored before it the user id's length, as new ones
// have, so a caller retrying a request made before the upgrade still gets its first event.
import { describe, expect, it } from 'vitest';
import { inboxKey } from '../../src/http/idempotency.js';
import { databaseBefore } from '../support/migrations-before.js';

describe('the scoped idempotency key migration', () => {
  it("rewrites each caller's key from its own row's user id, and leaves the others", async () => {
    const { client, migrateRest } = await databaseBefore('substr("idempotency_key", 5');
    const insert = (id: string, key: string, userId: string) =>
      client.query(
        `INSERT INTO phase_events (id, idempotency_key, request_hash, phase, user_id, lane, payload, source, max_attempts) VALUES ($1, $2, 'h', 1, $3, $3, '{}', 'http', 5)`,
        [id, key, userId],
      );
    await insert('e1', 'key:acme:shop:order-1', 'acme');
    await insert('e2', 'key:u:1:k', 'u:1');
    await insert('e3', 'auto:abc', 'acme');
    await insert('e4', 'next:e1:2', 'acme');

    await migrateRest();

    const keys = Object.fromEntries((await client.query<{ id: string; idempotency_key: string }>('SELECT id, idempotency_key FROM phase_events')).rows.map((r) => [r.id, r.idempotency_key]));
    expect(keys).toEqual({
      e1: inboxKey('acme', 'h', 'shop:order-1'),
      e2: inboxKey('u:1', 'h', 'k'),
      e3: 'auto:abc',
      e4: 'next:e1:2',
    });
  });
});
