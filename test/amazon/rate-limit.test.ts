import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../src/amazon/clock.js';
import { SpApiRequestError } from '../../src/amazon/errors.js';
import { RateLimiter, TokenBucket, USAGE_PLANS } from '../../src/amazon/rate-limit.js';
import { createSpApiClient } from '../../src/amazon/sp-api.js';
import { NonRetryableError, RetryAfterError } from '../../src/domain/errors.js';
import { connect, lwaFor, SELLER, simulator, testClock } from '../simulator/server/harness.js';

const spec = { reportType: 'GET_LEDGER_DETAIL_VIEW_DATA', marketplaceIds: ['ATVPDKIKX0DER'] };

/** A fetch that records every answer's status. */
function recordingFetch(): { fetch: typeof fetch; statuses: number[] } {
  const statuses: number[] = [];
  return {
    statuses,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      statuses.push(res.status);
      return res;
    },
  };
}

describe('token buckets', () => {
  it('spend the burst, then refill at the published rate', () => {
    const bucket = new TokenBucket(USAGE_PLANS.getReport, 0);
    for (let i = 0; i < 15; i++) expect(bucket.take(0)).toBe(0);
    expect(bucket.take(0)).toBe(500);
    expect(bucket.take(499)).toBeGreaterThan(0);
    expect(bucket.take(500)).toBe(0);
  });

  it('are kept per seller and per operation', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 15; i++) await limiter.acquire('A', 'createReport');
    expect(limiter.tryTake('B', 'createReport')).toBe(0);
    expect(limiter.tryTake('A', 'getReport')).toBe(0);
    expect(limiter.tryTake('A', 'createReport')).toBe(Math.ceil(1000 / 0.0167));
  });

  it('a stopped sync stops waiting for a token at once, and its timer goes with it', async () => {
    // One token an hour: the wait would outlive the test, so only the abort can end it.
    const limiter = new RateLimiter(systemClock, { ...USAGE_PLANS, createReport: { rate: 1 / 3600, burst: 1 } });
    await limiter.acquire('A', 'createReport');
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const sync = new AbortController();
    const waiting = limiter.acquire('A', 'createReport', sync.signal);
    expect(timers()).toBe(before + 1);
    sync.abort(new Error('sync stopped'));
    await expect(waiting).rejects.toThrow('sync stopped');
    expect(timers()).toBe(before);
  });
});

describe('SP-API throttling against the simulator', () => {
  it('a client that paces itself waits for a token and never sees a 429', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const lwa = lwaFor(sim, { clock });
    const recorder = recordingFetch();
    const sp = createSpApiClient({ baseUrl: sim.url, sellerId: SELLER, accessToken: lwa.tokenSource(await connect(sim, lwa)), clock, fetch: recorder.fetch });
    for (let i = 0; i < 16; i++) await sp.reports.createReport(spec);
    expect(recorder.statuses.filter((s) => s === 429)).toEqual([]);
    expect(clock.sleeps.at(-1)).toBe(Math.ceil(1000 / 0.0167));
  });

  it("follows the faster plan Amazon announces for a seller, and still never sees a 429", async () => {
    const clock = testClock();
    // Amazon grants some sellers more than its defaults and says so in x-amzn-RateLimit-Limit.
    const sim = await simulator({ clock, usagePlans: { createReport: { rate: 2, burst: 15 } } });
    const lwa = lwaFor(sim, { clock });
    const recorder = recordingFetch();
    const sp = createSpApiClient({ baseUrl: sim.url, sellerId: SELLER, accessToken: lwa.tokenSource(await connect(sim, lwa)), clock, fetch: recorder.fetch });
    for (let i = 0; i < 16; i++) await sp.reports.createReport(spec);
    expect(recorder.statuses.filter((s) => s === 429)).toEqual([]);
    // Half a second for the 16th, where the default plan (0.0167/s) would have waited a minute.
    expect(clock.sleeps.at(-1)).toBe(500);
  });

  it('an exhausted bucket answers 429 with Amazon\'s body and headers, and the client backs off and succeeds', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const lwa = lwaFor(sim, { clock });
    const refreshToken = await connect(sim, lwa);
    const recorder = recordingFetch();
    const sp = createSpApiClient({ baseUrl: sim.url, sellerId: SELLER, accessToken: lwa.tokenSource(refreshToken), clock, fetch: recorder.fetch, limiter: false, random: () => 0.5 });
    for (let i = 0; i < 15; i++) await sp.reports.createReport(spec);

    const raw = await fetch(`${sim.url}/reports/2021-06-30/reports`, {
      method: 'POST',
      headers: { 'x-amz-access-token': await lwa.accessToken(refreshToken), 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('x-amzn-ratelimit-limit')).toBe('0.0167');
    expect(raw.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(await raw.json()).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] });

    const reportId = await sp.reports.createReport(spec);
    expect(reportId).toMatch(/^\d+$/);
    expect(recorder.statuses.slice(-2)).toEqual([429, 202]);
    // The wait came from x-amzn-RateLimit-Limit: one token at 0.0167/s.
    expect(clock.sleeps.at(-1)).toBe(Math.ceil(1000 / 0.0167));
  });

  it('throttling that outlasts the bounded retries surfaces as RetryAfterError', async () => {
    const clock = testClock();
    // The simulator's own clock never moves, so its bucket never refills.
    const sim = await simulator({ clock: new ManualClock(clock.now()) });
    const lwa = lwaFor(sim, { clock });
    const sp = createSpApiClient({ baseUrl: sim.url, sellerId: SELLER, accessToken: lwa.tokenSource(await connect(sim, lwa)), clock, limiter: false, maxRetries: 3 });
    for (let i = 0; i < 15; i++) await sp.reports.createReport(spec);
    const before = clock.sleeps.length;
    const err = await sp.reports.createReport(spec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryAfterError);
    expect((err as RetryAfterError).retryAfterMs).toBeGreaterThan(0);
    expect(clock.sleeps.length - before).toBe(3);
  });
});

describe('SP-API failures', () => {
  it('retries a 5xx with backoff and then succeeds', async () => {
    const clock = new ManualClock(0);
    const answers = [503, 500, 200];
    const sp = createSpApiClient({
      baseUrl: 'http://amazon.invalid',
      sellerId: SELLER,
      accessToken: () => Promise.resolve('Atza|t'),
      clock,
      random: () => 0.5,
      fetch: () => {
        const status = answers.shift()!;
        return Promise.resolve(new Response(status === 200 ? JSON.stringify({ reportId: '1' }) : '{"errors":[{"code":"InternalFailure","message":"x"}]}', { status }));
      },
    });
    expect(await sp.reports.createReport(spec)).toBe('1');
    expect(clock.sleeps.filter((ms) => ms > 0 && ms < 10_000)).toEqual([500, 1_000]);
  });

  it('a 429\'s Retry-After is honoured as seconds or as an HTTP date, bounded by the maximum backoff', async () => {
    const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
    const at = (ms: number) => new Date(clock.now() + ms).toUTCString();
    const answers: Array<() => Response> = [
      () => new Response('{"errors":[{"code":"QuotaExceeded","message":"x"}]}', { status: 429, headers: { 'retry-after': at(7_000) } }),
      () => new Response('{"errors":[{"code":"QuotaExceeded","message":"x"}]}', { status: 429, headers: { 'retry-after': '2' } }),
      () => new Response('{"errors":[{"code":"QuotaExceeded","message":"x"}]}', { status: 429, headers: { 'retry-after': '86400' } }),
      () => new Response(JSON.stringify({ reportId: '1' }), { status: 200 }),
    ];
    const sp = createSpApiClient({
      baseUrl: 'http://amazon.invalid',
      sellerId: SELLER,
      accessToken: () => Promise.resolve('Atza|t'),
      clock,
      limiter: false,
      maxBackoffMs: 60_000,
      fetch: () => Promise.resolve(answers.shift()!()),
    });
    expect(await sp.reports.createReport(spec)).toBe('1');
    expect(clock.sleeps).toEqual([7_000, 2_000, 60_000]);
  });

  it('a 4xx becomes a non-retryable error carrying Amazon\'s code', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const lwa = lwaFor(sim, { clock });
    const sp = createSpApiClient({ baseUrl: sim.url, sellerId: SELLER, accessToken: lwa.tokenSource(await connect(sim, lwa)), clock });
    const err = await sp.reports.createReport({ reportType: 'not a report', marketplaceIds: ['ATVPDKIKX0DER'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpApiRequestError);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err).toMatchObject({ status: 400, code: 'InvalidInput', operation: 'createReport' });
  });

  it('a rejected access token is refreshed once, then the call succeeds', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const lwa = lwaFor(sim, { clock });
    const refreshToken = await connect(sim, lwa);
    const asked: boolean[] = [];
    const sp = createSpApiClient({
      baseUrl: sim.url,
      sellerId: SELLER,
      clock,
      accessToken: (o) => {
        asked.push(o?.forceRefresh ?? false);
        return o?.forceRefresh ? lwa.accessToken(refreshToken, { forceRefresh: true }) : Promise.resolve('Atza|stale');
      },
    });
    expect(await sp.reports.createReport(spec)).toMatch(/^\d+$/);
    expect(asked).toEqual([false, true]);
  });
});
