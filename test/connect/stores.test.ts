import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { connectedUsers, findConnection, refreshTokenOf, requireReconnect, saveConnection, userForPartner } from '../../src/connect/connections.js';
import { consumeState, createState } from '../../src/connect/oauth-states.js';
import { createSecretBox, parseKeys } from '../../src/security/secret-box.js';
import { openDatabase, rows, type Database } from '../../src/store/db.js';

let database: Database;
beforeAll(async () => {
  database = await openDatabase({});
});
afterAll(async () => {
  await database.close();
});

describe('OAuth states', () => {
  it('are single use', async () => {
    const state = await createState(database, 60_000);
    expect(await consumeState(database, state)).toBe('ok');
    expect(await consumeState(database, state)).toBe('used');
    expect(await consumeState(database, 'never-issued')).toBe('unknown');
  });

  it('expire', async () => {
    const state = await createState(database, 1);
    await database.db.execute(sql`UPDATE oauth_states SET expires_at = now() - interval '1 second'`);
    expect(await consumeState(database, state)).toBe('expired');
  });
});

describe('Amazon connections', () => {
  const keyA = `a:${randomBytes(32).toString('base64')}`;
  it('keep the refresh token sealed at rest and open it for the owner only', async () => {
    const box = createSecretBox(parseKeys(keyA));
    const userId = await userForPartner(database.db, 'A1PARTNER');
    expect(userId).toBe('seller_A1PARTNER');
    await saveConnection(database.db, box, { userId, sellingPartnerId: 'A1PARTNER', region: 'na', marketplaceIds: ['ATVPDKIKX0DER'], refreshToken: 'Atzr|very-secret' });
    const [stored] = await rows<{ refresh_token: string }>(database.db, sql`SELECT refresh_token FROM amazon_connections WHERE user_id = ${userId}`);
    expect(stored?.refresh_token).not.toContain('very-secret');
    expect(await refreshTokenOf(database.db, box, userId)).toBe('Atzr|very-secret');
    // A sealed token moved to another user's row does not open there.
    await saveConnection(database.db, box, { userId: 'other', sellingPartnerId: 'A2OTHER', region: 'na', marketplaceIds: [], refreshToken: 'x' });
    await database.db.execute(sql`UPDATE amazon_connections SET refresh_token = ${stored?.refresh_token} WHERE user_id = 'other'`);
    await expect(refreshTokenOf(database.db, box, 'other')).rejects.toThrow(/belongs elsewhere|tampered/);
    expect(await userForPartner(database.db, 'A1PARTNER')).toBe(userId); // the same seller comes back as the same user
  });

  it('re-seal a token under a new key when keys rotate', async () => {
    const rotated = createSecretBox(parseKeys(`b:${randomBytes(32).toString('base64')},${keyA}`));
    expect(await refreshTokenOf(database.db, rotated, 'seller_A1PARTNER')).toBe('Atzr|very-secret');
    const [stored] = await rows<{ refresh_token: string }>(database.db, sql`SELECT refresh_token FROM amazon_connections WHERE user_id = 'seller_A1PARTNER'`);
    expect(stored?.refresh_token.split('.')[1]).toBe('b');
  });

  it('record that a seller must reconnect', async () => {
    await requireReconnect(database.db, 'seller_A1PARTNER', { code: 'reconnect_required', message: 'revoked' });
    expect((await findConnection(database.db, 'seller_A1PARTNER'))?.status).toBe('reconnect_required');
    expect(await connectedUsers(database.db)).not.toContain('seller_A1PARTNER');
  });
});
