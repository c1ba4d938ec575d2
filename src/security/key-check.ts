// Every process must seal and open with the same keys. A process started with other keys (each
// machine generating its own, a key pasted wrong) would run, seal new secrets no other process can
// open, and fail on every secret sealed before: sellers' Amazon connections break one by one. So
// the database keeps a known value sealed with each key id, and a process checks its keys against
// them before it does anything else.
import { eq } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { encryptionKeyChecks } from '../store/schema/connect-tables.js';
import { createSecretBox } from './secret-box.js';

export class KeyMismatchError extends Error {
  override readonly name = 'KeyMismatchError';
}

const KNOWN = 'clario encryption key check';
const context = (kid: string) => `encryption_key_checks:${kid}`;

function opens(sealed: string, kid: string, key: Buffer): boolean {
  try {
    return createSecretBox(new Map([[kid, key]])).open(sealed, context(kid)) === KNOWN;
  } catch {
    return false;
  }
}

const LOST =
  'If the keys the database knows are lost for good, so are the secrets sealed with them: `DELETE FROM encryption_key_checks` lets Clario start, and each seller then connects Amazon again.';

/**
 * Refuses keys that cannot be the ones the database's secrets were sealed with: a key whose id the
 * database knows but which does not open its value, or a set sharing no id with the database's.
 * Records the ids it does not know yet (a new database, a rotation that prepended a key).
 */
export async function checkEncryptionKeys(db: Db, keys: ReadonlyMap<string, Buffer>): Promise<void> {
  const known = await db.select({ kid: encryptionKeyChecks.kid, sealed: encryptionKeyChecks.sealed }).from(encryptionKeyChecks);
  for (const row of known) {
    const key = keys.get(row.kid);
    if (key && !opens(row.sealed, row.kid, key)) {
      throw new KeyMismatchError(`encryption key ${row.kid} in CLARIO_ENCRYPTION_KEYS is not the key of that id this database's secrets were sealed with: every process must have the same keys. ${LOST}`);
    }
  }
  if (known.length > 0 && !known.some((row) => keys.has(row.kid))) {
    throw new KeyMismatchError(
      `none of the encryption keys (${[...keys.keys()].join(', ')}) is one this database's secrets were sealed with (${known.map((r) => r.kid).join(', ')}): every process must have the same CLARIO_ENCRYPTION_KEYS. ${LOST}`,
    );
  }
  for (const [kid, key] of keys) {
    if (known.some((row) => row.kid === kid)) continue;
    const sealed = createSecretBox(new Map([[kid, key]])).seal(KNOWN, context(kid));
    await db.insert(encryptionKeyChecks).values({ kid, sealed }).onConflictDoNothing();
    // Another process starting at the same time may have written its own key under this id.
    const [row] = await db.select({ sealed: encryptionKeyChecks.sealed }).from(encryptionKeyChecks).where(eq(encryptionKeyChecks.kid, kid));
    if (!row || !opens(row.sealed, kid, key)) {
      throw new KeyMismatchError(`encryption key ${kid} in CLARIO_ENCRYPTION_KEYS is not the key another process recorded under that id: every process must have the same keys`);
    }
  }
}
