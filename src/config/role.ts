// Which process a configuration can run: the embedded database lives inside one process, so only
// `all` runs without DATABASE_URL. Apart from the composition root so `clario worker` can refuse
// before it loads the app.
import type { Config } from './config.js';

export type Role = 'all' | 'api' | 'worker';

export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Throws StartupError when `role` cannot run on this configuration. */
export function checkRole(config: Config, role: Role): void {
  if (config.mode === 'embedded' && role !== 'all') {
    throw new StartupError(`'${role}' alone needs DATABASE_URL: the embedded database lives inside one process`);
  }
}
