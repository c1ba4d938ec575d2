import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
});
afterAll(async () => {
  await t.close();
});

async function put(userId: string, body: string, token: string | null = t.serviceToken, type = 'text/csv') {
  const r = await fetch(`${t.url}/api/v1/sellers/${userId}/costs`, {
    method: 'PUT',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: r.status, body: (await r.json()) as any };
}

describe('uploading unit costs', () => {
  it('stores good lines and reports the bad ones by line', async () => {
    const r = await put('seller-c', 'sku,unit_cost,currency\nA-1,12.40,USD\nB-2,twelve,USD\nC-3,3.10,usd\n\nD-4,7,EUR\n');
    expect(r.status).toBe(200);
    expect(r.body.rows).toBe(2);
    expect(r.body.problems.map((p: any) => p.line)).toEqual([3, 4]);
  });

  it('refuses a file without the columns, and other sellers', async () => {
    expect((await put('seller-c', 'sku;cost\nA;1')).status).toBe(400);
    const other = await t.sellerToken('someone-else');
    expect((await put('seller-c', 'sku,unit_cost,currency\nA,1,USD', other)).status).toBe(403);
    expect((await put('seller-c', 'sku,unit_cost,currency\nA,1,USD', null)).status).toBe(401);
    const own = await t.sellerToken('seller-c');
    expect((await put('seller-c', 'sku,unit_cost,currency\nA,1,USD', own)).status).toBe(200);
  });
});
