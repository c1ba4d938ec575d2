// In the embedded mode Clario makes its own secrets on first start and keeps them in the data
// directory (mode 0600), so that `npm start` needs no setup. Production passes them in.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from './config.js';

export interface Secrets {
  readonly serviceToken: string;
  readonly sessionSecret: string;
  /** "kid:base64key[,…]": the first key seals, all open (secret-box.ts). */
  readonly encryptionKeys: string;
}

const Stored = z.object({ serviceToken: z.string().min(32), sessionSecret: z.string().min(32), encryptionKeys: z.string().min(1).optional() });

const newKeys = () => `k${Date.now().toString(36)}:${randomBytes(32).toString('base64')}`;

export function secretsPath(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

function loadOrCreateStored(dataDir: string): Secrets {
  const path = secretsPath(dataDir);
  if (existsSync(path)) {
    const stored = Stored.parse(JSON.parse(readFileSync(path, 'utf8')));
    if (stored.encryptionKeys) return { ...stored, encryptionKeys: stored.encryptionKeys };
    // A data directory from before encryption keys existed: add one, keep the rest.
    const upgraded = { ...stored, encryptionKeys: newKeys() };
    writeFileSync(path, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
    return upgraded;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const fresh: Secrets = {
    serviceToken: `clario_svc_${randomBytes(24).toString('base64url')}`,
    sessionSecret: randomBytes(32).toString('base64url'),
    encryptionKeys: newKeys(),
  };
  // 'wx' fails if another process wrote it first; then read theirs.
  try {
    writeFileSync(path, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return fresh;
  } catch (err) {
    // 'wx' fails when another process wrote the file first: use theirs. Anything else is real.
    if (!existsSync(path)) throw err;
    return loadOrCreateStored(dataDir);
  }
}

/** Configured secrets win; missing ones come from (or are created in) the data directory. */
export function resolveSecrets(config: Config): Secrets {
  const { serviceToken, sessionSecret, encryptionKeys } = config.secrets;
  if (serviceToken && sessionSecret && encryptionKeys) return { serviceToken, sessionSecret, encryptionKeys };
  const stored = loadOrCreateStored(config.dataDir);
  return {
    serviceToken: serviceToken ?? stored.serviceToken,
    sessionSecret: sessionSecret ?? stored.sessionSecret,
    encryptionKeys: encryptionKeys ?? stored.encryptionKeys,
  };
}

export class NoSecretsError extends Error {
  override readonly name = 'NoSecretsError';
}

/**
 * The secrets a running service uses, for commands beside it (`clario token`): configured ones,
 * else the data directory's. Never creates any: tokens signed with secrets the service does not
 * have would be refused, so a missing file is an error that says where it looked.
 */
export function readSecrets(config: Config): Secrets {
  const { serviceToken, sessionSecret, encryptionKeys } = config.secrets;
  // Tokens need only these two; the encryption keys are the service's business.
  if (serviceToken && sessionSecret) return { serviceToken, sessionSecret, encryptionKeys: encryptionKeys ?? '' };
  const path = secretsPath(config.dataDir);
  if (!existsSync(path)) {
    throw new NoSecretsError(`no secrets in ${config.dataDir} (CLARIO_DATA_DIR): start Clario first (npm start), or set CLARIO_DATA_DIR to the folder it runs on`);
  }
  const stored = Stored.parse(JSON.parse(readFileSync(path, 'utf8')));
  return {
    serviceToken: serviceToken ?? stored.serviceToken,
    sessionSecret: sessionSecret ?? stored.sessionSecret,
    encryptionKeys: encryptionKeys ?? stored.encryptionKeys ?? '',
  };
}
