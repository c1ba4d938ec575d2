import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/amazon/clock.js';
import { createSpApiClient } from '../../src/amazon/sp-api.js';
import { NonRetryableError } from '../../src/domain/errors.js';
import type { StartedSimulator } from '../../src/simulator/server/index.js';
import { connect, FIXTURE, lwaFor, SELLER, simulator, testClock } from '../simulator/server/harness.js';

const US = 'ATVPDKIKX0DER';

async function setup(sim: StartedSimulator, clock: ManualClock) {
  const lwa = lwaFor(sim, { clock });
  const refreshToken = await connect(sim, lwa);
  return { sp: createSpApiClient({ baseUrl: sim.url, sellerId: SELLER, accessToken: lwa.tokenSource(refreshToken), clock }), token: () => lwa.accessToken(refreshToken) };
}

async function fixtureJson(name: string): Promise<any> {
  return JSON.parse(await readFile(join(FIXTURE, name), 'utf8'));
}

describe('Finances v0 listFinancialEvents', () => {
  it('pages through every event with NextToken and loses none', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const { sp } = await setup(sim, clock);
    const pages = [];
    for await (const page of sp.finances.listFinancialEvents({ postedAfter: '2026-01-01T00:00:00Z', postedBefore: new Date(clock.now()), maxResultsPerPage: 2 })) pages.push(page);
    expect(pages.length).toBe(3);
    expect(pages.map((p) => p.nextToken === undefined)).toEqual([false, false, true]);
    const merged: Record<string, unknown[]> = {};
    for (const page of pages) for (const [list, events] of Object.entries(page.financialEvents)) (merged[list] ??= []).push(...(events ?? []));
    expect(merged).toEqual(await fixtureJson('financial-events.json'));
  });

  it('filters by PostedAfter and resumes from a stored NextToken', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const { sp } = await setup(sim, clock);
    const first = await sp.finances.listFinancialEvents({ postedAfter: '2026-10-05T00:00:00Z', maxResultsPerPage: 1 }).next();
    const token = first.done ? undefined : first.value.nextToken;
    expect(token).toBeTruthy();
    const ids: unknown[] = [];
    for await (const page of sp.finances.listFinancialEvents({ nextToken: token! })) {
      for (const events of Object.values(page.financialEvents)) ids.push(...(events ?? []).map((e: any) => e.AmazonOrderId ?? e.AdjustmentType));
    }
    expect(ids).toEqual(['111-0000003', 'WAREHOUSE_LOST']);
  });

  it('the simulator refuses a PostedBefore less than two minutes old, in Amazon\'s error shape', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const { token } = await setup(sim, clock);
    const res = await fetch(`${sim.url}/finances/v0/financialEvents?PostedBefore=${new Date(clock.now()).toISOString()}`, { headers: { 'x-amz-access-token': await token() } });
    expect(res.status).toBe(400);
    const body: any = await res.json();
    expect(body.errors[0]).toMatchObject({ code: 'InvalidInput' });
    expect(Object.keys(body.errors[0]).sort()).toEqual(['code', 'details', 'message']);
  });
});

describe('Fulfillment Inbound v0', () => {
  it('lists shipments by status across pages', async () => {
    const clock = testClock();
    const sim = await simulator({ clock, inboundPageSize: 1 });
    const { sp } = await setup(sim, clock);
    const pages = [];
    for await (const page of sp.inbound.getShipments({ marketplaceId: US, shipmentStatusList: ['CLOSED', 'RECEIVING'] })) pages.push(page);
    expect(pages.length).toBe(2);
    expect(pages.flat().map((s) => [s.ShipmentId, s.ShipmentStatus])).toEqual([['FBA15XYZ', 'CLOSED'], ['FBA15ABC', 'RECEIVING']]);
  });

  it('lists shipments updated in a date range, and their items', async () => {
    const clock = testClock();
    const sim = await simulator({ clock, inboundPageSize: 3 });
    const { sp } = await setup(sim, clock);
    const range = { marketplaceId: US, lastUpdatedAfter: '2026-01-01T00:00:00Z', lastUpdatedBefore: '2027-01-01T00:00:00Z' };
    const shipments = [];
    for await (const page of sp.inbound.getShipments(range)) shipments.push(...page);
    expect(shipments.length).toBe(3);
    const items = await sp.inbound.getShipmentItemsByShipmentId('FBA15XYZ', US);
    expect(items.map((i) => [i.SellerSKU, i.QuantityShipped, i.QuantityReceived])).toEqual([['MSKU-A', 10, 7], ['MSKU-B', 4, 4]]);
    const all = [];
    for await (const page of sp.inbound.getShipmentItems(range)) all.push(...page);
    expect(all).toEqual((await fixtureJson('inbound-shipments.json')).items);
  });

  it('refuses a getShipments query Amazon would refuse, before calling', async () => {
    const clock = testClock();
    const sim = await simulator({ clock });
    const { sp, token } = await setup(sim, clock);
    const gen = sp.inbound.getShipments({ marketplaceId: US, lastUpdatedAfter: '2026-01-01T00:00:00Z' } as never);
    await expect(gen.next()).rejects.toBeInstanceOf(NonRetryableError);
    const res = await fetch(`${sim.url}/fba/inbound/v0/shipments?MarketplaceId=${US}&QueryType=SHIPMENT`, { headers: { 'x-amz-access-token': await token() } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].code).toBe('InvalidInput');
  });

  it('answers 403 Unauthorized without a valid access token', async () => {
    const sim = await simulator();
    const res = await fetch(`${sim.url}/fba/inbound/v0/shipments?MarketplaceId=${US}&QueryType=SHIPMENT&ShipmentStatusList=CLOSED`, { headers: { 'x-amz-access-token': 'Atza|forged' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token you provided is revoked, malformed or invalid.' }] });
  });
});
