// Every process must have the encryption keys the database's secrets were sealed with. A process
// started with a key of its own (each machine generating one) is refused before it seals anything
// no other process can open.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { checkEncryptionKeys, KeyMismatchError } from '../../src/security/key-check.js';
import { parseKeys } from '../../src/security/secret-box.js';
import { startTestClario } from '../support/clario.js';
import { createTestDatabase, describeOnEngines, describeWithPostgres } from '../support/infra.js';

const key = () => randomBytes(32).toString('base64');

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describeOnEngines('checking the encryption keys at start', (database) => {
  const a = key();
  const b = key();

  it('records the keys of the first process, and passes the same keys again', async () => {
    await checkEncryptionKeys(database().db, parseKeys(`ka:${a}`));
    await expect(checkEncryptionKeys(database().db, parseKeys(`ka:${a}`))).resolves.toBeUndefined();
  });

  it('refuses another key under a known id, and a set sharing no id with the database', async () => {
    const wrong = key();
    const other = await failureOf(checkEncryptionKeys(database().db, parseKeys(`ka:${wrong}`)));
    expect(other).toBeInstanceOf(KeyMismatchError);
    expect((other as Error).message).toMatch(/^encryption key ka in CLARIO_ENCRYPTION_KEYS is not the key of that id this database's secrets were sealed with/);
    // Key ids are named; keys never are.
    for (const k of [a, wrong]) expect((other as Error).message).not.toContain(k);
    const disjoint = await failureOf(checkEncryptionKeys(database().db, parseKeys(`kz:${key()}`)));
    expect(disjoint).toBeInstanceOf(KeyMismatchError);
    expect((disjoint as Error).message).toMatch(/^none of the encryption keys \(kz\) is one this database's secrets were sealed with \(ka\)/);
    // Neither refusal recorded its key: the database still knows ka alone.
    await expect(checkEncryptionKeys(database().db, parseKeys(`ka:${a}`))).resolves.toBeUndefined();
  });

  it('takes a rotation: a new key prepended, then the old one dropped', async () => {
    await checkEncryptionKeys(database().db, parseKeys(`kb:${b},ka:${a}`));
    await expect(checkEncryptionKeys(database().db, parseKeys(`kb:${b}`))).resolves.toBeUndefined();
    // The dropped key, pasted wrong, is still refused if it comes back.
    await expect(checkEncryptionKeys(database().db, parseKeys(`kb:${b},ka:${key()}`))).rejects.toBeInstanceOf(KeyMismatchError);
  });
});

describeWithPostgres('a second process with its own encryption key', () => {
  it('is refused at start, naming the setting, and the first goes on', async () => {
    const db = await createTestDatabase();
    const first = await startTestClario({ store: 'postgres', database: db, env: { CLARIO_ENCRYPTION_KEYS: `k1:${key()}` } });
    try {
      const second = await failureOf(startTestClario({ store: 'postgres', database: db, role: 'worker', env: { CLARIO_ENCRYPTION_KEYS: `kmachine2:${key()}` } }));
      expect(second).toBeInstanceOf(KeyMismatchError);
      expect((second as Error).message).toContain('every process must have the same CLARIO_ENCRYPTION_KEYS');
      expect((await first.request('/api/v1/workflow/status/anyone')).status).toBe(200);
    } finally {
      await first.close();
      await db.drop();
    }
  });
});
