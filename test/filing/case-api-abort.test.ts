// The case API client honours its caller's signal (a filing loop that is stopping): the call in
// flight is cancelled and rejects with the signal's reason, an aborted signal sends nothing, and a
// stopping filer does not wait for a case API that never answers. Against the Amazon simulator's
// own case log, with the call held in front of its route.
import { eq } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/amazon/clock.js';
import { createCaseApi, type CaseRequest } from '../../src/filing/case-api.js';
import type { ClaimsChannel } from '../../src/filing/channel.js';
import { registerCases } from '../../src/simulator/server/cases.js';
import { SimulatorState } from '../../src/simulator/server/state.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { holdRequests, type HeldRequests } from '../support/held-requests.js';
import { filingWorld, readyClaim } from './support.js';

class StoppedError extends Error {
  override readonly name = 'StoppedError';
}

const TOKEN = 'Atza|held-seller';
const REQUEST: CaseRequest = { subject: 'Lost units', description: 'Two units lost in FBA', items: [{ sku: 'SKU-1', fnsku: 'X001', quantity: 1, claim_type: 'lost_warehouse' }] };

let app: FastifyInstance | undefined;
afterEach(async () => {
  app?.server.closeAllConnections();
  await app?.close();
  app = undefined;
});

/** The simulator's case log with every case API request held; a client that would wait ten minutes. */
async function heldCaseLog(): Promise<{ url: string; held: HeldRequests; state: SimulatorState }> {
  const state = new SimulatorState(new Map(), systemClock);
  state.accessTokens.set(TOKEN, { sellerId: 'A1HELD', expiresAt: Number.MAX_SAFE_INTEGER });
  app = Fastify({ logger: false });
  const held = holdRequests(app, (req) => req.url.startsWith('/cases'));
  registerCases(app, { state, rateLimits: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return { url: `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`, held, state };
}

describe('case API calls honour the caller\'s signal', () => {
  it('aborting the signal cancels a filing in flight and rejects with its reason', async () => {
    const { url, held, state } = await heldCaseLog();
    const controller = new AbortController();
    const api = createCaseApi({ baseUrl: url, accessToken: () => Promise.resolve(TOKEN), timeoutMs: 600_000, signal: controller.signal });
    const filing = api.file(REQUEST, 'filing-key-1').catch((err: unknown) => err);
    await held.arrived;
    const reason = new StoppedError('the filer is stopping');
    controller.abort(reason);
    expect(await filing).toBe(reason);
    // The request itself was cancelled: Amazon's side saw the connection close, and no case was filed.
    await held.cut;
    expect(state.cases.size).toBe(0);
  });

  it('an aborted signal sends nothing', async () => {
    const { url, held } = await heldCaseLog();
    const controller = new AbortController();
    const reason = new StoppedError('stopped');
    controller.abort(reason);
    const api = createCaseApi({ baseUrl: url, accessToken: () => Promise.resolve(TOKEN), signal: controller.signal });
    await expect(api.findByKey('filing-key-2')).rejects.toBe(reason);
    expect(held.seen()).toBe(0);
  });

  it('a call whose signal is not aborted goes through as usual', async () => {
    const { url, held, state } = await heldCaseLog();
    held.release();
    const api = createCaseApi({ baseUrl: url, accessToken: () => Promise.resolve(TOKEN), signal: new AbortController().signal });
    const filed = await api.file(REQUEST, 'filing-key-3');
    expect(await api.findByKey('filing-key-3')).toMatchObject({ case_id: filed.case_id });
    expect(state.cases.size).toBe(1);
  });
});

describe('a stopping filer', () => {
  it('cancels the filing in flight instead of waiting for the case API, and the next round files it once', async () => {
    const w = await filingWorld();
    const user = 'seller_stop';
    await readyClaim(w.db, user);
    const { url, held } = await heldCaseLog();
    // The seller's case API, as the simulator channel makes it: with the loop's signal.
    const hung: ClaimsChannel = {
      kind: 'simulator',
      caseApi: (_userId, signal) => Promise.resolve(createCaseApi({ baseUrl: url, accessToken: () => Promise.resolve(TOKEN), timeoutMs: 600_000, ...(signal ? { signal } : {}) })),
    };
    const filer = w.filer({ channel: hung });
    filer.start();
    filer.nudge();
    await held.arrived;
    // Returns although the case API never answers: the stop cancelled the call.
    await filer.stop();
    await held.cut;
    const [intent] = await w.db.select().from(filings).where(eq(filings.userId, user));
    expect(intent).toMatchObject({ status: 'prepared', caseId: null });

    // The next filer (after a restart, say) reconciles the intent and files it, once.
    expect(await w.filer().runOnce()).toEqual({ prepared: 0, filed: 1, failed: 0 });
    expect(await w.casesAtAmazon()).toHaveLength(1);
  });
});
