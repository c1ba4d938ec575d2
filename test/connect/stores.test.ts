import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { accountFor } from '../../src/connect/accounts.js';
import { connectedUsers, findConnection, linkPartner, refreshTokenOf, requireReconnect, saveConnection } from '../../src/connect/connections.js';
import { consumeState, createState, type StateBinding } from '../../src/connect/oauth-states.js';
import { createSecretBox, parseKeys } from '../../src/security/secret-box.js';
import { rows, type Database } from '../../src/store/db.js';
import { openPglite } from '../support/infra.js';

let database: Database;
beforeAll(async () => {
  database = await openPglite();
});
afterAll(async () => {
  await database.close();
});

describe('OAuth states', () => {
  const mine: StateBinding = { purpose: 'connect', browserHash: 'browser-a', userId: 'seller_a' };
  it('are single use', async () => {
    const state = await createState(database.db, 60_000, mine);
    expect(await consumeState(database.db, state, mine)).toBe('ok');
    expect(await consumeState(database.db, state, mine)).toBe('used');
    expect(await consumeState(database.db, 'never-issued', mine)).toBe('unknown');
  });

  it('expire', async () => {
    const state = await createState(database.db, 1, mine);
    await database.db.execute(sql`UPDATE oauth_states SET expires_at = now() - interval '1 second'`);
    expect(await consumeState(database.db, state, mine)).toBe('expired');
  });

  it('are completed only by the browser and account that started them, which keep their attempt', async () => {
    const state = await createState(database.db, 60_000, mine);
    expect(await consumeState(database.db, state, { ...mine, browserHash: 'browser-b' })).toBe('other_browser');
    expect(await consumeState(database.db, state, { ...mine, browserHash: 'none' })).toBe('other_browser');
    expect(await consumeState(database.db, state, { ...mine, userId: 'seller_b' })).toBe('other_account');
    expect(await consumeState(database.db, state, { ...mine, userId: null })).toBe('other_account');
    // A sign-in's state does not complete a consent, nor the other way round.
    expect(await consumeState(database.db, state, { ...mine, purpose: 'sign_in' })).toBe('unknown');
    expect(await consumeState(database.db, state, mine)).toBe('ok');
  });
});

describe('accounts', () => {
  it('are keyed by the Login with Amazon user_id: the same person comes back to the same account', async () => {
    const a = await accountFor(database.db, 'amzn1.account.AAAA');
    const b = await accountFor(database.db, 'amzn1.account.BBBB');
    expect(a).not.toBe(b);
    expect(await accountFor(database.db, 'amzn1.account.AAAA')).toBe(a);
  });
});

describe('Amazon connections', () => {
  const keyA = `a:${randomBytes(32).toString('base64')}`;
  it('keep the refresh token sealed at rest and open it for the owner only', async () => {
    const box = createSecretBox(parseKeys(keyA));
    const userId = 'seller_A1PARTNER';
    await saveConnection(database.db, box, { userId, sellingPartnerId: 'A1PARTNER', region: 'na', marketplaceIds: ['ATVPDKIKX0DER'], refreshToken: 'Atzr|very-secret' });
    const [stored] = await rows<{ refresh_token: string }>(database.db, sql`SELECT refresh_token FROM amazon_connections WHERE user_id = ${userId}`);
    expect(stored?.refresh_token).not.toContain('very-secret');
    expect(await refreshTokenOf(database.db, box, userId)).toBe('Atzr|very-secret');
    // A sealed token moved to another user's row does not open there.
    await saveConnection(database.db, box, { userId: 'other', sellingPartnerId: 'A2OTHER', region: 'na', marketplaceIds: [], refreshToken: 'x' });
    await database.db.execute(sql`UPDATE amazon_connections SET refresh_token = ${stored?.refresh_token} WHERE user_id = 'other'`);
    await expect(refreshTokenOf(database.db, box, 'other')).rejects.toThrow(/belongs elsewhere|tampered/);
  });

  it('link a selling partner to one account only: another account is refused and nothing of it is stored', async () => {
    const box = createSecretBox(parseKeys(keyA));
    const link = (userId: string, refreshToken: string) => linkPartner(database.db, box, { userId, sellingPartnerId: 'A9LINKED', region: 'na', marketplaceIds: [], refreshToken });
    expect(await link('seller_owner', 'Atzr|owner')).toEqual({ linked: true });
    expect(await link('seller_intruder', 'Atzr|intruder')).toEqual({ linked: false, ownerUserId: 'seller_owner' });
    expect(await findConnection(database.db, 'seller_intruder')).toBeUndefined();
    expect(await refreshTokenOf(database.db, box, 'seller_owner')).toBe('Atzr|owner');
    // The owner connecting again renews their own grant.
    expect(await link('seller_owner', 'Atzr|owner-2')).toEqual({ linked: true });
    expect(await refreshTokenOf(database.db, box, 'seller_owner')).toBe('Atzr|owner-2');
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
