import { describe, expect, it } from 'vitest';
import { createSpApiClient } from '../../../src/amazon/sp-api.js';
import { approve, connect, FIXTURE, lwaFor, REDIRECT, SELLER, simulator, testClock } from './harness.js';

const claim = { subject: 'Lost units of X00A', description: '3 units lost at PHX3 on 2026-10-01', claim_type: 'lost_warehouse', sku: 'MSKU-A', fnsku: 'X00A', asin: 'B0A', quantity: 3 };

async function seller(options: Parameters<typeof simulator>[0] = {}) {
  const clock = testClock();
  const sim = await simulator({ clock, reportPolls: 0, ...options });
  const lwa = lwaFor(sim, { clock });
  const refreshToken = await connect(sim, lwa);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: { 'x-amz-access-token': await lwa.accessToken(refreshToken), ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const sp = createSpApiClient({ baseUrl: sim.url, sellerId: SELLER, accessToken: lwa.tokenSource(refreshToken), clock });
  return { sim, call, sp };
}

describe('the case API', () => {
  it('files one case per Idempotency-Key and finds it again by that key', async () => {
    const { call } = await seller();
    const first = await call('POST', '/cases', claim, { 'idempotency-key': 'claim-42' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'open', idempotency_key: 'claim-42', decision: null, sku: 'MSKU-A' });
    expect(first.body.case_id).toMatch(/^\d+$/);
    const again = await call('POST', '/cases', claim, { 'idempotency-key': 'claim-42' });
    expect(again.status).toBe(200);
    expect(again.body.case_id).toBe(first.body.case_id);
    const other = await call('POST', '/cases', claim, { 'idempotency-key': 'claim-43' });
    expect(other.body.case_id).not.toBe(first.body.case_id);

    const reconciled = await call('GET', '/cases?idempotency_key=claim-42');
    expect(reconciled.body.cases.map((c: any) => c.case_id)).toEqual([first.body.case_id]);
    expect((await call('GET', '/cases?idempotency_key=never-filed')).body.cases).toEqual([]);
    expect((await call('GET', `/cases/${first.body.case_id}`)).body.case_id).toBe(first.body.case_id);
  });

  it('refuses a reused Idempotency-Key with a different case', async () => {
    const { call } = await seller();
    await call('POST', '/cases', claim, { 'idempotency-key': 'k' });
    const clash = await call('POST', '/cases', { ...claim, quantity: 4 }, { 'idempotency-key': 'k' });
    expect(clash.status).toBe(422);
    expect(clash.body.errors[0].code).toBe('IdempotencyKeyReused');
  });

  it('an approved case adds a reimbursement row with its case id to the reimbursements report', async () => {
    const { call, sp } = await seller();
    const filed = (await call('POST', '/cases', claim, { 'idempotency-key': 'k1' })).body;
    const decided = await fetch(`${(await seller()).sim.url}/cases/${filed.case_id}/decision`, { method: 'POST' }).then((r) => r.status);
    expect(decided).toBe(404); // another simulator knows nothing of this case
    const approved = await call('POST', `/cases/${filed.case_id}/decision`, { approve: { amount_minor: 3720, currency: 'USD' } });
    expect(approved.body).toMatchObject({ status: 'approved', decision: { approved: { amount_minor: 3720, currency: 'USD' } } });
    expect((await call('POST', `/cases/${filed.case_id}/decision`, { reject: { reason: 'late' } })).status).toBe(409);

    const lines: string[] = [];
    for await (const line of sp.reports.reportLines({ reportType: 'GET_FBA_REIMBURSEMENTS_DATA', marketplaceIds: ['ATVPDKIKX0DER'] })) lines.push(line);
    const header = lines[0]!.split('\t');
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [header[i], v])));
    expect(rows.length).toBe(2);
    expect(rows[1]).toMatchObject({
      'case-id': filed.case_id,
      'reimbursement-id': approved.body.decision.approved.reimbursement_id,
      reason: 'Lost_Warehouse',
      sku: 'MSKU-A',
      fnsku: 'X00A',
      'currency-unit': 'USD',
      'amount-per-unit': '12.40',
      'amount-total': '37.20',
      'quantity-reimbursed-cash': '3',
      'quantity-reimbursed-total': '3',
    });
  });

  it('a case holds several items; approval splits a total (remainder to the first) into one row per item', async () => {
    const { call, sp } = await seller();
    const items = [
      { claim_type: 'lost_warehouse', sku: 'MSKU-A', fnsku: 'X00A', asin: 'B0A', quantity: 1 },
      { claim_type: 'lost_warehouse', sku: 'MSKU-B', fnsku: 'X00B', asin: 'B0B', quantity: 2 },
      { claim_type: 'lost_warehouse', sku: 'MSKU-C', fnsku: 'X00C', asin: 'B0C', quantity: 1 },
    ];
    const filed = await call('POST', '/cases', { subject: 'Three lost SKUs', description: 'see items', items }, { 'idempotency-key': 'multi' });
    expect(filed.status).toBe(201);
    expect(filed.body.items).toHaveLength(3);
    const mixed = await call('POST', '/cases', { subject: 's', description: 'd', sku: 'MSKU-A', items }, { 'idempotency-key': 'mixed' });
    expect(mixed.status).toBe(400);
    const wrongCount = await call('POST', `/cases/${filed.body.case_id}/decision`, { approve: { items: [{ amount_minor: 1 }], currency: 'USD' } });
    expect(wrongCount.status).toBe(400);
    const approved = await call('POST', `/cases/${filed.body.case_id}/decision`, { approve: { amount_minor: 1000, currency: 'USD' } });
    const lines = approved.body.decision.approved.items;
    expect(lines.map((l: any) => [l.sku, l.amount_minor])).toEqual([['MSKU-A', 334], ['MSKU-B', 333], ['MSKU-C', 333]]);
    expect(new Set(lines.map((l: any) => l.reimbursement_id)).size).toBe(3);

    const rows: string[] = [];
    for await (const line of sp.reports.reportLines({ reportType: 'GET_FBA_REIMBURSEMENTS_DATA', marketplaceIds: ['ATVPDKIKX0DER'] })) rows.push(line);
    const header = rows[0]!.split('\t');
    const added = rows.slice(1).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [header[i], v]))).filter((r) => r['case-id'] === filed.body.case_id);
    expect(added.map((r) => [r.sku, r['amount-total'], r['reimbursement-id']])).toEqual(lines.map((l: any) => [l.sku, (l.amount_minor / 100).toFixed(2), l.reimbursement_id]));
  });

  it('approval can name one amount per item', async () => {
    const { call } = await seller();
    const items = [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1 }];
    const filed = (await call('POST', '/cases', { subject: 's', description: 'd', items })).body;
    const approved = await call('POST', `/cases/${filed.case_id}/decision`, { approve: { items: [{ amount_minor: 500 }, { amount_minor: 250 }], currency: 'EUR' } });
    expect(approved.body.decision.approved).toMatchObject({ amount_minor: 750, currency: 'EUR', items: [{ sku: 'A', amount_minor: 500 }, { sku: 'B', amount_minor: 250 }] });
  });

  it('a rejected case carries its reason and adds nothing', async () => {
    const { call } = await seller({ sellers: new Map([[SELLER, { folder: `${FIXTURE}-missing` }]]) });
    const filed = (await call('POST', '/cases', claim)).body;
    const rejected = await call('POST', `/cases/${filed.case_id}/decision`, { reject: { reason: 'The units were found' } });
    expect(rejected.body).toMatchObject({ status: 'rejected', decision: { rejected: { reason: 'The units were found' } } });
  });

  it('a seller cannot see another seller\'s cases', async () => {
    const clock = testClock();
    const sim = await simulator({ clock, sellers: new Map([[SELLER, { folder: FIXTURE }], ['A2OTHERSELLER2', { folder: FIXTURE }]]) });
    const lwa = lwaFor(sim, { clock });
    const mine = await lwa.accessToken(await connect(sim, lwa));
    const theirsCode = (await approve(sim, lwa, 's', 'A2OTHERSELLER2')).get('spapi_oauth_code')!;
    const theirs = (await lwa.exchangeCode(theirsCode, REDIRECT)).accessToken;
    const filed = await fetch(`${sim.url}/cases`, { method: 'POST', headers: { 'x-amz-access-token': mine, 'content-type': 'application/json', 'idempotency-key': 'same' }, body: JSON.stringify(claim) }).then((r) => r.json() as Promise<any>);
    expect((await fetch(`${sim.url}/cases/${filed.case_id}`, { headers: { 'x-amz-access-token': theirs } })).status).toBe(404);
    const list = await fetch(`${sim.url}/cases?idempotency_key=same`, { headers: { 'x-amz-access-token': theirs } }).then((r) => r.json() as Promise<any>);
    expect(list.cases).toEqual([]);
  });
});
