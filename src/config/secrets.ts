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
}

const Stored = z.object({ serviceToken: z.string().min(32), sessionSecret: z.string().min(32) });

export function secretsPath(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

function loadOrCreateStored(dataDir: string): Secrets {
  const path = secretsPath(dataDir);
  if (existsSync(path)) return Stored.parse(JSON.parse(readFileSync(path, 'utf8')));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const fresh: Secrets = {
    serviceToken: `clario_svc_${randomBytes(24).toString('base64url')}`,
    sessionSecret: randomBytes(32).toString('base64url'),
  };
  // 'wx' fails if another process wrote it first; then read theirs.
  try {
    writeFileSync(path, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return fresh;
  } catch {
    return Stored.parse(JSON.parse(readFileSync(path, 'utf8')));
  }
}

/** Configured secrets win; missing ones come from (or are created in) the data directory. */
export function resolveSecrets(config: Config): Secrets {
  const { serviceToken, sessionSecret } = config.secrets;
  if (serviceToken && sessionSecret) return { serviceToken, sessionSecret };
  const stored = loadOrCreateStored(config.dataDir);
  return { serviceToken: serviceToken ?? stored.serviceToken, sessionSecret: sessionSecret ?? stored.sessionSecret };
}
