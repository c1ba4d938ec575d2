import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseKeys, SecretBoxError } from '../../src/security/secret-box.js';

const key = () => randomBytes(32).toString('base64');

describe('the secret box', () => {
  it('seals so that the plaintext is not visible, and opens only in the same context', () => {
    const box = createSecretBox(parseKeys(`k1:${key()}`));
    const sealed = box.seal('Atzr|refresh-token', 'user:alice');
    expect(sealed).not.toContain('Atzr');
    expect(box.seal('Atzr|refresh-token', 'user:alice')).not.toBe(sealed); // fresh nonce
    expect(box.open(sealed, 'user:alice')).toBe('Atzr|refresh-token');
    expect(() => box.open(sealed, 'user:bob')).toThrow(SecretBoxError);
  });

  it('refuses a tampered value', () => {
    const box = createSecretBox(parseKeys(`k1:${key()}`));
    const parts = box.seal('secret', 'c').split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => box.open(parts.join('.'), 'c')).toThrow(/tampered/);
  });

  it.each([12, 8, 4])('refuses a tag truncated to %i bytes', (bytes) => {
    const box = createSecretBox(parseKeys(`k1:${key()}`));
    const parts = box.seal('secret', 'c').split('.');
    parts[3] = Buffer.from(parts[3]!, 'base64url').subarray(0, bytes).toString('base64url');
    expect(() => box.open(parts.join('.'), 'c')).toThrow(SecretBoxError);
  });

  it('rotates: new values use the first key, old ones still open', () => {
    const old = key();
    const before = createSecretBox(parseKeys(`old:${old}`));
    const sealed = before.seal('token', 'c');
    const after = createSecretBox(parseKeys(`new:${key()},old:${old}`));
    expect(after.open(sealed, 'c')).toBe('token');
    expect(after.needsRotation(sealed)).toBe(true);
    expect(after.needsRotation(after.seal('token', 'c'))).toBe(false);
    expect(() => createSecretBox(parseKeys(`new:${key()}`)).open(sealed, 'c')).toThrow(/no longer configured/);
  });

  it('refuses keys of the wrong size', () => {
    expect(() => parseKeys('k1:' + randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => parseKeys('')).toThrow(/no encryption key/);
  });
});
