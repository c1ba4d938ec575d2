import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/amazon/clock.js';
import { AmazonUnavailableError } from '../../src/amazon/errors.js';
import { LwaClient } from '../../src/amazon/lwa.js';
import { createSpApiClient } from '../../src/amazon/sp-api.js';
import { SpApiTransport } from '../../src/amazon/transport.js';
import { backoffDelay } from '../../src/domain/retry.js';
import { createCaseApi } from '../../src/filing/case-api.js';
import { retryDelay } from '../../src/mirror/index.js';
import { silentServer } from '../support/silent-server.js';

const spec = { reportType: 'GET_LEDGER_DETAIL_VIEW_DATA', marketplaceIds: ['ATVPDKIKX0DER'] };

let open: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c()));
  open = [];
});

async function silent() {
  const s = await silentServer();
  open.push(s.close);
  return s;
}

describe('outbound calls are bounded', () => {
  it('an SP-API call to a server that never answers fails with a timeout', async () => {
    const s = await silent();
    const clock = new ManualClock(0);
    const sp = createSpApiClient({ baseUrl: s.url, sellerId: 'A1', accessToken: () => Promise.resolve('Atza|t'), limiter: false, clock, maxRetries: 1, timeoutMs: 50 });
    const err = await sp.reports.createReport(spec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmazonUnavailableError);
    expect((err as Error).message).toMatch(/no answer within 50 ms/);
    // The timeout counted as a network failure: one backoff, then the retry timed out too.
    expect(clock.sleeps).toHaveLength(1);
  });

  it('aborting the sync\'s signal stops an SP-API call in flight, without retrying', async () => {
    const s = await silent();
    const controller = new AbortController();
    const clock = new ManualClock(0);
    const sp = createSpApiClient({ baseUrl: s.url, sellerId: 'A1', accessToken: () => Promise.resolve('Atza|t'), limiter: false, clock, timeoutMs: 600_000, signal: controller.signal });
    const call = sp.reports.createReport(spec).catch((e: unknown) => e);
    await s.arrived;
    const reason = new Error('the worker lost its lease');
    controller.abort(reason);
    expect(await call).toBe(reason);
    expect(clock.sleeps).toEqual([]);
  });

  it('a report document download that never answers fails with a timeout', async () => {
    const s = await silent();
    const transport = new SpApiTransport({ baseUrl: s.url, sellerId: 'A1', accessToken: () => Promise.resolve('t'), limiter: false, clock: new ManualClock(0), maxRetries: 0, timeoutMs: 50 });
    await expect(transport.download(`${s.url}/doc.gz`)).rejects.toThrow(/no answer within 50 ms/);
  });

  it('aborting the signal during a backoff wait stops the call without sitting the wait out', async () => {
    const controller = new AbortController();
    let waiting!: () => void;
    const sleeping = new Promise<void>((r) => (waiting = r));
    // A clock whose sleeps never end: only the abort can end this one.
    const clock = { now: () => 0, sleep: () => (waiting(), new Promise<void>(() => undefined)) };
    const sp = createSpApiClient({
      baseUrl: 'http://amazon.invalid', sellerId: 'A1', accessToken: () => Promise.resolve('t'), limiter: false, clock, signal: controller.signal,
      fetch: () => Promise.resolve(new Response('{"errors":[{"code":"InternalFailure","message":"x"}]}', { status: 503 })),
    });
    const call = sp.reports.createReport(spec).catch((e: unknown) => e);
    await sleeping;
    const reason = new Error('attempt timed out');
    controller.abort(reason);
    expect(await call).toBe(reason);
  });

  it('an aborted signal starts no SP-API request at all', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    let calls = 0;
    const sp = createSpApiClient({
      baseUrl: 'http://amazon.invalid', sellerId: 'A1', accessToken: () => Promise.resolve('t'), limiter: false, signal: controller.signal,
      fetch: () => {
        calls++;
        return Promise.resolve(new Response('{}'));
      },
    });
    await expect(sp.reports.createReport(spec)).rejects.toThrow('stopped');
    expect(calls).toBe(0);
  });

  it('a Login with Amazon token request that never answers fails with a timeout', async () => {
    const s = await silent();
    const lwa = new LwaClient({ clientId: 'c', clientSecret: 's', tokenUrl: `${s.url}/auth/o2/token`, timeoutMs: 50 });
    const err = await lwa.refresh('Atzr|r').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmazonUnavailableError);
    expect((err as Error).message).toMatch(/no answer in time/);
  });

  it('a case API call that never answers fails with a timeout', async () => {
    const s = await silent();
    const api = createCaseApi({ baseUrl: s.url, accessToken: () => Promise.resolve('t'), timeoutMs: 50 });
    await expect(api.get('case-1')).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});

describe('one backoff', () => {
  it('webhook and EventBridge delays are the shared backoff, within its bounds', () => {
    const policy = { baseMs: 1_000, maxMs: 60_000, spanMs: 86_400_000 };
    for (const attempt of [1, 2, 5, 40]) {
      for (const r of [0, 0.3, 0.999]) {
        const d = retryDelay(attempt, policy, () => r);
        expect(d).toBe(backoffDelay(policy, attempt, r));
        expect(d).toBeGreaterThanOrEqual(policy.baseMs / 2);
        expect(d).toBeLessThanOrEqual(Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)));
      }
    }
  });
});
