// The outside world the workload touches, on loopback: Amazon's case log (the simulator's own
// case API, the real wire format) and a fee processor (the loopback provider of the tests). Both
// count every effect that really happened, which is what the scenarios check: one case per
// claim, one charge per payout, whatever crashed in between.
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { systemClock } from '../src/amazon/clock.js';
import { registerCases } from '../src/simulator/server/cases.js';
import { SimulatorState } from '../src/simulator/server/state.js';
import { startProvider, type Provider } from '../test/support/provider.js';

/** A case Amazon's side saw filed (201, a new case), with the claim it is for. */
export interface FiledCase {
  readonly caseId: string;
  readonly sellerId: string;
  readonly userId: string;
  readonly claimId: string;
  readonly amountMinor: number;
  readonly currency: string;
}

export interface CaseApi {
  readonly url: string;
  /** Shared with the workers: they derive each seller's access token from it. */
  readonly tokenSecret: string;
  /** New cases per claim id (a correct client keeps every count at 1). */
  readonly created: Map<string, number>;
  readonly calls: { file: number; lookup: number };
  /** Makes the seller known, so the workload's calls for it are accepted. */
  addSeller(userId: string): void;
  onFiled(listener: (c: FiledCase) => void): void;
  close(): Promise<void>;
}

/** The access token the workload sends for a seller (the simulator checks it like Amazon's). */
export function caseToken(secret: string, userId: string): string {
  return `Atza|${secret}|${userId}`;
}

/** The description the workload files: Amazon's side reads the claim back from it. */
export interface CaseNote {
  readonly user_id: string;
  readonly claim_id: string;
  readonly amount_minor: number;
  readonly currency: string;
}

/**
 * `answerDelayMs`: the case is filed at once, its answer takes this long to arrive (a slow case
 * API), so a worker stopped meanwhile leaves a case filed that it never heard about.
 */
export async function startCaseApi(options: { answerDelayMs?: number } = {}): Promise<CaseApi> {
  const tokenSecret = randomBytes(8).toString('hex');
  const state = new SimulatorState(new Map(), systemClock);
  const created = new Map<string, number>();
  const calls = { file: 0, lookup: 0 };
  const listeners: Array<(c: FiledCase) => void> = [];
  const app = Fastify({ logger: false });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method === 'GET' && req.url.startsWith('/cases')) calls.lookup++;
    if (req.method !== 'POST' || req.url !== '/cases') return payload;
    calls.file++;
    if (reply.statusCode !== 201 || typeof payload !== 'string') return payload;
    const filed = JSON.parse(payload) as { case_id: string; description: string };
    const note = JSON.parse(filed.description) as CaseNote;
    created.set(note.claim_id, (created.get(note.claim_id) ?? 0) + 1);
    const c: FiledCase = { caseId: filed.case_id, sellerId: note.user_id, userId: note.user_id, claimId: note.claim_id, amountMinor: note.amount_minor, currency: note.currency };
    for (const l of listeners) l(c);
    return payload;
  });
  const delay = options.answerDelayMs ?? 0;
  if (delay > 0) app.addHook('onSend', async (_req, _reply, payload) => {
    await new Promise((r) => setTimeout(r, delay));
    return payload;
  });
  registerCases(app, { state, rateLimits: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    tokenSecret,
    created,
    calls,
    addSeller(userId) {
      state.accessTokens.set(caseToken(tokenSecret, userId), { sellerId: userId, expiresAt: Number.MAX_SAFE_INTEGER });
    },
    onFiled: (l) => void listeners.push(l),
    close: () => app.close(),
  };
}

export interface Providers {
  readonly cases: CaseApi;
  readonly fees: Provider;
  /** What a workload process needs to reach them. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function startProviders(options: { feesFailFirst?: boolean; caseAnswerDelayMs?: number } = {}): Promise<Providers> {
  const cases = await startCaseApi({ answerDelayMs: options.caseAnswerDelayMs ?? 0 });
  const fees = await startProvider({ failFirstCharge: options.feesFailFirst ?? false });
  return {
    cases,
    fees,
    env: { RESILIENCE_CASE_API_URL: cases.url, RESILIENCE_CASE_TOKEN_SECRET: cases.tokenSecret, RESILIENCE_FEE_URL: fees.url },
    async close() {
      await cases.close();
      await fees.close();
    },
  };
}

/** Largest count in a map of effects (1 when every effect happened once, 0 when none did). */
export function maxCount(m: ReadonlyMap<string, number>): number {
  let max = 0;
  for (const v of m.values()) max = Math.max(max, v);
  return max;
}

/** How many keys took effect more than once, and how many extra effects that made. */
export function duplicates(m: ReadonlyMap<string, number>): number {
  let extra = 0;
  for (const v of m.values()) extra += Math.max(0, v - 1);
  return extra;
}
