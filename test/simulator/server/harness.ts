// Starts the simulator on a random loopback port over the fixture seller folder and walks the
// consent flow the way a browser would, so client tests talk real HTTP to real wire formats.
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { ManualClock } from '../../../src/amazon/clock.js';
import { LwaClient } from '../../../src/amazon/lwa.js';
import { startSimulator, type SimulatorOptions, type StartedSimulator } from '../../../src/simulator/server/index.js';

export const FIXTURE = fileURLToPath(new URL('./fixtures/seller-1', import.meta.url));
export const SELLER = 'A1TESTSELLER01';
export const CLIENT_ID = 'amzn1.application-oa2-client.test';
export const CLIENT_SECRET = 'test-secret';
export const APP_ID = 'amzn1.sp.solution.test';
export const REDIRECT = 'http://127.0.0.1:9/callback';

/** A fixed "now" after every fixture date, so date filters and PostedBefore behave like production. */
export function testClock(): ManualClock {
  return new ManualClock(Date.UTC(2027, 0, 15));
}

/**
 * A simulator closed after the test. (Closed by the test itself, not by a hook this module
 * registers: test files share their helper modules (vitest's isolate: false), so a hook registered
 * here would belong to whichever file imported it first.)
 */
export async function simulator(options: Partial<SimulatorOptions> = {}): Promise<StartedSimulator> {
  const sim = await startSimulator(0, {
    sellers: new Map([[SELLER, { folder: FIXTURE }]]),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...options,
  });
  onTestFinished(() => sim.close());
  return sim;
}

export function lwaFor(sim: StartedSimulator, options: { clock?: ManualClock; clientSecret?: string; fetch?: typeof fetch } = {}): LwaClient {
  return new LwaClient({
    clientId: CLIENT_ID,
    clientSecret: options.clientSecret ?? CLIENT_SECRET,
    tokenUrl: `${sim.url}/auth/o2/token`,
    consentBaseUrl: sim.url,
    authorizeUrl: `${sim.url}/ap/oa`,
    profileUrl: `${sim.url}/user/profile`,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** Opens the consent page, submits its form (Approve) and returns the callback's parameters. */
export async function approve(sim: StartedSimulator, lwa: LwaClient, state = 'csrf-123', sellerId?: string): Promise<URLSearchParams> {
  const page = await fetch(lwa.authorizeUrl({ applicationId: APP_ID, state, redirectUri: REDIRECT, beta: true }));
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, decodeEntities(m[2]!));
  // With several sellers the page shows a list instead of a hidden field: pick like a person would.
  form.set('selling_partner_id', sellerId ?? form.get('selling_partner_id') ?? SELLER);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const res = await fetch(new URL(action!, sim.url), { method: 'POST', body: form, redirect: 'manual' });
  if (res.status !== 302) throw new Error(`approve answered ${res.status}`);
  const location = new URL(res.headers.get('location')!);
  expectCallback(location);
  return location.searchParams;
}

function expectCallback(location: URL): void {
  if (`${location.origin}${location.pathname}` !== REDIRECT) throw new Error(`redirected to ${location.toString()}`);
}

function decodeEntities(text: string): string {
  return text.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
}

/** Consent + code exchange: a connected seller's refresh token. */
export async function connect(sim: StartedSimulator, lwa: LwaClient): Promise<string> {
  const callback = await approve(sim, lwa);
  const tokens = await lwa.exchangeCode(callback.get('spapi_oauth_code')!, REDIRECT);
  return tokens.refreshToken;
}
