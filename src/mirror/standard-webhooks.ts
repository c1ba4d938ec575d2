// Standard Webhooks signing (https://www.standardwebhooks.com): the receiver checks
// HMAC-SHA256("{webhook-id}.{webhook-timestamp}.{body}") with the key inside `whsec_<base64>`.
import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** A fresh secret: 32 random bytes, in the format receivers' Standard Webhooks libraries expect. */
export function generateSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

/** The HMAC key of a `whsec_` secret, or undefined when it is not one (or is too short to be safe). */
export function secretKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(PREFIX)) return undefined;
  const b64 = secret.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return undefined;
  const key = Buffer.from(b64, 'base64');
  // The spec recommends 24–64 bytes; fewer than 16 is guessable, more is pointless.
  return key.length >= 16 && key.length <= 64 ? key : undefined;
}

export interface SignedHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/** The three Standard Webhooks headers for `body`, sent at `at`. */
export function signWebhook(key: Buffer, id: string, at: Date, body: string): SignedHeaders {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
