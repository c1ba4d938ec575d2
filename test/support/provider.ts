// A stand-in for an outside provider with consequences (a payment processor, a case API): it
// honours idempotency keys like Stripe does, can be asked whether a key was seen, and counts
// every call that really took effect. Runs on loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Capabilities } from '../../src/workflow/capabilities.js';
import { testCapabilities } from './capabilities.js';

export interface Provider {
  readonly url: string;
  /** How many times each key took effect (a correct client keeps every count at 1). */
  readonly effects: Map<string, number>;
  readonly calls: { perform: number; lookup: number };
  close(): Promise<void>;
}

export interface ProviderOptions {
  /** Answer each key's first charge 503, without effect, as a provider having a bad moment does. */
  readonly failFirstCharge?: boolean;
}

export async function startProvider(o: ProviderOptions = {}): Promise<Provider> {
  const effects = new Map<string, number>();
  const calls = { perform: 0, lookup: 0 };
  const refused = new Set<string>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = url.searchParams.get('key') ?? '';
    if (req.method === 'POST' && url.pathname === '/charges') {
      calls.perform++;
      if (o.failFirstCharge && !refused.has(key)) {
        refused.add(key);
        res.writeHead(503).end();
        return;
      }
      effects.set(key, (effects.get(key) ?? 0) + 1);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ charge: `ch_${key}` }));
    } else if (req.method === 'GET' && url.pathname === '/charges') {
      calls.lookup++;
      if (effects.has(key)) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ charge: `ch_${key}` }));
      else res.writeHead(404).end();
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    effects,
    calls,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * Capabilities whose phase 7 charges through the provider, with the effects ledger.
 * `afterProviderCall` runs once the provider has charged but before the ledger records it: the
 * worst moment to crash.
 */
export function chargingCapabilities(providerUrl: string, afterProviderCall?: () => Promise<void>): Capabilities {
  return {
    ...testCapabilities(),
    settlement: {
      async settle(ctx, input) {
        const charge = await ctx.effects.once(`fee:${input.payoutId}`, 'charge_fee', {
          async perform(key) {
            const r = await fetch(`${providerUrl}/charges?key=${encodeURIComponent(key)}`, { method: 'POST' });
            if (!r.ok) throw new Error(`provider said ${r.status}`);
            const body = (await r.json()) as { charge: string };
            await afterProviderCall?.();
            return body;
          },
          async reconcile(key) {
            const r = await fetch(`${providerUrl}/charges?key=${encodeURIComponent(key)}`);
            if (r.status === 404) return undefined;
            if (!r.ok) throw new Error(`provider said ${r.status}`);
            return (await r.json()) as { charge: string };
          },
        });
        return { data: { charge: charge.charge } };
      },
    },
  };
}
