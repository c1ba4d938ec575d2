export { startClario, type Clario, type ClarioOptions } from './main.js';
export { loadConfig, type Config } from './config/config.js';
export type { Capabilities } from './workflow/capabilities.js';
export type { PhaseNumber } from './domain/phase.js';
export type { Money } from './domain/money.js';
