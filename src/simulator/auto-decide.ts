// The demo's Amazon answers the cases Clario files, so that `npm start` shows the whole pipeline
// (payouts, fees, proof packets, and a rejection to learn from) without anyone playing Amazon by
// hand. Deterministic per case id: about three in four are approved at the amounts claimed, the
// rest rejected with the reasons Amazon gives most. Decisions go through the simulator's own
// decision endpoint, the same one an operator (or a test) would call.
import { createHash } from 'node:crypto';
import type { SimulatorLog } from './host-log.js';
import type { Simulator } from './server/app.js';

const REJECTIONS = [
  'Please provide a valid supplier invoice or other proof of ownership for the units in question.',
  'Our records show the units were found and returned to your inventory.',
];

export type Decision = { approve: { items: Array<{ amount_minor: number }>; currency: string } } | { reject: { reason: string } };

/** Amazon's answer to a case, from its id and what it asks for. Pure. */
export function decisionFor(caseId: string, request: Readonly<Record<string, unknown>>): Decision {
  const digest = createHash('sha256').update(caseId).digest();
  const roll = digest[0] ?? 0;
  const items = Array.isArray(request.items) ? (request.items as Array<Record<string, unknown>>) : [request];
  const amounts = items.map((i) => i.amount_minor);
  const currencies = new Set(items.map((i) => i.currency));
  const priced = amounts.every((a) => typeof a === 'number' && Number.isInteger(a) && a > 0) && currencies.size === 1;
  const [currency] = [...currencies];
  if (roll < 192 && priced && typeof currency === 'string') {
    return { approve: { items: amounts.map((a) => ({ amount_minor: a as number })), currency } };
  }
  return { reject: { reason: REJECTIONS[(digest[1] ?? 0) % REJECTIONS.length] ?? 'Insufficient information.' } };
}

export interface AutoDecider {
  /** Stops deciding and waits for a round in progress, so no request reaches a simulator being closed. */
  stop(): Promise<void>;
}

export function startAutoDecider(options: {
  url: string;
  simulator: Pick<Simulator, 'openCases'>;
  afterMs: number;
  log: SimulatorLog;
  intervalMs?: number;
  now?: () => number;
}): AutoDecider {
  const now = options.now ?? Date.now;
  let stopped = false;
  let round: Promise<void> | undefined;
  const decide = async () => {
    try {
      for (const c of options.simulator.openCases()) {
        if (stopped) break;
        if (now() - Date.parse(c.createdAt) < options.afterMs) break; // oldest first: the rest are younger
        const r = await fetch(`${options.url}/cases/${encodeURIComponent(c.caseId)}/decision`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(decisionFor(c.caseId, c.request)),
        });
        // 409: someone (an operator, a test) decided it first.
        if (!r.ok && r.status !== 409) options.log.warn({ caseId: c.caseId, status: r.status }, 'the demo Amazon could not decide a case');
        await r.arrayBuffer();
      }
    } catch (err) {
      options.log.warn({ err }, 'the demo Amazon could not decide cases this round');
    }
  };
  const timer = setInterval(() => {
    round ??= decide().finally(() => (round = undefined));
  }, options.intervalMs ?? Math.max(1000, Math.min(10_000, Math.floor(options.afterMs / 4))));
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await round;
    },
  };
}
