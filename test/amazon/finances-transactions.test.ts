// Finances 2024-06-19 listTransactions, client against simulator: paging with the same
// arguments, 180-day windows (Amazon answers a longer range with nothing), the operation's own
// usage plan, and the wire format detection reads.
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/amazon/clock.js';
import { createSpApiClient } from '../../src/amazon/sp-api.js';
import type { StartedSimulator } from '../../src/simulator/server/index.js';
import { connect, lwaFor, SELLER, simulator, testClock } from '../simulator/server/harness.js';

/** A fetch that records each request's URL and each answer's status. */
function recordingFetch(): { fetch: typeof fetch; urls: URL[]; statuses: number[] } {
  const urls: URL[] = [];
  const statuses: number[] = [];
  return {
    urls,
    statuses,
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const res = await fetch(input, init);
      if (url.pathname.startsWith('/finances/')) {
        urls.push(url);
        statuses.push(res.status);
      }
      return res;
    },
  };
}

async function setup(sim: StartedSimulator, clock: ManualClock) {
  const lwa = lwaFor(sim, { clock });
  const refreshToken = await connect(sim, lwa);
  const recorder = recordingFetch();
  const sp = createSpApiClient({ baseUrl: sim.url, sellerId: SELLER, accessToken: lwa.tokenSource(refreshToken), clock, fetch: recorder.fetch });
  return { sp, recorder, token: () => lwa.accessToken(refreshToken) };
}

const DAY = 86_400_000;

describe('Finances 2024-06-19 listTransactions', () => {
  it('pages with nextToken, sending the same arguments with each token, and loses no transaction', async () => {
    const clock = testClock();
    const sim = await simulator({ clock, transactionsPageSize: 2 });
    const { sp, recorder } = await setup(sim, clock);
    const pages = [];
    for await (const page of sp.finances.listTransactions({ postedAfter: '2026-07-20T00:00:00Z' })) pages.push(page);
    // The fixture's six v0 events (three shipments, two refunds, a reimbursement) as transactions.
    expect(pages.map((p) => p.transactions.length)).toEqual([2, 2, 2]);
    expect(pages.map((p) => p.nextToken === undefined)).toEqual([false, false, true]);
    const all = pages.flatMap((p) => p.transactions);
    expect(all.map((t) => t.transactionType)).toEqual(['Refund', 'Refund', 'Shipment', 'Shipment', 'Shipment', 'Adjustment']);
    expect(new Set(all.map((t) => t.transactionId)).size).toBe(6);
    const [first, ...rest] = recorder.urls;
    for (const url of rest) {
      expect(url.searchParams.get('nextToken')).toBeTruthy();
      for (const name of ['postedAfter', 'postedBefore']) expect(url.searchParams.get(name)).toBe(first!.searchParams.get(name));
    }
    // postedBefore: as late as Amazon allows, more than two minutes before the call.
    expect(Date.parse(first!.searchParams.get('postedBefore')!)).toBeLessThan(clock.now() - 2 * 60_000);
  });

  it("answers in Amazon's wire format: ORDER_ID, nested breakdowns, a ProductContext, {currencyCode, currencyAmount} numbers", async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const { sp } = await setup(sim, clock);
    const all = [];
    for await (const page of sp.finances.listTransactions({ postedAfter: '2026-07-20T00:00:00Z', marketplaceId: 'ATVPDKIKX0DER' })) all.push(...page.transactions);
    const shipment = all.find((t) => (t.relatedIdentifiers as any[])[0]?.relatedIdentifierValue === '111-0000001') as any;
    expect(shipment).toMatchObject({
      transactionType: 'Shipment',
      transactionStatus: 'RELEASED',
      postedDate: '2026-10-01T12:00:00Z',
      relatedIdentifiers: [{ relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: '111-0000001' }],
      sellingPartnerMetadata: { sellingPartnerId: SELLER, marketplaceId: 'ATVPDKIKX0DER' },
      marketplaceDetails: { marketplaceId: 'ATVPDKIKX0DER', marketplaceName: 'Amazon.com' },
      totalAmount: { currencyCode: 'USD', currencyAmount: -4 },
      items: [{
        breakdowns: [{
          breakdownType: 'AmazonFees',
          breakdownAmount: { currencyCode: 'USD', currencyAmount: -4 },
          breakdowns: [{ breakdownType: 'FBAPerUnitFulfillmentFee', breakdownAmount: { currencyCode: 'USD', currencyAmount: -4 }, breakdowns: [] }],
        }],
        contexts: [{ contextType: 'ProductContext', sku: 'MSKU-B', quantityShipped: 1, fulfillmentNetwork: 'AFN' }],
      }],
    });
    expect(typeof shipment.transactionId).toBe('string');
  });

  it('splits a range longer than 180 days into windows, since Amazon answers such a range with an empty list', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const { sp, recorder, token } = await setup(sim, clock);
    const ids = [];
    for await (const page of sp.finances.listTransactions({ postedAfter: '2025-06-01T00:00:00Z' })) ids.push(...page.transactions.map((t) => t.transactionId));
    expect(ids.length).toBe(6);
    expect(recorder.urls.length).toBe(4); // 593 days
    expect(recorder.urls.map((u) => u.searchParams.get('nextToken'))).toEqual([null, null, null, null]);
    let previousEnd = '2025-06-01T00:00:00.000Z';
    for (const url of recorder.urls) {
      const [after, before] = [url.searchParams.get('postedAfter')!, url.searchParams.get('postedBefore')!];
      expect(after).toBe(previousEnd);
      expect(Date.parse(before) - Date.parse(after)).toBeLessThanOrEqual(180 * DAY);
      previousEnd = before;
    }
    // The simulator does what the model says for the whole range at once.
    const raw = await fetch(`${sim.url}/finances/2024-06-19/transactions?postedAfter=2025-06-01T00:00:00Z&postedBefore=2027-01-01T00:00:00Z`, { headers: { 'x-amz-access-token': await token() } });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual({ payload: { transactions: [] } });
  });

  it('the simulator refuses what Amazon refuses: no postedAfter, a nextToken with other arguments', async () => {
    const clock = testClock();
    const sim = await simulator({ clock, transactionsPageSize: 1 });
    const { token } = await setup(sim, clock);
    const get = async (query: string) => {
      const res = await fetch(`${sim.url}/finances/2024-06-19/transactions?${query}`, { headers: { 'x-amz-access-token': await token() } });
      return { status: res.status, body: (await res.json()) as any };
    };
    expect(await get('postedBefore=2026-12-01T00:00:00Z')).toEqual({ status: 400, body: { errors: [{ code: 'InvalidInput', message: 'Start date cannot be null', details: '' }] } });
    const first = await get('postedAfter=2026-08-01T00:00:00Z&postedBefore=2026-12-01T00:00:00Z');
    const nextToken = encodeURIComponent(first.body.payload.nextToken);
    expect((await get(`postedAfter=2026-08-01T00:00:00Z&postedBefore=2026-12-01T00:00:00Z&nextToken=${nextToken}`)).status).toBe(200);
    expect((await get(`postedAfter=2026-09-01T00:00:00Z&postedBefore=2026-12-01T00:00:00Z&nextToken=${nextToken}`)).status).toBe(400);
    expect((await get(`nextToken=${nextToken}`)).status).toBe(400);
  });

  it('has its own usage plan (0.5/s, burst 10): the simulator answers 429 past it, the paced client never meets one', async () => {
    const clock = testClock();
    const sim = await simulator({ clock, transactionsPageSize: 1 });
    const { sp, recorder, token } = await setup(sim, clock);
    // Three years in seven windows, a transaction a page: more calls than the burst.
    let pages = 0;
    for await (const page of sp.finances.listTransactions({ postedAfter: '2024-01-01T00:00:00Z' })) pages += page.transactions.length > 0 ? 1 : 0;
    expect(pages).toBe(6);
    expect(recorder.statuses.length).toBeGreaterThan(10);
    expect(recorder.statuses.filter((s) => s === 429)).toEqual([]);
    expect(clock.sleeps).toContain(2000); // one token every two seconds once the burst is spent

    // The same operation from outside the client, on a bucket spent by those calls and a frozen clock.
    const headers = { 'x-amz-access-token': await token() };
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      const res = await fetch(`${sim.url}/finances/2024-06-19/transactions?postedAfter=2026-08-01T00:00:00Z`, { headers });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('x-amzn-ratelimit-limit')).toBe('0.5');
        expect(await res.json()).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] });
      } else await res.body?.cancel();
    }
    expect(statuses).toContain(429);
  });

  it('v0 answers as a removed version when the simulator is told so, while 2024-06-19 still answers', async () => {
    const clock = testClock();
    const sim = await simulator({ clock, financesV0Removed: true });
    const { sp, token } = await setup(sim, clock);
    const res = await fetch(`${sim.url}/finances/v0/financialEvents?PostedAfter=2026-08-01T00:00:00Z`, { headers: { 'x-amz-access-token': await token() } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }] });
    await expect(sp.finances.listFinancialEvents({ postedAfter: '2026-08-01T00:00:00Z' }).next()).rejects.toMatchObject({ status: 403 });
    expect((await sp.finances.listTransactions({ postedAfter: '2026-08-01T00:00:00Z' }).next()).value?.transactions.length).toBe(6);
  });
});
