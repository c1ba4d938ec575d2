// Which capabilities this build has. Each capability's issue replaces its entry here; until then
// the port reports `not_available` and the phase parks visibly.
import type { Config } from './config/config.js';
import { unavailableCapabilities, type Capabilities } from './workflow/capabilities.js';

export function defaultCapabilities(_config: Config): Capabilities {
  return unavailableCapabilities();
}
