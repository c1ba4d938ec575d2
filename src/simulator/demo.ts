// The embedded mode's Amazon: the simulator on a loopback port, serving one demo seller whose
// year of activity (with a discrepancy of every kind planted) is generated on first start and
// kept in the data directory.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from '../workflow/log.js';
import { generateSeller } from './seller/index.js';
import { startSimulator } from './server/app.js';

export const DEMO_SELLER = 'A1CLARIODEMO01';

export interface DemoAmazon {
  readonly url: string;
  readonly sellingPartnerId: string;
  close(): Promise<void>;
}

export async function startDemoAmazon(o: { dataDir: string; clientId: string; clientSecret: string; asOf: string; log: Log; port?: number }): Promise<DemoAmazon> {
  const folder = join(o.dataDir, 'simulator', DEMO_SELLER);
  if (!existsSync(join(folder, 'ground-truth.jsonl'))) {
    o.log.info({ folder }, 'generating the demo seller for the Amazon simulator');
    await generateSeller({ seed: 42, asOf: o.asOf }, folder);
  }
  const simulator = await startSimulator(o.port ?? 0, { sellers: new Map([[DEMO_SELLER, { folder }]]), clientId: o.clientId, clientSecret: o.clientSecret });
  return { url: simulator.url, sellingPartnerId: DEMO_SELLER, close: () => simulator.close() };
}
