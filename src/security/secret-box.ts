// Secrets at rest (Amazon refresh tokens, Stripe ids): AES-256-GCM with a random 96-bit nonce per
// value, the key id in the envelope so keys can rotate: new values use the first key, old values
// still open with the key they name. The associated data binds a value to what it belongs to
// (e.g. the user id), so an encrypted token copied to another row does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(envelope: string, context: string): string;
  /** True when the envelope was sealed with an older key and should be sealed again. */
  needsRotation(envelope: string): boolean;
}

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

const VERSION = 'v1';
/** GCM's full tag. A shorter one still "verifies" in Node unless the length is pinned, and a 4-byte tag is forgeable by trial. */
const TAG_BYTES = 16;

/** Keys as configured: "kid:base64key[,kid:base64key…]", the first one active. */
export function parseKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [kid, b64] = part.split(':');
    if (!kid || !b64 || !/^[A-Za-z0-9_-]{1,32}$/.test(kid)) throw new SecretBoxError('a key is written kid:base64 (kid: letters, digits, _ or -)');
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) throw new SecretBoxError(`key ${kid} must be 32 bytes (base64 of 32 random bytes)`);
    if (keys.has(kid)) throw new SecretBoxError(`key id ${kid} is listed twice`);
    keys.set(kid, key);
  }
  if (keys.size === 0) throw new SecretBoxError('no encryption key configured');
  return keys;
}

export function createSecretBox(keys: Map<string, Buffer>): SecretBox {
  const [activeId, activeKey] = [...keys.entries()][0] ?? [];
  if (!activeId || !activeKey) throw new SecretBoxError('no encryption key configured');
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', activeKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, activeId, iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.');
    },
    open(envelope, context) {
      const [version, kid, iv, tag, body] = envelope.split('.');
      if (version !== VERSION || !kid || !iv || !tag || body === undefined) throw new SecretBoxError('not a sealed value');
      const key = keys.get(kid);
      if (!key) throw new SecretBoxError(`sealed with key ${kid}, which is no longer configured`);
      const tagBytes = Buffer.from(tag, 'base64url');
      if (tagBytes.length !== TAG_BYTES) throw new SecretBoxError('the sealed value was tampered with or belongs elsewhere');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tagBytes);
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('the sealed value was tampered with or belongs elsewhere');
      }
    },
    needsRotation(envelope) {
      return envelope.split('.')[1] !== activeId;
    },
  };
}
