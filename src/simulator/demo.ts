// The embedded mode's Amazon: the simulator on a loopback port, serving one demo seller whose
// year of activity (with a discrepancy of every kind planted) is generated on first start and
// kept in the data directory, with what the simulated Amazon remembers across restarts (the grant
// the demo seller gave Clario, the case log).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SimulatorLog } from './host-log.js';
import { generateSeller } from './seller/index.js';
import { startSimulator } from './server/app.js';
import type { OnDecision } from './server/cases.js';
import type { UsagePlanOverrides } from './server/usage-plans.js';
import { startAutoDecider } from './auto-decide.js';

export { DEMO_SELLER_ID as DEMO_SELLER } from './server/command.js';
import { DEMO_SELLER_ID as DEMO_SELLER } from './server/command.js';

export interface DemoAmazon {
  readonly url: string;
  readonly sellingPartnerId: string;
  /** The demo seller's unit costs, as the seller would upload them. */
  readonly costsFile: string;
  close(): Promise<void>;
}

/** The demo seller's folder in the data directory, generated the first time it is needed. */
export async function ensureDemoSeller(dataDir: string, asOf: string, log?: SimulatorLog): Promise<string> {
  const folder = join(dataDir, 'simulator', DEMO_SELLER);
  if (!existsSync(join(folder, 'ground-truth.jsonl'))) {
    log?.info({ folder }, 'generating the demo seller for the Amazon simulator');
    await generateSeller({ seed: 42, asOf }, folder);
  }
  return folder;
}

export async function startDemoAmazon(options: {
  dataDir: string;
  clientId: string;
  clientSecret: string;
  asOf: string;
  log: SimulatorLog;
  port?: number;
  /** Amazon answers each case this long after it was filed; 0: only when told to (tests). */
  decideAfterMs?: number;
  /** Told of each decision, by the demo's own Amazon or anyone else's POST /cases/:id/decision. */
  onDecision?: OnDecision;
  /** Usage plans above Amazon's defaults (tests page Finances faster than 0.5 calls a second). */
  usagePlans?: UsagePlanOverrides;
}): Promise<DemoAmazon> {
  const folder = await ensureDemoSeller(options.dataDir, options.asOf, options.log);
  const simulator = await startSimulator(options.port ?? 0, {
    sellers: new Map([[DEMO_SELLER, { folder }]]),
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    stateFile: join(options.dataDir, 'simulator', 'state.json'),
    ...(options.onDecision ? { onDecision: options.onDecision } : {}),
    ...(options.usagePlans ? { usagePlans: options.usagePlans } : {}),
  });
  const decider = options.decideAfterMs ? startAutoDecider({ url: simulator.url, simulator, afterMs: options.decideAfterMs, log: options.log }) : undefined;
  return {
    url: simulator.url,
    sellingPartnerId: DEMO_SELLER,
    costsFile: join(folder, 'costs.csv'),
    async close() {
      await decider?.stop();
      await simulator.close();
    },
  };
}
