// The typed client against the real server: triggers and their repeats, the webhooks, client-side
// validation, the server's errors, and retries through a flaky loopback proxy.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { buildStatus } from '../../src/http/routes/status.js';
import {
  ClarioApiError,
  ClarioNetworkError,
  ClarioValidationError,
  createClarioClient,
  type ClarioClientOptions,
  type ClarioStatus,
} from '../../src/client/index.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { waitFor } from '../support/wait.js';
import { closedPort, flakyProxy, type Failure } from './proxy.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
});
afterAll(async () => {
  await t.close();
});

/** A client whose sleeps are recorded instead of waited, and whose requests are counted. */
function client(over: Partial<ClarioClientOptions> = {}) {
  const sleeps: number[] = [];
  const counter = { requests: 0 };
  const c = createClarioClient({
    baseUrl: t.url,
    token: t.serviceToken,
    sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
    fetch: (input, init) => (counter.requests++, fetch(input, init)),
    ...over,
  });
  return { c, sleeps, counter };
}

async function withProxy<T>(failures: Failure[], fn: (p: Awaited<ReturnType<typeof flakyProxy>>) => Promise<T>): Promise<T> {
  const p = await flakyProxy(t.url, failures);
  try {
    return await fn(p);
  } finally {
    await p.close();
  }
}

describe('triggers', () => {
  it('answers 202 with a typed result, and a repeat with the same key is a duplicate', async () => {
    const { c } = client();
    const body = { user_id: 'cl-u1', sync_id: 'cl-s1', seller_id: 'A1', source_app: 'main-api' };
    const first = await c.triggerPhase(1, body, { idempotencyKey: 'cl-key-1' });
    expect(first).toMatchObject({ phase: 1, userId: 'cl-u1', syncId: 'cl-s1', claimId: null, duplicate: false, idempotencyKey: 'cl-key-1' });
    const again = await c.triggerPhase(1, body, { idempotencyKey: 'cl-key-1' });
    expect(again).toMatchObject({ eventId: first.eventId, duplicate: true });

    const event = await c.event(first.eventId);
    expect(event).toMatchObject({ event_id: first.eventId, phase: 1, name: 'onboarding', user_id: 'cl-u1' });
    const audit = await c.audit({ eventId: first.eventId });
    expect(audit.entries[0]).toMatchObject({ event_id: first.eventId, from: null, to: 'pending' });
  });

  it('generates an Idempotency-Key (a UUID) when none is given', async () => {
    const r = await client().c.triggerPhase(1, { user_id: 'cl-u2' });
    expect(r.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('each webhook method posts to its phase webhook', async () => {
    await withProxy([], async (p) => {
      const c = client({ baseUrl: p.url }).c;
      const u = { user_id: 'cl-wh', sync_id: 'cl-wh-s' };
      const claim = { user_id: 'cl-wh', claim_id: 'cl-wh-c' };
      const results = [
        await c.syncComplete(u),
        await c.detectionComplete(u),
        await c.evidenceMatchingComplete({ ...u, matches: [] }),
        await c.claimSubmitted({ ...claim, case_id: 'cl-wh-case' }),
        await c.claimRejected({ ...claim, reason: 'not eligible' }),
        await c.payoutReceived({ ...claim, payout_id: 'cl-wh-p', amount_minor: 1250, currency: 'USD' }),
      ];
      expect(results.map((r) => r.phase)).toEqual([2, 3, 4, 5, 6, 7]);
      expect(p.paths).toEqual(
        ['sync/complete', 'detection/complete', 'evidence-matching/complete', 'claim/submitted', 'claim/rejected', 'payout/received'].map((w) => `/api/v1/workflow/${w}`),
      );
      const stored = await Promise.all(results.map((r) => c.event(r.eventId)));
      expect(stored.map((e) => e.phase)).toEqual([2, 3, 4, 5, 6, 7]);
    });
  });
});

describe('validation before sending', () => {
  it('refuses a bad body without a request, listing every issue', async () => {
    const { c, counter } = client();
    const err = await c
      // @ts-expect-error -- payout_id and currency are missing: the types refuse it too
      .triggerPhase(7, { user_id: 'bad id', claim_id: 'c1', amount_minor: 12.5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClarioValidationError);
    const paths = (err as ClarioValidationError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['/user_id', '/payout_id', '/amount_minor', '/currency']));
    await expect(c.claimRejected({ user_id: 'u1', reason: 'x' })).rejects.toThrow(/claim_id or case_id/);
    await expect(c.syncComplete({ user_id: 'u1' }, { idempotencyKey: 'has space' })).rejects.toBeInstanceOf(ClarioValidationError);
    await expect(c.triggerPhase(8 as 1, { user_id: 'u1' })).rejects.toBeInstanceOf(ClarioValidationError);
    expect(counter.requests).toBe(0);
  });
});

describe("the server's errors", () => {
  it('a 403 is a ClarioApiError with the server code, not retried', async () => {
    const seller = client({ token: await t.sellerToken('cl-u3') });
    const err = await seller.c.triggerPhase(1, { user_id: 'cl-u3' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClarioApiError);
    expect(err).toMatchObject({ status: 403, code: 'forbidden', retryable: false, attempts: 1 });
    expect(seller.counter.requests).toBe(1);
    expect(seller.sleeps).toEqual([]);
  });

  it('a 400 from the server carries its details, not retried', async () => {
    const { c, counter } = client();
    const err = await c.audit({ limit: 5000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'invalid_request', retryable: false });
    expect(counter.requests).toBe(1);
  });

  it('409 idempotency_conflict and not_parked, 404 not_found', async () => {
    const { c, counter } = client();
    const first = await c.triggerPhase(1, { user_id: 'cl-u4', sync_id: 'a' }, { idempotencyKey: 'cl-key-4' });
    const conflict = await c.triggerPhase(1, { user_id: 'cl-u4', sync_id: 'b' }, { idempotencyKey: 'cl-key-4' }).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ status: 409, code: 'idempotency_conflict', details: { event_id: first.eventId } });
    await expect(c.replay(first.eventId)).rejects.toMatchObject({ status: 409, code: 'not_parked' });
    await expect(c.event('no-such-event')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    expect(counter.requests).toBe(4); // one each: nothing was retried
  });
});

describe('reading', () => {
  it("a seller reads their own status through the client", async () => {
    const { c } = client();
    const r = await c.triggerPhase(1, { user_id: 'cl-u5', sync_id: 'cl-s5' });
    await waitFor(async () => (await c.event(r.eventId)).status === 'completed');
    const seller = client({ token: () => t.sellerToken('cl-u5') }).c;
    const status = await seller.status('cl-u5');
    expect(status.user_id).toBe('cl-u5');
    expect(status.runs.find((run) => run.sync_id === 'cl-s5')?.phases[0]).toMatchObject({ phase: 1, status: 'completed' });
    await expect(seller.status('someone-else')).rejects.toMatchObject({ status: 403 });
    // The documented type stays true to what the server builds.
    expectTypeOf<Awaited<ReturnType<typeof buildStatus>>>().toExtend<ClarioStatus>();
  });
});

describe('retries', () => {
  it('retries 503 and 429 with the same Idempotency-Key, honouring Retry-After, then succeeds', async () => {
    const failures: Failure[] = [{ status: 503 }, { status: 429, headers: { 'retry-after': '0' } }, { status: 502, body: '<html>bad gateway</html>' }];
    await withProxy(failures, async (p) => {
      const { c, sleeps } = client({ baseUrl: p.url, random: () => 0.5 });
      const r = await c.syncComplete({ user_id: 'cl-u6', sync_id: 'cl-s6' });
      expect(r).toMatchObject({ phase: 2, duplicate: false });
      expect(p.keys).toHaveLength(4);
      expect(new Set(p.keys)).toEqual(new Set([r.idempotencyKey]));
      expect(sleeps[1]).toBe(0); // Retry-After: 0 is obeyed instead of the backoff
      expect(sleeps).toHaveLength(3);
    });
  });

  it('a retry after a lost answer is a duplicate, not a second event', async () => {
    await withProxy(['hang'], async (p) => {
      // Generous: the second attempt reaches a real Clario, which must answer within it even on
      // a loaded machine, or a third attempt (a duplicate) would blur what is being tested.
      const { c } = client({ baseUrl: p.url, timeoutMs: 2_500 });
      const key = `cl-key-${randomUUID()}`;
      const r = await c.triggerPhase(1, { user_id: 'cl-u7' }, { idempotencyKey: key });
      expect(p.keys).toEqual([key, key]);
      expect(r.duplicate).toBe(false); // the hung attempt never reached Clario
    });
  });

  it('gives up with the last ClarioApiError when 5xx persists', async () => {
    await withProxy(Array.from({ length: 3 }, () => ({ status: 503 })), async (p) => {
      const { c } = client({ baseUrl: p.url, retries: 2 });
      const err = await c.status('cl-u8').catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 503, code: 'unavailable', retryable: true, attempts: 3 });
    });
  });

  it('connection refused ends in ClarioNetworkError after the configured retries', async () => {
    const port = await closedPort();
    const { c, sleeps, counter } = client({ baseUrl: `http://127.0.0.1:${port}`, retries: 3 });
    const err = await c.triggerPhase(2, { user_id: 'cl-u9' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClarioNetworkError);
    expect(err).toMatchObject({ attempts: 4, timedOut: false });
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
    expect(counter.requests).toBe(4);
    expect(sleeps).toHaveLength(3);
  });
});
